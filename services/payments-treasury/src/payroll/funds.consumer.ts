import { FundsRejectedV1, FundsReservedV1, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { inboxGroup } from '@eisss/platform';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { PayrollService } from './payroll.service';

const GROUP = inboxGroup('payments-treasury.funds-check');

/** e-budget's answers to the funds check. */
@Controller()
export class FundsConsumer {
  constructor(private readonly payrolls: PayrollService) {}

  @EventPattern(FundsReservedV1.topic, GROUP)
  onReserved(@Payload() e: EventEnvelope<PayloadOf<typeof FundsReservedV1>>) {
    return this.payrolls.onFundsReserved(e.payload);
  }

  @EventPattern(FundsRejectedV1.topic, GROUP)
  onRejected(@Payload() e: EventEnvelope<PayloadOf<typeof FundsRejectedV1>>) {
    return this.payrolls.onFundsRejected(e.payload);
  }
}
