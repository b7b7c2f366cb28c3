import { FundsRejectedV1, FundsReservedV1, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { EventConsumer, OnEvent } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { PayrollService } from './payroll.service';

/** e-budget's answers to the funds check. */
@Injectable()
@EventConsumer('payments-treasury.funds-check')
export class FundsConsumer {
  constructor(private readonly payrolls: PayrollService) {}

  @OnEvent(FundsReservedV1)
  onReserved(e: EventEnvelope<PayloadOf<typeof FundsReservedV1>>) {
    return this.payrolls.onFundsReserved(e.payload);
  }

  @OnEvent(FundsRejectedV1)
  onRejected(e: EventEnvelope<PayloadOf<typeof FundsRejectedV1>>) {
    return this.payrolls.onFundsRejected(e.payload);
  }
}
