import { PersonDataReadEvents, type EventEnvelope } from '@eisss/contracts';
import { EventConsumer, OnEvent, auditTable } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

interface PersonDataRead {
  personId: string;
  actorId: string;
  actorRoles: string[];
  action: string;
  purpose: string | null;
  readAt: string;
}

/**
 * "Who looked at my data" covers every service: the reads other services report (each on its own
 * topic, so only the service itself can speak for its reads) join the register's own audit trail
 * with the service named, once each (the inbox deduplicates redeliveries).
 */
@Injectable()
@EventConsumer('social-register.person-data-reads')
export class PersonDataReadConsumer {
  @OnEvent(PersonDataReadEvents[0]!, ...PersonDataReadEvents.slice(1))
  async onRead(e: EventEnvelope<PersonDataRead>, tx: EntityManager): Promise<void> {
    const p = e.payload;
    await tx.query(
      `INSERT INTO ${auditTable('social_register')} (occurred_at, actor_id, actor_roles, action, subject_type, subject_id, purpose, correlation_id, source_service)
       VALUES ($1, $2, $3, $4, 'person', $5, $6, $7, $8)`,
      [p.readAt, p.actorId, p.actorRoles, p.action, p.personId, p.purpose, e.correlationId, e.producer],
    );
  }
}
