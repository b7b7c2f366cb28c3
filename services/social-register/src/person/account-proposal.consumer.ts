import { ApplicationPaymentAccountProposedV2, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { inboxGroup } from '@eisss/platform';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { PersonService } from './person.service';

const GROUP = inboxGroup('social-register.account-proposals');

/**
 * Accounts proposed by applications: the register is the one source of payment accounts, so an
 * account an application brings opens a change request (decided by a second person), never sets it.
 * The IBAN arrives sealed for the register; a proposal that does not open is refused
 * (PAYMENT_ACCOUNT_SEAL_INVALID, unprocessable) and so goes to the dead-letter topic, not retried.
 */
@Controller()
export class AccountProposalConsumer {
  constructor(private readonly persons: PersonService) {}

  @EventPattern(ApplicationPaymentAccountProposedV2.topic, GROUP)
  async onProposed(@Payload() event: EventEnvelope<PayloadOf<typeof ApplicationPaymentAccountProposedV2>>): Promise<void> {
    await this.persons.proposeAccount(event.payload);
  }
}
