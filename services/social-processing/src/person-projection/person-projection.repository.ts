import type { PayloadOf, PersonPaymentAccountChangedV2 } from '@eisss/contracts';
import type { SealedAccount, SealedHolder } from '@eisss/platform';
import { TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { PersonProjectionEntity } from './person-projection.entity';

type AccountChange = PayloadOf<typeof PersonPaymentAccountChangedV2>;
/**
 * How a person is paid (bank account or post), as the register approved it: the IBAN masked, with its
 * keyed reference and sealed for the treasury (processing cannot open it; it carries it on).
 */
export type PaymentDetails = SealedAccount;
/** The account holder as the register knows them: identifiers masked, referenced and sealed for the treasury. */
export type Payee = SealedHolder;

/** The register's approved account of a person: the only account an assignment may carry. */
export interface PaymentAccountRecord {
  personId: string;
  account: PaymentDetails | null;
  holder: Payee;
  version: number;
}

@Injectable()
export class PersonProjectionRepository {
  constructor(private readonly db: TransactionHost) {}

  /** Insert or update; an older event never overwrites a newer one (events_applied counts applications). */
  async upsert(row: Omit<PersonProjectionEntity, 'eventsApplied'>): Promise<void> {
    await this.db.query(
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
      [
        row.personId,
        row.rnokppMasked,
        row.lastName,
        row.firstName,
        row.patronymic,
        row.birthDate,
        row.sex,
        row.deathDate,
        row.katottg,
        row.lastEventId,
        row.lastEventAt,
      ],
    );
  }

  findById(personId: string): Promise<PersonProjectionEntity | null> {
    return this.db.manager.findOne(PersonProjectionEntity, { where: { personId } });
  }

  /** Insert or correct a status; an older event never overwrites a newer one. */
  async upsertStatus(row: PersonStatusRow & { lastEventAt: Date }): Promise<void> {
    await this.db.query(
      `INSERT INTO social_processing.person_status (status_id, person_id, type, valid_from, valid_to, details, last_event_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (status_id) DO UPDATE SET type = EXCLUDED.type, valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to,
         details = CASE WHEN EXCLUDED.details = '{}'::jsonb THEN person_status.details ELSE EXCLUDED.details END, last_event_at = EXCLUDED.last_event_at
       WHERE person_status.last_event_at <= EXCLUDED.last_event_at`,
      [row.statusId, row.personId, row.type, row.validFrom, row.validTo, JSON.stringify(row.details ?? {}), row.lastEventAt],
    );
  }

  async markDied(personId: string, deathDate: string): Promise<void> {
    await this.db.query(
      `UPDATE social_processing.person_projection SET death_date = $2, events_applied = events_applied + 1 WHERE person_id = $1`,
      [personId, deathDate],
    );
  }

  /**
   * Stores the register's approved account of a person unless a later version is already stored
   * (a lower version is ignored; the same version again is applied, it changes nothing).
   * Returns whether it was applied.
   */
  async upsertPaymentAccount(c: AccountChange, eventId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO social_processing.person_payment_account (person_id, account, holder, version, change_request_id, requested_by, approved_by, changed_at, last_event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (person_id) DO UPDATE SET account = EXCLUDED.account, holder = EXCLUDED.holder, version = EXCLUDED.version,
         change_request_id = EXCLUDED.change_request_id, requested_by = EXCLUDED.requested_by, approved_by = EXCLUDED.approved_by,
         changed_at = EXCLUDED.changed_at, last_event_id = EXCLUDED.last_event_id, updated_at = now()
       WHERE person_payment_account.version <= EXCLUDED.version
       RETURNING person_id`,
      [
        c.personId,
        c.account === null ? null : JSON.stringify(c.account),
        JSON.stringify(c.holder),
        c.version,
        c.changeRequestId,
        c.requestedBy,
        c.approvedBy,
        c.changedAt,
        eventId,
      ],
    );
    return rows.length === 1;
  }

  /** The approved account of a person, or null when the register has published none. */
  async paymentAccountOf(personId: string): Promise<PaymentAccountRecord | null> {
    const rows: { person_id: string; account: PaymentDetails | null; holder: Payee; version: number }[] = await this.db.query(
      `SELECT person_id, account, holder, version FROM social_processing.person_payment_account WHERE person_id = $1`,
      [personId],
    );
    const r = rows[0];
    return r ? { personId: r.person_id, account: r.account ?? null, holder: r.holder, version: r.version } : null;
  }

  /**
   * Serialises work on a person's assignments and account (transaction-scoped advisory lock): a grant
   * reading the account and an account change updating the open assignments never miss each other.
   */
  async lockPersons(personIds: string[]): Promise<void> {
    this.db.assertActive('locking persons');
    for (const id of [...new Set(personIds)].sort())
      await this.db.query(`SELECT pg_advisory_xact_lock(hashtextextended('social_processing.person:' || $1, 0))`, [id]);
  }

  /** Persons known to processing, with their statuses (for building the facts of an application): one statement. */
  async findKnown(ids: string[]): Promise<KnownPerson[]> {
    if (ids.length === 0) return [];
    const persons: {
      person_id: string;
      rnokpp_masked: string | null;
      last_name: string;
      first_name: string;
      birth_date: string;
      death_date: string | null;
      katottg: string | null;
      statuses: {
        status_id: string;
        type: string;
        valid_from: string;
        valid_to: string | null;
        details: Record<string, unknown>;
      }[];
    }[] = await this.db.query(
      `SELECT p.person_id, p.rnokpp_masked, p.last_name, p.first_name, p.birth_date::text AS birth_date, p.death_date::text AS death_date, p.katottg,
              coalesce((SELECT json_agg(json_build_object('status_id', s.status_id, 'type', s.type, 'valid_from', s.valid_from::text,
                                                          'valid_to', s.valid_to::text, 'details', s.details) ORDER BY s.valid_from)
                          FROM social_processing.person_status s WHERE s.person_id = p.person_id), '[]'::json) AS statuses
         FROM social_processing.person_projection p WHERE p.person_id = ANY($1::uuid[])`,
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
      statuses: p.statuses.map((s) => ({
        statusId: s.status_id,
        personId: p.person_id,
        type: s.type,
        validFrom: s.valid_from,
        validTo: s.valid_to,
        details: s.details,
      })),
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

/**
 * A person's statuses valid on a date (from the status projection), each once, sorted: the type, and for
 * a status with a group (disability) also `type:group` (e.g. `disability:II`), as verification's
 * exemptions name them.
 */
export function statusesOn(person: Pick<KnownPerson, 'statuses'>, on: string): string[] {
  const out = new Set<string>();
  for (const s of person.statuses) {
    if (s.validFrom > on || (s.validTo !== null && s.validTo < on)) continue;
    out.add(s.type);
    const group = s.details?.group;
    if (typeof group === 'string' && /^[A-Za-z0-9_-]{1,8}$/.test(group)) out.add(`${s.type}:${group}`);
  }
  return [...out].sort();
}
