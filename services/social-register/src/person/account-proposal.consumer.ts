import { ApplicationPaymentAccountProposedV2, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { EventConsumer, OnEvent } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { PersonService } from './person.service';

/**
 * Accounts proposed by applications: the register is the one source of payment accounts, so an
 * account an application brings opens a change request (decided by a second person), never sets it.
 * The IBAN arrives sealed for the register; a proposal that does not open is refused
 * (PAYMENT_ACCOUNT_SEAL_INVALID, unprocessable) and so goes to the dead-letter topic, not retried.
 */
@Injectable()
@EventConsumer('social-register.account-proposals')
export class AccountProposalConsumer {
  constructor(private readonly persons: PersonService) {}

  @OnEvent(ApplicationPaymentAccountProposedV2)
  async onProposed(event: EventEnvelope<PayloadOf<typeof ApplicationPaymentAccountProposedV2>>): Promise<void> {
    await this.persons.proposeAccount(event.payload);
  }
}
