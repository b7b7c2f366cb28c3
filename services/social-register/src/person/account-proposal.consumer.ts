import { ApplicationPaymentAccountProposedV1, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { EventConsumer, OnEvent } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PersonService } from './person.service';

/**
 * Accounts proposed by applications: the register is the one source of payment accounts, so an
 * account an application brings opens a change request (decided by a second person), never sets it.
 */
@Injectable()
@EventConsumer('social-register.account-proposals')
export class AccountProposalConsumer {
  constructor(private readonly persons: PersonService) {}

  @OnEvent(ApplicationPaymentAccountProposedV1)
  async onProposed(event: EventEnvelope<PayloadOf<typeof ApplicationPaymentAccountProposedV1>>, tx: EntityManager): Promise<void> {
    await this.persons.proposeAccount(tx, event.payload);
  }
}
