import { PersonDiedV1, PersonRegisteredV1, StatusEndedV1, StatusGrantedV1, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { EventConsumer, OnEvent } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { PersonProjectionRepository } from './person-projection.repository';

/** Keeps the local person projection from the register's events. */
@Injectable()
@EventConsumer('social-processing.person-projection')
export class PersonProjectionConsumer {
  constructor(private readonly projections: PersonProjectionRepository) {}

  @OnEvent(PersonRegisteredV1)
  async onPersonRegistered(event: EventEnvelope<PayloadOf<typeof PersonRegisteredV1>>): Promise<void> {
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
  @OnEvent(StatusGrantedV1, StatusEndedV1)
  async onStatus(event: EventEnvelope<PayloadOf<typeof StatusGrantedV1>>): Promise<void> {
    await this.projections.upsertStatus({ ...event.payload, lastEventAt: new Date(event.occurredAt) });
  }

  @OnEvent(PersonDiedV1)
  async onPersonDied(event: EventEnvelope<PayloadOf<typeof PersonDiedV1>>): Promise<void> {
    await this.projections.markDied(event.payload.personId, event.payload.deathDate);
  }
}
