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

  /** Insert or correct a status; an older event never overwrites a newer one. */
  async upsertStatus(tx: EntityManager, row: PersonStatusRow & { lastEventAt: Date }): Promise<void> {
    await tx.query(
      `INSERT INTO social_processing.person_status (status_id, person_id, type, valid_from, valid_to, details, last_event_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (status_id) DO UPDATE SET type = EXCLUDED.type, valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to,
         details = CASE WHEN EXCLUDED.details = '{}'::jsonb THEN person_status.details ELSE EXCLUDED.details END, last_event_at = EXCLUDED.last_event_at
       WHERE person_status.last_event_at <= EXCLUDED.last_event_at`,
      [row.statusId, row.personId, row.type, row.validFrom, row.validTo, JSON.stringify(row.details ?? {}), row.lastEventAt],
    );
  }

  async markDied(tx: EntityManager, personId: string, deathDate: string): Promise<void> {
    await tx.query(`UPDATE social_processing.person_projection SET death_date = $2, events_applied = events_applied + 1 WHERE person_id = $1`, [personId, deathDate]);
  }

  /** Persons known to processing, with their statuses (for building the facts of an application). */
  async findKnown(ids: string[], db: Pick<EntityManager, 'query'> = this.dataSource.manager): Promise<KnownPerson[]> {
    if (ids.length === 0) return [];
    const persons: { person_id: string; rnokpp_masked: string | null; last_name: string; first_name: string; birth_date: string; death_date: string | null; katottg: string | null }[] = await db.query(
      `SELECT person_id, rnokpp_masked, last_name, first_name, birth_date::text AS birth_date, death_date::text AS death_date, katottg
         FROM social_processing.person_projection WHERE person_id = ANY($1::uuid[])`,
      [ids],
    );
    const statuses: { status_id: string; person_id: string; type: string; valid_from: string; valid_to: string | null; details: Record<string, unknown> }[] = await db.query(
      `SELECT status_id, person_id, type, valid_from::text AS valid_from, valid_to::text AS valid_to, details
         FROM social_processing.person_status WHERE person_id = ANY($1::uuid[]) ORDER BY valid_from`,
      [ids],
    );
    return persons.map((p) => ({
      personId: p.person_id,
      rnokppMasked: p.rnokpp_masked,
      lastName: p.last_name,
      firstName: p.first_name,
      birthDate: p.birth_date,
      deathDate: p.death_date,
      katottg: p.katottg,
      statuses: statuses
        .filter((s) => s.person_id === p.person_id)
        .map((s) => ({ statusId: s.status_id, personId: s.person_id, type: s.type, validFrom: s.valid_from, validTo: s.valid_to, details: s.details })),
    }));
  }
}

export interface PersonStatusRow {
  statusId: string;
  personId: string;
  type: string;
  validFrom: string;
  validTo: string | null;
  details: Record<string, unknown>;
}

export interface KnownPerson {
  personId: string;
  rnokppMasked: string | null;
  lastName: string;
  firstName: string;
  birthDate: string;
  deathDate: string | null;
  katottg: string | null;
  statuses: PersonStatusRow[];
}
