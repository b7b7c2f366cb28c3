import { TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import type { AppropriationInput } from './appropriation.import';

export interface AppropriationRow extends AppropriationInput {
  source: string;
  updatedBy: string;
  updatedAt: string;
}

interface AppropriationDbRow {
  programme_code: string;
  region: string;
  month: string;
  amount_kopiyky: string;
  source: string;
  updated_by: string;
  updated_at: string;
}

const toAppropriation = (r: AppropriationDbRow): AppropriationRow => ({
  programmeCode: r.programme_code,
  region: r.region,
  month: r.month,
  amountKopiyky: r.amount_kopiyky,
  source: r.source,
  updatedBy: r.updated_by,
  updatedAt: r.updated_at,
});

@Injectable()
export class AppropriationRepository {
  constructor(private readonly db: TransactionHost) {}

  async programmeCodes(codes: string[]): Promise<Set<string>> {
    const rows = await this.db.query<{ code: string }>(`SELECT code FROM e_budget.programme WHERE code = ANY($1::text[])`, [codes]);
    return new Set(rows.map((r) => r.code));
  }

  /** Upserts all rows in one statement. */
  async upsert(rows: AppropriationInput[], source: string, by: string): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO e_budget.appropriation (programme_code, region, month, amount_kopiyky, source, updated_by)
       SELECT r.p, r.r, r.m, r.a::bigint, $5, $6 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS r(p, r, m, a)
       ON CONFLICT (programme_code, region, month) DO UPDATE SET amount_kopiyky = EXCLUDED.amount_kopiyky, source = EXCLUDED.source,
         updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [rows.map((r) => r.programmeCode), rows.map((r) => r.region), rows.map((r) => r.month), rows.map((r) => r.amountKopiyky), source, by],
    );
  }

  async list(f: {
    programmeCode?: string;
    year?: string;
    regionPrefix: string;
    limit: number;
    offset: number;
    withTotal?: boolean;
  }): Promise<{ items: AppropriationRow[]; total: number | null }> {
    const where = `WHERE ($1::text IS NULL OR programme_code = $1) AND ($2::text IS NULL OR month LIKE $2 || '-%') AND region LIKE $3 || '%'`;
    const params = [f.programmeCode ?? null, f.year ?? null, f.regionPrefix];
    const items = await this.db.query<AppropriationDbRow>(
      `SELECT programme_code, region, month, amount_kopiyky::text AS amount_kopiyky, source, updated_by,
              to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS updated_at
       FROM e_budget.appropriation ${where} ORDER BY programme_code, month, region LIMIT $4 OFFSET $5`,
      [...params, f.limit, f.offset],
    );
    const total = await this.db.total(f, `SELECT count(*)::int AS total FROM e_budget.appropriation ${where}`, params);

    return { items: items.map(toAppropriation), total };
  }
}
