import type { PayloadOf, StatusGrantedV1 } from '@eisss/contracts';
import { TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import type { StatusDetails, StatusType } from './status.rules';

export interface StatusRow {
  id: string;
  personId: string;
  type: StatusType;
  validFrom: string;
  validTo: string | null;
  source: string;
  details: StatusDetails;
  katottg: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface StatusHistoryRow {
  statusId: string;
  personId: string;
  action: string;
  version: number;
  snapshot: Record<string, unknown>;
  reason: string | null;
  source: string;
  actorId: string;
  occurredAt: string;
}

const COLUMNS = `id, person_id, type, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to, source, details, katottg, version, created_at, updated_at`;

/** A timestamp as JavaScript's toISOString writes it (UTC, milliseconds), in SQL. */
const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A row of social_register.person_status selected with COLUMNS. */
interface StatusDbRow {
  id: string;
  person_id: string;
  type: StatusType;
  valid_from: string;
  valid_to: string | null;
  source: string;
  details: StatusDetails;
  katottg: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

interface StatusHistoryDbRow {
  status_id: string;
  person_id: string;
  action: string;
  version: number;
  snapshot: Record<string, unknown>;
  reason: string | null;
  source: string;
  actor_id: string;
  occurred_at: Date;
}

interface PersonTerritoryDbRow {
  id: string;
  katottg: string | null;
  actual_katottg: string | null;
  merged_into: string | null;
}

const toHistory = (r: StatusHistoryDbRow): StatusHistoryRow => ({
  statusId: r.status_id,
  personId: r.person_id,
  action: r.action,
  version: r.version,
  snapshot: r.snapshot,
  reason: r.reason,
  source: r.source,
  actorId: r.actor_id,
  occurredAt: r.occurred_at.toISOString(),
});

const toStatus = (r: StatusDbRow): StatusRow => ({
  id: r.id,
  personId: r.person_id,
  type: r.type,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  source: r.source,
  details: r.details,
  katottg: r.katottg,
  version: r.version,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

@Injectable()
export class StatusRepository {
  constructor(private readonly db: TransactionHost) {}

  async findById(id: string, lock = false): Promise<StatusRow | null> {
    const [row] = await this.db.query<StatusDbRow>(
      `SELECT ${COLUMNS} FROM social_register.person_status WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return row ? toStatus(row) : null;
  }

  async findByClientRequestId(clientRequestId: string): Promise<StatusRow | null> {
    const [row] = await this.db.query<StatusDbRow>(`SELECT ${COLUMNS} FROM social_register.person_status WHERE client_request_id = $1`, [
      clientRequestId,
    ]);
    return row ? toStatus(row) : null;
  }

  /**
   * Statuses of the same type whose period meets [from, to], locked; social_register.status_overlaps
   * first takes the lock that serialises changes of one person's statuses of one type, so that the
   * check holds under concurrency until the transaction ends.
   */
  async overlapping(personId: string, type: string, from: string, to: string | null, exceptId: string | null): Promise<string[]> {
    const [row] = await this.db.query<{ ids: string[] }>(
      `SELECT social_register.status_overlaps($1::uuid, $2::text, $3::date, $4::date, $5::uuid) AS ids`,
      [personId, type, from, to, exceptId],
    );
    return row!.ids;
  }

  /**
   * A grant in one statement: the person (territory, merged), the statuses of the same type whose
   * period meets the new one (social_register.status_overlaps: under the lock of the person's
   * statuses of that type, locked), and, only when the person is there, not merged away and nothing
   * overlaps, the new status with its `granted` history entry (the snapshot is the row as returned).
   * The caller checks the person's territory afterwards and throws (rolling the grant back) when it
   * may not see them.
   */
  async grant(
    s: {
      id: string;
      personId: string;
      type: string;
      validFrom: string;
      validTo: string | null;
      source: string;
      details: StatusDetails;
      clientRequestId: string | null;
    },
    history: { reason: string | null; actorId: string },
  ): Promise<{
    person: { id: string; katottg: string | null; actualKatottg: string | null; mergedInto: string | null } | null;
    status: StatusRow | null;
    clash: string[];
  }> {
    const [row] = await this.db.query<
      StatusDbRow & {
        p_id: string | null;
        p_katottg: string | null;
        p_actual_katottg: string | null;
        p_merged_into: string | null;
        clash_ids: string[];
      }
    >(
      `WITH p AS (
         SELECT id, katottg, actual_katottg, merged_into FROM social_register.person WHERE id = $2::uuid
       ), clash AS (
         SELECT social_register.status_overlaps($2::uuid, $3::text, $4::date, $5::date, NULL) AS ids
       ), ins AS (
         INSERT INTO social_register.person_status (id, person_id, type, valid_from, valid_to, source, details, katottg, client_request_id)
         SELECT $1::uuid, p.id, $3::text, $4::date, $5::date, $6::text, $7::jsonb, coalesce(p.katottg, p.actual_katottg), $8::text
           FROM p, clash
          WHERE p.merged_into IS NULL AND cardinality(clash.ids) = 0
         RETURNING ${COLUMNS}
       ), hist AS (
         INSERT INTO social_register.status_history (status_id, person_id, action, version, snapshot, reason, source, actor_id)
         SELECT id, person_id, 'granted', version,
                jsonb_build_object('id', id, 'personId', person_id, 'type', type, 'validFrom', valid_from, 'validTo', valid_to,
                  'source', source, 'details', details, 'katottg', katottg, 'version', version,
                  'createdAt', ${ISO('created_at')}, 'updatedAt', ${ISO('updated_at')}),
                $9::text, source, $10::text
           FROM ins
       )
       SELECT ins.*, p.id AS p_id, p.katottg AS p_katottg, p.actual_katottg AS p_actual_katottg, p.merged_into AS p_merged_into,
              clash.ids AS clash_ids
         FROM (SELECT 1) one LEFT JOIN p ON true LEFT JOIN clash ON true LEFT JOIN ins ON true`,
      [
        s.id,
        s.personId,
        s.type,
        s.validFrom,
        s.validTo,
        s.source,
        JSON.stringify(s.details),
        s.clientRequestId,
        history.reason,
        history.actorId,
      ],
    );
    const r = row!;
    return {
      person: r.p_id ? { id: r.p_id, katottg: r.p_katottg, actualKatottg: r.p_actual_katottg, mergedInto: r.p_merged_into } : null,
      status: r.id ? toStatus(r) : null,
      clash: r.clash_ids ?? [],
    };
  }

  async update(id: string, s: { validFrom: string; validTo: string | null; source: string; details: StatusDetails }): Promise<StatusRow> {
    await this.db.query(
      `UPDATE social_register.person_status SET valid_from = $2, valid_to = $3, source = $4, details = $5, version = version + 1, updated_at = now() WHERE id = $1`,
      [id, s.validFrom, s.validTo, s.source, JSON.stringify(s.details)],
    );
    return (await this.findById(id))!;
  }

  async addHistory(
    s: StatusRow,
    action: 'granted' | 'ended' | 'corrected' | 'moved',
    reason: string | null,
    source: string,
    actorId: string,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO social_register.status_history (status_id, person_id, action, version, snapshot, reason, source, actor_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [s.id, s.personId, action, s.version, JSON.stringify(s), reason, source, actorId],
    );
  }

  async history(statusIds: string[]): Promise<StatusHistoryRow[]> {
    const rows = await this.db.query<StatusHistoryDbRow>(
      `SELECT * FROM social_register.status_history WHERE status_id = ANY ($1::uuid[]) ORDER BY occurred_at, id`,
      [statusIds],
    );
    return rows.map(toHistory);
  }

  async ofPerson(personId: string, type: string | undefined, activeOn: string | undefined): Promise<StatusRow[]> {
    const rows = await this.db.query<StatusDbRow>(
      `SELECT ${COLUMNS} FROM social_register.person_status
        WHERE person_id = $1 AND ($2::text IS NULL OR type = $2)
          AND ($3::date IS NULL OR (valid_from <= $3 AND (valid_to IS NULL OR valid_to >= $3)))
        ORDER BY valid_from, id`,
      [personId, type ?? null, activeOn ?? null],
    );
    return rows.map(toStatus);
  }

  async person(
    id: string,
  ): Promise<{ id: string; katottg: string | null; actualKatottg: string | null; mergedInto: string | null } | null> {
    const [r] = await this.db.query<PersonTerritoryDbRow>(
      `SELECT id, katottg, actual_katottg, merged_into FROM social_register.person WHERE id = $1`,
      [id],
    );
    return r ? { id: r.id, katottg: r.katottg, actualKatottg: r.actual_katottg, mergedInto: r.merged_into } : null;
  }

  payload(s: StatusRow): PayloadOf<typeof StatusGrantedV1> {
    return {
      statusId: s.id,
      personId: s.personId,
      type: s.type,
      validFrom: s.validFrom,
      validTo: s.validTo,
      source: s.source,
      katottg: s.katottg,
      details: s.details,
    };
  }
}
