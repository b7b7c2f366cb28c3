import { TransactionHost, type PageRequest } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { PersonEntity } from './person.entity';
import { PII_FIELDS } from './person-pii';
import { PersonPii } from './pii.service';

export interface PersonSearch {
  territory: string;
  /** Exact match through the keyed hash. */
  rnokpp?: string;
  unzr?: string;
  lastName?: string;
  firstName?: string;
  birthDate?: string;
  katottg?: string;
  statusType?: string;
  includeMerged?: boolean;
  limit: number;
  offset: number;
  /** false: skip the count (total null). */
  withTotal?: boolean;
}

export interface HistoryRow {
  id: string;
  personId: string;
  action: string;
  changes: Record<string, unknown>;
  reason: string | null;
  source: string | null;
  actorId: string;
  occurredAt: string;
}

export interface ChangeRequestRow {
  id: string;
  personId: string;
  changes: Record<string, unknown>;
  reason: string;
  source: string;
  status: 'pending' | 'approved' | 'rejected';
  katottg: string | null;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
}

export interface DuplicateReviewRow {
  id: string;
  personId: string;
  candidateIds: string[];
  matchKind: string;
  status: 'open' | 'merged' | 'distinct';
  katottg: string | null;
  createdAt: string;
  resolvedBy: string | null;
  resolvedAt: string | null;
  mergeId: string | null;
}

/** Columns a change request may change (РНОКПП, УНЗР and birth date are corrected only through the source registers). */
export const CHANGEABLE_COLUMNS = {
  lastName: 'last_name',
  firstName: 'first_name',
  patronymic: 'patronymic',
  sex: 'sex',
  deathDate: 'death_date',
  katottg: 'katottg',
  registeredAddress: 'registered_address',
  actualAddress: 'actual_address',
  actualKatottg: 'actual_katottg',
  phone: 'phone',
  email: 'email',
  iban: 'iban',
  paymentPostcode: 'payment_postcode',
} as const;
export type ChangeableField = keyof typeof CHANGEABLE_COLUMNS;

/** True for a field a change request may change. */
export const isChangeableField = (f: string): f is ChangeableField => f in CHANGEABLE_COLUMNS;

