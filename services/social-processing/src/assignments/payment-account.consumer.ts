import { PersonPaymentAccountChangedV2, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { EventConsumer, OnEvent } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { AssignmentsService } from './assignments.service';

/**
 * The register's approved payment accounts: the person projection keeps each person's account and
 * holder, and the open assignments of which the person is the recipient carry it from now on.
 */
@Injectable()
@EventConsumer('social-processing.payment-account')
export class PaymentAccountConsumer {
  constructor(private readonly assignments: AssignmentsService) {}

  @OnEvent(PersonPaymentAccountChangedV2)
  async onAccountChanged(event: EventEnvelope<PayloadOf<typeof PersonPaymentAccountChangedV2>>): Promise<void> {
    await this.assignments.onPaymentAccountChanged(event.payload, event.eventId, `event:${event.eventType}`);
  }
}
