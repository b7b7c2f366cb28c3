import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface BudgetHolderRow {
  code: string;
  name: string;
  katottg: string | null;
}
export interface ProgrammeRow {
  code: string;
  kpkvk: string;
  name: string;
  holderCode: string;
  holderName: string;
}

@Injectable()
export class ProgrammeRepository {
  constructor(private readonly dataSource: DataSource) {}

  get db(): EntityManager {
    return this.dataSource.manager;
  }

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async findHolder(db: Pick<EntityManager, 'query'>, code: string): Promise<BudgetHolderRow | null> {
    const rows: BudgetHolderRow[] = await db.query(`SELECT code, name, katottg FROM e_budget.budget_holder WHERE code = $1`, [code]);
    return rows[0] ?? null;
  }

  async insertHolder(tx: EntityManager, h: BudgetHolderRow): Promise<boolean> {
    const rows = await tx.query(
      `INSERT INTO e_budget.budget_holder (code, name, katottg) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING code`,
      [h.code, h.name, h.katottg],
    );
    return rows.length === 1;
  }

  async holders(limit: number, offset: number): Promise<{ items: BudgetHolderRow[]; total: number }> {
    const items: BudgetHolderRow[] = await this.dataSource.query(
      `SELECT code, name, katottg FROM e_budget.budget_holder ORDER BY code LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM e_budget.budget_holder`);
    return { items, total };
  }

  async findProgramme(db: Pick<EntityManager, 'query'>, code: string): Promise<ProgrammeRow | null> {
    const rows: ProgrammeRow[] = await db.query(
      `SELECT p.code, p.kpkvk, p.name, p.holder_code AS "holderCode", h.name AS "holderName" FROM e_budget.programme p JOIN e_budget.budget_holder h ON h.code = p.holder_code WHERE p.code = $1`,
      [code],
    );
    return rows[0] ?? null;
  }

  async insertProgramme(tx: EntityManager, p: Omit<ProgrammeRow, 'holderName'>): Promise<boolean> {
    const rows = await tx.query(
      `INSERT INTO e_budget.programme (code, kpkvk, name, holder_code) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING code`,
      [p.code, p.kpkvk, p.name, p.holderCode],
    );
    return rows.length === 1;
  }

  async programmes(f: { holderCode?: string; limit: number; offset: number }): Promise<{ items: ProgrammeRow[]; total: number }> {
    const items: ProgrammeRow[] = await this.dataSource.query(
      `SELECT p.code, p.kpkvk, p.name, p.holder_code AS "holderCode", h.name AS "holderName" FROM e_budget.programme p JOIN e_budget.budget_holder h ON h.code = p.holder_code
       WHERE ($1::text IS NULL OR p.holder_code = $1) ORDER BY p.kpkvk LIMIT $2 OFFSET $3`,
      [f.holderCode ?? null, f.limit, f.offset],
    );
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM e_budget.programme WHERE ($1::text IS NULL OR holder_code = $1)`,
      [f.holderCode ?? null],
    );
    return { items, total };
  }
}
