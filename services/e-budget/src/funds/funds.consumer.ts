import { PaymentReturnedV1, PaymentSettledV1, PayrollSubmittedV1, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { EventConsumer, OnEvent } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { FundsService } from './funds.service';

/** Funds check of submitted payrolls (answers funds.reserved / funds.rejected). */
@Injectable()
@EventConsumer('e-budget.funds-check')
export class FundsCheckConsumer {
  constructor(private readonly funds: FundsService) {}

  @OnEvent(PayrollSubmittedV1)
  submitted(e: EventEnvelope<PayloadOf<typeof PayrollSubmittedV1>>) {
    return this.funds.check(e.payload);
  }
}

/** Execution: settled payments are recorded as paid; returned ones are marked. */
@Injectable()
@EventConsumer('e-budget.execution')
export class ExecutionConsumer {
  constructor(private readonly funds: FundsService) {}

  @OnEvent(PaymentSettledV1)
  settled(e: EventEnvelope<PayloadOf<typeof PaymentSettledV1>>) {
    return this.funds.paid(e.payload);
  }

  @OnEvent(PaymentReturnedV1)
  returned(e: EventEnvelope<PayloadOf<typeof PaymentReturnedV1>>) {
    return this.funds.returned(e.payload);
  }
}
