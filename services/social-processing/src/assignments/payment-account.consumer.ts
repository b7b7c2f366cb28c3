import { PersonPaymentAccountChangedV2, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { inboxGroup } from '@eisss/platform';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AssignmentsService } from './assignments.service';

const GROUP = inboxGroup('social-processing.payment-account');

/**
 * The register's approved payment accounts: the person projection keeps each person's account and
 * holder, and the open assignments of which the person is the recipient carry it from now on.
 */
@Controller()
export class PaymentAccountConsumer {
  constructor(private readonly assignments: AssignmentsService) {}

  @EventPattern(PersonPaymentAccountChangedV2.topic, GROUP)
  async onAccountChanged(@Payload() event: EventEnvelope<PayloadOf<typeof PersonPaymentAccountChangedV2>>): Promise<void> {
    await this.assignments.onPaymentAccountChanged(event.payload, event.eventId, `event:${event.eventType}`);
  }
}
