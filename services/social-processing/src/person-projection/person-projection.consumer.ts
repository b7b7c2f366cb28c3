import { PersonDiedV1, PersonRegisteredV1, StatusEndedV1, StatusGrantedV1, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { inboxGroup } from '@eisss/platform';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { PersonProjectionRepository } from './person-projection.repository';

const GROUP = inboxGroup('social-processing.person-projection');

/** Keeps the local person projection from the register's events. */
@Controller()
export class PersonProjectionConsumer {
  constructor(private readonly projections: PersonProjectionRepository) {}

  @EventPattern(PersonRegisteredV1.topic, GROUP)
  async onPersonRegistered(@Payload() event: EventEnvelope<PayloadOf<typeof PersonRegisteredV1>>): Promise<void> {
    const p = event.payload;
    await this.projections.upsert({
      personId: p.personId,
      rnokppMasked: p.rnokppMasked,
      lastName: p.name.lastName,
      firstName: p.name.firstName,
      patronymic: p.name.patronymic,
      birthDate: p.birthDate,
      sex: p.sex,
      deathDate: p.deathDate,
      katottg: p.katottg,
      lastEventId: event.eventId,
      lastEventAt: new Date(event.occurredAt),
    });
  }

  /** A granted, corrected or ended status: the payload is the status as it now stands. */
  @EventPattern([StatusGrantedV1.topic, StatusEndedV1.topic], GROUP)
  async onStatus(@Payload() event: EventEnvelope<PayloadOf<typeof StatusGrantedV1>>): Promise<void> {
    await this.projections.upsertStatus({ ...event.payload, lastEventAt: new Date(event.occurredAt) });
  }

  @EventPattern(PersonDiedV1.topic, GROUP)
  async onPersonDied(@Payload() event: EventEnvelope<PayloadOf<typeof PersonDiedV1>>): Promise<void> {
    await this.projections.markDied(event.payload.personId, event.payload.deathDate);
  }
}