/** A row of social_register.person selected with PERSON_COLUMNS (personal data still sealed). */
interface PersonDbRow {
  id: string;
  rnokpp_enc: string | null;
  unzr_enc: string | null;
  last_name: string;
  first_name: string;
  patronymic: string | null;
  birth_date: string;
  sex: 'male' | 'female';
  death_date: string | null;
  katottg: string | null;
  phone_enc: string | null;
  email_enc: string | null;
  registered_address: string | null;
  actual_address: string | null;
  actual_katottg: string | null;
  iban_enc: string | null;
  payment_postcode: string | null;
  name_key: string | null;
  merged_into: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

interface HistoryDbRow {
  id: string | number;
  person_id: string;
  action: string;
  changes: Record<string, unknown>;
  reason: string | null;
  source: string | null;
  actor_id: string;
  occurred_at: Date;
}

interface ChangeRequestDbRow {
  id: string;
  person_id: string;
  changes: Record<string, unknown>;
  reason: string;
  source: string;
  status: ChangeRequestRow['status'];
  katottg: string | null;
  requested_by: string;
  requested_at: Date | string;
  decided_by: string | null;
  decided_at: Date | string | null;
  decision_note: string | null;
}

interface DuplicateReviewDbRow {
  id: string;
  person_id: string;
  candidate_ids: string[];
  match_kind: string;
  status: DuplicateReviewRow['status'];
  katottg: string | null;
  created_at: Date | string;
  resolved_by: string | null;
  resolved_at: Date | string | null;
  merge_id: string | null;
}

interface MergeJournalDbRow {
  id: string;
  merged_person_id: string;
  survivor_person_id: string;
  reason: string;
  actor_id: string;
  requested_by: string | null;
  approval_id: string | null;
  merged_at: Date;
  moved: unknown;
}

interface AuditDbRow {
  actor_id: string;
  actor_roles: string[];
  action: string;
  purpose: string | null;
  occurred_at: Date;
  source_service: string | null;
}

const iso = (d: Date | string | null) => (d === null ? null : d instanceof Date ? d.toISOString() : d);

function toChangeRequest(r: ChangeRequestDbRow, changes: Record<string, unknown>): ChangeRequestRow {
  return {
    id: r.id,
    personId: r.person_id,
    changes,
    reason: r.reason,
    source: r.source,
    status: r.status,
    katottg: r.katottg,
    requestedBy: r.requested_by,
    requestedAt: iso(r.requested_at)!,
    decidedBy: r.decided_by,
    decidedAt: iso(r.decided_at),
    decisionNote: r.decision_note,
  };
}

function toReview(r: DuplicateReviewDbRow): DuplicateReviewRow {
  return {
    id: r.id,
    personId: r.person_id,
    candidateIds: r.candidate_ids,
    matchKind: r.match_kind,
    status: r.status,
    katottg: r.katottg,
    createdAt: iso(r.created_at)!,
    resolvedBy: r.resolved_by,
    resolvedAt: iso(r.resolved_at),
    mergeId: r.merge_id,
  };
}

/** The columns of a person row, dates as text. */
const PERSON_COLUMNS = `id, rnokpp_enc, unzr_enc, last_name, first_name, patronymic, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, sex,
  to_char(death_date, 'YYYY-MM-DD') AS death_date, katottg, phone_enc, email_enc, registered_address, actual_address, actual_katottg,
  iban_enc, payment_postcode, name_key, merged_into, created_by, created_at, updated_at, version`;

/** Plain columns of the person table (the personal-data ones go through PersonPii). */
const PLAIN_COLUMNS: Record<string, string> = {
  id: 'id',
  lastName: 'last_name',
  firstName: 'first_name',
  patronymic: 'patronymic',
  birthDate: 'birth_date',
  sex: 'sex',
  deathDate: 'death_date',
  katottg: 'katottg',
  registeredAddress: 'registered_address',
  actualAddress: 'actual_address',
  actualKatottg: 'actual_katottg',
  paymentPostcode: 'payment_postcode',
  nameKey: 'name_key',
  mergedInto: 'merged_into',
  createdBy: 'created_by',
};

@Injectable()
export class PersonRepository {
  constructor(
    private readonly db: TransactionHost,
    private readonly pii: PersonPii,
  ) {}

  /** A change request with its changes decrypted (they are stored with personal data encrypted). */
  private async toChangeRequest(r: ChangeRequestDbRow): Promise<ChangeRequestRow> {
    return toChangeRequest(r, await this.pii.openJson(r.changes));
  }

  private async toPerson(r: PersonDbRow): Promise<PersonEntity> {
    const plain = await this.pii.openColumns(r);
    return Object.assign(new PersonEntity(), {
      id: r.id,
      ...plain,
      lastName: r.last_name,
      firstName: r.first_name,
      patronymic: r.patronymic,
      birthDate: r.birth_date,
      sex: r.sex,
      deathDate: r.death_date,
      katottg: r.katottg,
      registeredAddress: r.registered_address,
      actualAddress: r.actual_address,
      actualKatottg: r.actual_katottg,
      paymentPostcode: r.payment_postcode,
      nameKey: r.name_key,
      mergedInto: r.merged_into,
      createdBy: r.created_by,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      version: r.version,
    });
  }

  private async one(sql: string, params: unknown[]): Promise<PersonEntity | null> {
    const [row] = await this.db.query<PersonDbRow>(sql, params);
    return row ? this.toPerson(row) : null;
  }

  findById(id: string): Promise<PersonEntity | null> {
    return this.one(`SELECT ${PERSON_COLUMNS} FROM social_register.person WHERE id = $1`, [id]);
  }

  /** Locks the person row for an update in this transaction. */
  lockById(id: string): Promise<PersonEntity | null> {
    return this.one(`SELECT ${PERSON_COLUMNS} FROM social_register.person WHERE id = $1 FOR UPDATE`, [id]);
  }

  /** An existing person with the same РНОКПП or УНЗР (exact duplicate), found by their keyed hashes. */
  async findByIdentifiers(rnokpp: string | null, unzr: string | null): Promise<PersonEntity | null> {
    if (!rnokpp && !unzr) return null;
    return this.one(
      `SELECT ${PERSON_COLUMNS} FROM social_register.person WHERE rnokpp_hash = $1 OR unzr_hash = $2 ORDER BY created_at LIMIT 1 FOR SHARE`,
      [rnokpp ? this.pii.hash('rnokpp', rnokpp) : null, unzr ? this.pii.hash('unzr', unzr) : null],
    );
  }

