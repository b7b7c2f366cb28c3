import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PersonProjectionEntity } from './person-projection.entity';

@Injectable()
export class PersonProjectionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Insert or update; an older event never overwrites a newer one (events_applied counts applications). */
  async upsert(tx: EntityManager, row: Omit<PersonProjectionEntity, 'eventsApplied'>): Promise<void> {
    await tx.query(
      `INSERT INTO social_processing.person_projection
         (person_id, rnokpp_masked, last_name, first_name, patronymic, birth_date, sex, death_date, katottg, last_event_id, last_event_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (person_id) DO UPDATE SET
         rnokpp_masked = EXCLUDED.rnokpp_masked, last_name = EXCLUDED.last_name, first_name = EXCLUDED.first_name,
         patronymic = EXCLUDED.patronymic, birth_date = EXCLUDED.birth_date, sex = EXCLUDED.sex,
         death_date = EXCLUDED.death_date, katottg = EXCLUDED.katottg,
         last_event_id = EXCLUDED.last_event_id, last_event_at = EXCLUDED.last_event_at,
         events_applied = person_projection.events_applied + 1
       WHERE person_projection.last_event_at <= EXCLUDED.last_event_at`,
      [row.personId, row.rnokppMasked, row.lastName, row.firstName, row.patronymic, row.birthDate, row.sex, row.deathDate, row.katottg, row.lastEventId, row.lastEventAt],
    );
  }

  findById(personId: string): Promise<PersonProjectionEntity | null> {
    return this.dataSource.manager.findOne(PersonProjectionEntity, { where: { personId } });
  }
}
