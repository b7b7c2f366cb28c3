import { PaymentReturnedV1, PaymentSettledV1, PayrollSubmittedV1, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { inboxGroup } from '@eisss/platform';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { FundsService } from './funds.service';

const FUNDS_CHECK_GROUP = inboxGroup('e-budget.funds-check');

/** Funds check of submitted payrolls (answers funds.reserved / funds.rejected). */
@Controller()
export class FundsCheckConsumer {
  constructor(private readonly funds: FundsService) {}

  @EventPattern(PayrollSubmittedV1.topic, FUNDS_CHECK_GROUP)
  submitted(@Payload() e: EventEnvelope<PayloadOf<typeof PayrollSubmittedV1>>) {
    return this.funds.check(e.payload);
  }
}

const EXECUTION_GROUP = inboxGroup('e-budget.execution');

/** Execution: settled payments are recorded as paid; returned ones are marked. */
@Controller()
export class ExecutionConsumer {
  constructor(private readonly funds: FundsService) {}

  @EventPattern(PaymentSettledV1.topic, EXECUTION_GROUP)
  settled(@Payload() e: EventEnvelope<PayloadOf<typeof PaymentSettledV1>>) {
    return this.funds.paid(e.payload);
  }

  @EventPattern(PaymentReturnedV1.topic, EXECUTION_GROUP)
  returned(@Payload() e: EventEnvelope<PayloadOf<typeof PaymentReturnedV1>>) {
    return this.funds.returned(e.payload);
  }
}
