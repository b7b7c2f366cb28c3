import { PersonDataReadEvents, type EventEnvelope } from '@eisss/contracts';
import { inboxGroup } from '@eisss/platform';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AccessLogRepository } from './access-log.repository';

interface PersonDataRead {
  personId: string;
  actorId: string;
  actorRoles: string[];
  action: string;
  purpose: string | null;
  readAt: string;
}

const GROUP = inboxGroup('social-register.person-data-reads');

/**
 * "Who looked at my data" covers every service: the reads other services report (each on its own
 * topic, so only the service itself can speak for its reads) join the register's own audit trail
 * with the service named, once each (the inbox deduplicates redeliveries).
 */
@Controller()
export class PersonDataReadConsumer {
  constructor(private readonly accessLog: AccessLogRepository) {}

  @EventPattern(PersonDataReadEvents.map((c) => c.topic), GROUP)
  async onRead(@Payload() e: EventEnvelope<PersonDataRead>): Promise<void> {
    await this.accessLog.recordForeignRead({ ...e.payload, correlationId: e.correlationId, sourceService: e.producer });
  }
}
