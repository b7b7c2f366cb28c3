import { TransactionHost, type PageRequest } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import type { ParameterRow } from '../rules/parameters';

/** One stored row of social_processing.parameter (append-only). */
export interface StoredParameter {
  id: string;
  seq: string;
  key: string;
  value: string;
  effectiveFrom: string;
  legalSource: string;
  reason: string;
  requestedBy: string;
  approvedBy: string | null;
  approvalId: string | null;
  createdAt: string;
}

const COLUMNS = `id, seq::text AS "seq", key, value::text AS "value", effective_from::text AS "effectiveFrom", legal_source AS "legalSource", reason,
  requested_by AS "requestedBy", approved_by AS "approvedBy", approval_id AS "approvalId",
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`;

@Injectable()
export class ParametersRepository {
  constructor(private readonly db: TransactionHost) {}

  /** Every row as the rules read them: by key, date and insertion order (a later row of the same date wins). */
  async rows(): Promise<ParameterRow[]> {
    const rows: { key: string; from: string; value: string; source: string }[] = await this.db.query(
      `SELECT key, effective_from::text AS "from", value::text AS "value", legal_source AS "source" FROM social_processing.parameter ORDER BY key, effective_from, seq`,
    );
    return rows.map((r) => ({ key: r.key, from: r.from, value: BigInt(r.value), source: r.source }));
  }

  /** The table's version (row count and highest seq): changes whenever a row is added, in any process. */
  async version(): Promise<string> {
    const [row]: { v: string }[] = await this.db.query(
      `SELECT count(*)::text || ':' || coalesce(max(seq), 0)::text AS v FROM social_processing.parameter`,
    );
    return row!.v;
  }

  /** Rows are added one transaction at a time, so that each approval recalculates with every row before it. */
  async lockForAppend(): Promise<void> {
    this.db.assertActive('locking the parameter table');
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtext('social_processing.parameter'))`);
  }

  async list(f: { key?: string } & PageRequest): Promise<{ items: StoredParameter[]; total: number | null }> {
    const where = `WHERE ($1::text IS NULL OR key = $1)`;
    const items: StoredParameter[] = await this.db.query(
      `SELECT ${COLUMNS} FROM social_processing.parameter ${where} ORDER BY key, effective_from, seq LIMIT $2 OFFSET $3`,
      [f.key ?? null, f.limit, f.offset],
    );
    const total = await this.db.total(f, `SELECT count(*)::int AS total FROM social_processing.parameter ${where}`, [f.key ?? null]);

    return { items, total };
  }

  /** The seq of the row in force on a date for each of the keys (the latest date ≤ on, the latest row of that date). */
  async inForceSeqs(keys: string[], on: string): Promise<Set<string>> {
    if (!keys.length) return new Set();
    const rows: { seq: string }[] = await this.db.query(
      `SELECT DISTINCT ON (key) seq::text AS seq FROM social_processing.parameter WHERE key = ANY($1::text[]) AND effective_from <= $2 ORDER BY key, effective_from DESC, seq DESC`,
      [keys, on],
    );
    return new Set(rows.map((r) => r.seq));
  }

  async insert(r: {
    id: string;
    key: string;
    value: string;
    effectiveFrom: string;
    legalSource: string;
    reason: string;
    requestedBy: string;
    approvedBy: string;
    approvalId: string;
  }): Promise<StoredParameter> {
    const [row]: StoredParameter[] = await this.db.query(
      `INSERT INTO social_processing.parameter (id, key, value, effective_from, legal_source, reason, requested_by, approved_by, approval_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
      [r.id, r.key, r.value, r.effectiveFrom, r.legalSource, r.reason, r.requestedBy, r.approvedBy, r.approvalId],
    );
    return row!;
  }
}
