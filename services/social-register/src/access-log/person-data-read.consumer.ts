import { PersonDataReadEvents, type EventEnvelope } from '@eisss/contracts';
import { EventConsumer, OnEvent } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { AccessLogRepository } from './access-log.repository';

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
  constructor(private readonly accessLog: AccessLogRepository) {}

  @OnEvent(PersonDataReadEvents[0]!, ...PersonDataReadEvents.slice(1))
  async onRead(e: EventEnvelope<PersonDataRead>): Promise<void> {
    await this.accessLog.recordForeignRead({ ...e.payload, correlationId: e.correlationId, sourceService: e.producer });
  }
}