  /** The person's columns and their positional parameters, personal data sealed. */
  private insertColumns(person: Omit<PersonEntity, 'createdAt' | 'updatedAt' | 'version'>): { names: string[]; values: unknown[] } {
    const columns: Record<string, unknown> = this.pii.sealColumns({
      rnokpp: person.rnokpp,
      unzr: person.unzr,
      phone: person.phone,
      email: person.email,
      iban: person.iban,
    });
    for (const [field, column] of Object.entries(PLAIN_COLUMNS))
      columns[column] = (person as unknown as Record<string, unknown>)[field] ?? null;
    const names = Object.keys(columns);
    return { names, values: names.map((n) => columns[n]) };
  }

  /**
   * The intake in one statement: the person row unless its РНОКПП or УНЗР is already registered (an
   * exact duplicate: then `person` is null and nothing is written), its `registered` history entry, and
   * the probable duplicates (same normalised name and birth date, not merged away, committed before;
   * social_register.probable_duplicates takes the lock that serialises intakes of that name and birth
   * date before it reads, so two concurrent ones still see each other).
   */
  async insertRegistered(
    person: Omit<PersonEntity, 'createdAt' | 'updatedAt' | 'version'> & { nameKey: string },
    history: { changes: Record<string, unknown>; actorId: string; source: string },
  ): Promise<{ person: PersonEntity | null; probableDuplicateIds: string[] }> {
    const { names, values } = this.insertColumns(person);
    const n = values.length;
    const [row] = await this.db.query<PersonDbRow & { probable_ids: string[] }>(
      `WITH ins AS (
         INSERT INTO social_register.person (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})
         ON CONFLICT DO NOTHING
         RETURNING ${PERSON_COLUMNS}
       ), hist AS (
         INSERT INTO social_register.person_history (person_id, action, changes, reason, source, actor_id)
         SELECT id, 'registered', $${n + 3}::jsonb, NULL::text, $${n + 4}::text, $${n + 5}::text FROM ins
       )
       SELECT ins.*,
              CASE WHEN ins.id IS NULL THEN '{}'::uuid[] ELSE social_register.probable_duplicates($${n + 1}::text, $${n + 2}::text, ins.id) END
                AS probable_ids
         FROM (SELECT 1) one LEFT JOIN ins ON true`,
      [...values, person.nameKey, person.birthDate, JSON.stringify(this.pii.sealJson(history.changes)), history.source, history.actorId],
    );
    return { person: row!.id ? await this.toPerson(row!) : null, probableDuplicateIds: row!.probable_ids };
  }

  /** Applies changed columns and bumps the version. */
  async update(id: string, changes: Partial<Record<ChangeableField, string | null>>, nameKey: string): Promise<void> {
    const columns: Record<string, unknown> = {};
    const pii: Record<string, string | null> = {};
    for (const f of Object.keys(changes) as ChangeableField[]) {
      if ((PII_FIELDS as readonly string[]).includes(f)) pii[f] = changes[f] ?? null;
      else columns[CHANGEABLE_COLUMNS[f]] = changes[f] ?? null;
    }
    Object.assign(columns, this.pii.sealColumns(pii), { name_key: nameKey });
    const names = Object.keys(columns);
    await this.db.query(
      `UPDATE social_register.person SET ${[...names.map((n, i) => `${n} = $${i + 2}`), 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE id = $1`,
      [id, ...names.map((n) => columns[n])],
    );
  }

  async markMerged(id: string, survivorId: string): Promise<void> {
    await this.db.query(`UPDATE social_register.person SET merged_into = $2, version = version + 1, updated_at = now() WHERE id = $1`, [
      id,
      survivorId,
    ]);
  }

