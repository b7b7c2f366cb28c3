import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppropriationInput } from './appropriation.import';

export interface AppropriationRow extends AppropriationInput {
  source: string;
  updatedBy: string;
  updatedAt: string;
}

@Injectable()
export class AppropriationRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async programmeCodes(db: Pick<EntityManager, 'query'>, codes: string[]): Promise<Set<string>> {
    const rows: { code: string }[] = await db.query(`SELECT code FROM e_budget.programme WHERE code = ANY($1::text[])`, [codes]);
    return new Set(rows.map((r) => r.code));
  }

  /** Upserts all rows in one statement. */
  async upsert(tx: EntityManager, rows: AppropriationInput[], source: string, by: string): Promise<void> {
    if (rows.length === 0) return;
    await tx.query(
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
  }): Promise<{ items: AppropriationRow[]; total: number }> {
    const where = `WHERE ($1::text IS NULL OR programme_code = $1) AND ($2::text IS NULL OR month LIKE $2 || '-%') AND region LIKE $3 || '%'`;
    const params = [f.programmeCode ?? null, f.year ?? null, f.regionPrefix];
    const items: AppropriationRow[] = await this.dataSource.query(
      `SELECT programme_code AS "programmeCode", region, month, amount_kopiyky::text AS "amountKopiyky", source, updated_by AS "updatedBy",
              to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "updatedAt"
       FROM e_budget.appropriation ${where} ORDER BY programme_code, month, region LIMIT $4 OFFSET $5`,
      [...params, f.limit, f.offset],
    );
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM e_budget.appropriation ${where}`, params);
    return { items, total };
  }
}