  /** Appends to the journal; personal data in `changes` (`{ iban: { from, to } }`) is stored encrypted. */
  async addHistory(
    personId: string,
    action: string,
    changes: Record<string, unknown>,
    actorId: string,
    reason: string | null,
    source: string | null,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO social_register.person_history (person_id, action, changes, reason, source, actor_id) VALUES ($1, $2, $3, $4, $5, $6)`,
      [personId, action, JSON.stringify(this.pii.sealJson(changes)), reason, source, actorId],
    );
  }

  /** The journal of a person and of every record merged into it (both histories are kept). */
  async history(personId: string): Promise<HistoryRow[]> {
    const rows = await this.db.query<HistoryDbRow>(
      `SELECT h.* FROM social_register.person_history h
        WHERE h.person_id = $1 OR h.person_id IN (SELECT id FROM social_register.person WHERE merged_into = $1)
        ORDER BY h.occurred_at, h.id`,
      [personId],
    );
    const out: HistoryRow[] = [];
    for (const r of rows)
      out.push({
        id: String(r.id),
        personId: r.person_id,
        action: r.action,
        changes: await this.pii.openJson(r.changes),
        reason: r.reason,
        source: r.source,
        actorId: r.actor_id,
        occurredAt: iso(r.occurred_at)!,
      });
    return out;
  }

  async search(q: PersonSearch): Promise<{ items: PersonEntity[]; total: number | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (q.territory !== 'UA') {
      const t = p(q.territory);
      where.push(`(p.katottg LIKE ${t} || '%' OR p.actual_katottg LIKE ${t} || '%')`);
    }
    if (!q.includeMerged) where.push('p.merged_into IS NULL');
    if (q.rnokpp) where.push(`p.rnokpp_hash = ${p(this.pii.hash('rnokpp', q.rnokpp))}`);
    if (q.unzr) where.push(`p.unzr_hash = ${p(this.pii.hash('unzr', q.unzr))}`);
    if (q.lastName) where.push(`p.name_key LIKE ${p(q.lastName)} || '|%'`);
    if (q.firstName) where.push(`split_part(p.name_key, '|', 2) = ${p(q.firstName)}`);
    if (q.birthDate) where.push(`p.birth_date = ${p(q.birthDate)}`);
    if (q.katottg) {
      const k = p(q.katottg);
      where.push(`(p.katottg LIKE ${k} || '%' OR p.actual_katottg LIKE ${k} || '%')`);
    }
    if (q.statusType)
      where.push(
        `EXISTS (SELECT 1 FROM social_register.person_status s WHERE s.person_id = p.id AND s.type = ${p(q.statusType)} AND (s.valid_to IS NULL OR s.valid_to >= current_date))`,
      );
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = await this.db.total(q, `SELECT count(*)::int AS total FROM social_register.person p ${whereSql}`, params);
    const rows = await this.db.query<PersonDbRow>(
      `SELECT ${PERSON_COLUMNS} FROM social_register.person p ${whereSql} ORDER BY p.last_name, p.first_name, p.birth_date, p.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, q.limit, q.offset],
    );
    const items: PersonEntity[] = [];
    for (const r of rows) items.push(await this.toPerson(r));
    return { items, total };
  }

  // ── change requests ───────────────────────────────────────────────────────
  /** Inserts a pending change request; null when another one with the same client request id exists (committed first). */
  async insertChangeRequest(cr: {
    id: string;
    personId: string;
    changes: Record<string, unknown>;
    reason: string;
    source: string;
    katottg: string | null;
    requestedBy: string;
    clientRequestId: string | null;
  }): Promise<ChangeRequestRow | null> {
    const [row] = await this.db.query<ChangeRequestDbRow>(
      `INSERT INTO social_register.change_request (id, person_id, changes, reason, source, status, katottg, requested_by, client_request_id)
       VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8) ON CONFLICT (client_request_id) DO NOTHING RETURNING *`,
      [
        cr.id,
        cr.personId,
        JSON.stringify(this.pii.sealJson(cr.changes)),
        cr.reason,
        cr.source,
        cr.katottg,
        cr.requestedBy,
        cr.clientRequestId,
      ],
    );
    return row ? this.toChangeRequest(row) : null;
  }

  async findChangeRequestByClientId(clientRequestId: string): Promise<ChangeRequestRow | null> {
    const [row] = await this.db.query<ChangeRequestDbRow>(`SELECT * FROM social_register.change_request WHERE client_request_id = $1`, [
      clientRequestId,
    ]);
    return row ? this.toChangeRequest(row) : null;
  }

  async findChangeRequest(id: string, lock = false): Promise<ChangeRequestRow | null> {
    const [row] = await this.db.query<ChangeRequestDbRow>(
      `SELECT * FROM social_register.change_request WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return row ? this.toChangeRequest(row) : null;
  }

  async decideChangeRequest(id: string, status: 'approved' | 'rejected', actorId: string, note: string | null): Promise<ChangeRequestRow> {
    const rows = await this.db.query<ChangeRequestDbRow>(
      `UPDATE social_register.change_request SET status = $2, decided_by = $3, decided_at = now(), decision_note = $4 WHERE id = $1 RETURNING *`,
      [id, status, actorId, note],
    );
    return this.toChangeRequest(rows[0]!);
  }

  async listChangeRequests(
    territory: string,
    status: string | undefined,
    personId: string | undefined,
    page: PageRequest,
  ): Promise<{ items: ChangeRequestRow[]; total: number | null }> {
    const params: unknown[] = [territory, status ?? null, personId ?? null];
    const where = `WHERE ($1 = 'UA' OR katottg LIKE $1 || '%') AND ($2::text IS NULL OR status = $2) AND ($3::uuid IS NULL OR person_id = $3)`;
    const total = await this.db.total(page, `SELECT count(*)::int AS total FROM social_register.change_request ${where}`, params);
    const rows = await this.db.query<ChangeRequestDbRow>(
      `SELECT * FROM social_register.change_request ${where} ORDER BY requested_at, id LIMIT $4 OFFSET $5`,
      [...params, page.limit, page.offset],
    );
    const items: ChangeRequestRow[] = [];
    for (const r of rows) items.push(await this.toChangeRequest(r));
    return { items, total };
  }

  // ── duplicate reviews and merges ───────────────────────────────────────────
  async insertDuplicateReview(r: {
    id: string;
    personId: string;
    candidateIds: string[];
    matchKind: string;
    katottg: string | null;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO social_register.duplicate_review (id, person_id, candidate_ids, match_kind, status, katottg) VALUES ($1, $2, $3, $4, 'open', $5)`,
      [r.id, r.personId, r.candidateIds, r.matchKind, r.katottg],
    );
  }

  async findDuplicateReview(id: string, lock = false): Promise<DuplicateReviewRow | null> {
    const [row] = await this.db.query<DuplicateReviewDbRow>(
      `SELECT * FROM social_register.duplicate_review WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return row ? toReview(row) : null;
  }

  async reviewsOfPerson(personId: string): Promise<DuplicateReviewRow[]> {
    const rows = await this.db.query<DuplicateReviewDbRow>(
      `SELECT * FROM social_register.duplicate_review WHERE person_id = $1 OR $1 = ANY (candidate_ids) ORDER BY created_at`,
      [personId],
    );
    return rows.map(toReview);
  }

  async resolveDuplicateReview(id: string, status: 'merged' | 'distinct', actorId: string, mergeId: string | null): Promise<void> {
    await this.db.query(
      `UPDATE social_register.duplicate_review SET status = $2, resolved_by = $3, resolved_at = now(), merge_id = $4 WHERE id = $1`,
      [id, status, actorId, mergeId],
    );
  }

  async listDuplicateReviews(
    territory: string,
    status: string | undefined,
    page: PageRequest,
  ): Promise<{ items: DuplicateReviewRow[]; total: number | null }> {
    const params: unknown[] = [territory, status ?? null];
    const where = `WHERE ($1 = 'UA' OR katottg LIKE $1 || '%') AND ($2::text IS NULL OR status = $2)`;
    const total = await this.db.total(page, `SELECT count(*)::int AS total FROM social_register.duplicate_review ${where}`, params);
    const rows = await this.db.query<DuplicateReviewDbRow>(
      `SELECT * FROM social_register.duplicate_review ${where} ORDER BY created_at, id LIMIT $3 OFFSET $4`,
      [...params, page.limit, page.offset],
    );
    return { items: rows.map(toReview), total };
  }

  /** Moves what hangs on the merged person to the survivor; returns what was moved (for the journal). */
  async moveToSurvivor(
    mergedId: string,
    survivorId: string,
  ): Promise<{ statuses: string[]; households: string[]; entitlements: string[] }> {
    const statuses = await this.db.query<{ id: string }>(
      `UPDATE social_register.person_status SET person_id = $2, updated_at = now() WHERE person_id = $1 RETURNING id`,
      [mergedId, survivorId],
    );
    const households = await this.db.query<{ household_id: string }>(
      `UPDATE social_register.household_member m SET person_id = $2
          WHERE m.person_id = $1
            AND NOT (m.left_on IS NULL AND EXISTS (SELECT 1 FROM social_register.household_member o WHERE o.person_id = $2 AND o.left_on IS NULL))
          RETURNING household_id`,
      [mergedId, survivorId],
    );
    // An active membership the survivor already has elsewhere wins: the merged record's one is closed.
    await this.db.query(
      `UPDATE social_register.household_member SET left_on = greatest(joined_on, current_date) WHERE person_id = $1 AND left_on IS NULL`,
      [mergedId],
    );
    const entitlements = await this.db.query<{ assignment_id: string }>(
      `UPDATE social_register.entitlement e SET person_id = $2 WHERE person_id = $1
           AND NOT EXISTS (SELECT 1 FROM social_register.entitlement o WHERE o.person_id = $2 AND o.assignment_id = e.assignment_id)
         RETURNING assignment_id`,
      [mergedId, survivorId],
    );
    await this.db.query(`UPDATE social_register.entitlement_use SET person_id = $2 WHERE person_id = $1`, [mergedId, survivorId]);
    return {
      statuses: statuses.map((s) => s.id),
      households: [...new Set(households.map((h) => h.household_id))],
      entitlements: entitlements.map((e) => e.assignment_id),
    };
  }

  async insertMergeJournal(j: {
    id: string;
    mergedId: string;
    survivorId: string;
    mergedSnapshot: unknown;
    survivorSnapshot: unknown;
    moved: unknown;
    reason: string;
    actorId: string;
    requestedBy: string;
    approvalId: string;
  }): Promise<Date> {
    const [row] = await this.db.query<{ merged_at: Date }>(
      `INSERT INTO social_register.merge_journal (id, merged_person_id, survivor_person_id, merged_snapshot, survivor_snapshot, moved, reason, actor_id, requested_by, approval_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING merged_at`,
      [
        j.id,
        j.mergedId,
        j.survivorId,
        JSON.stringify(this.pii.sealJson(j.mergedSnapshot)),
        JSON.stringify(this.pii.sealJson(j.survivorSnapshot)),
        JSON.stringify(j.moved),
        j.reason,
        j.actorId,
        j.requestedBy,
        j.approvalId,
      ],
    );
    return row!.merged_at;
  }

  async mergesOf(personId: string): Promise<
    {
      id: string;
      mergedPersonId: string;
      survivorPersonId: string;
      reason: string;
      actorId: string;
      requestedBy: string | null;
      approvalId: string | null;
      mergedAt: string;
      moved: unknown;
    }[]
  > {
    const rows = await this.db.query<MergeJournalDbRow>(
      `SELECT * FROM social_register.merge_journal WHERE merged_person_id = $1 OR survivor_person_id = $1 ORDER BY merged_at`,
      [personId],
    );
    return rows.map((r) => ({
      id: r.id,
      mergedPersonId: r.merged_person_id,
      survivorPersonId: r.survivor_person_id,
      reason: r.reason,
      actorId: r.actor_id,
      requestedBy: r.requested_by,
      approvalId: r.approval_id,
      mergedAt: iso(r.merged_at)!,
      moved: r.moved,
    }));
  }

  async accessLog(
    personId: string,
    page: PageRequest,
  ): Promise<{
    items: { actorId: string; actorRoles: string[]; action: string; purpose: string | null; occurredAt: string; service: string }[];
    total: number | null;
  }> {
    // The register's own reads and those other services reported (source_service), from the append-only trail.
    const total = await this.db.total(
      page,
      `SELECT count(*)::int AS total FROM social_register_audit.audit_log WHERE subject_type = 'person' AND subject_id = $1`,
      [personId],
    );
    const rows = await this.db.query<AuditDbRow>(
      `SELECT * FROM social_register_audit.audit_log WHERE subject_type = 'person' AND subject_id = $1 ORDER BY occurred_at DESC LIMIT $2 OFFSET $3`,
      [personId, page.limit, page.offset],
    );

    return {
      items: rows.map((r) => ({
        actorId: r.actor_id,
        actorRoles: r.actor_roles,
        action: r.action,
        purpose: r.purpose,
        occurredAt: iso(r.occurred_at)!,
        service: r.source_service ?? 'social-register',
      })),
      total,
    };
  }
}
