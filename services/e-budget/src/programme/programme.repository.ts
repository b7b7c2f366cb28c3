import { TransactionHost, type PageRequest } from '@eisss/platform';
import { Injectable } from '@nestjs/common';

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

interface BudgetHolderDbRow {
  code: string;
  name: string;
  katottg: string | null;
}
interface ProgrammeDbRow {
  code: string;
  kpkvk: string;
  name: string;
  holder_code: string;
  holder_name: string;
}

const toHolder = (r: BudgetHolderDbRow): BudgetHolderRow => ({ code: r.code, name: r.name, katottg: r.katottg });
const toProgramme = (r: ProgrammeDbRow): ProgrammeRow => ({
  code: r.code,
  kpkvk: r.kpkvk,
  name: r.name,
  holderCode: r.holder_code,
  holderName: r.holder_name,
});

@Injectable()
export class ProgrammeRepository {
  constructor(private readonly db: TransactionHost) {}

  async findHolder(code: string): Promise<BudgetHolderRow | null> {
    const r = await this.db.one<BudgetHolderDbRow>(`SELECT code, name, katottg FROM e_budget.budget_holder WHERE code = $1`, [code]);
    return r ? toHolder(r) : null;
  }

  async insertHolder(h: BudgetHolderRow): Promise<boolean> {
    const rows = await this.db.query<{ code: string }>(
      `INSERT INTO e_budget.budget_holder (code, name, katottg) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING code`,
      [h.code, h.name, h.katottg],
    );
    return rows.length === 1;
  }

  async holders(page: PageRequest): Promise<{ items: BudgetHolderRow[]; total: number | null }> {
    const items = await this.db.query<BudgetHolderDbRow>(
      `SELECT code, name, katottg FROM e_budget.budget_holder ORDER BY code LIMIT $1 OFFSET $2`,
      [page.limit, page.offset],
    );
    const total = await this.db.total(page, `SELECT count(*)::int AS total FROM e_budget.budget_holder`);
    return { items: items.map(toHolder), total };
  }

  async findProgramme(code: string): Promise<ProgrammeRow | null> {
    const r = await this.db.one<ProgrammeDbRow>(
      `SELECT p.code, p.kpkvk, p.name, p.holder_code, h.name AS holder_name FROM e_budget.programme p JOIN e_budget.budget_holder h ON h.code = p.holder_code WHERE p.code = $1`,
      [code],
    );
    return r ? toProgramme(r) : null;
  }

  async insertProgramme(p: Omit<ProgrammeRow, 'holderName'>): Promise<boolean> {
    const rows = await this.db.query<{ code: string }>(
      `INSERT INTO e_budget.programme (code, kpkvk, name, holder_code) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING code`,
      [p.code, p.kpkvk, p.name, p.holderCode],
    );
    return rows.length === 1;
  }

  async programmes(f: { holderCode?: string } & PageRequest): Promise<{ items: ProgrammeRow[]; total: number | null }> {
    const items = await this.db.query<ProgrammeDbRow>(
      `SELECT p.code, p.kpkvk, p.name, p.holder_code, h.name AS holder_name FROM e_budget.programme p JOIN e_budget.budget_holder h ON h.code = p.holder_code
       WHERE ($1::text IS NULL OR p.holder_code = $1) ORDER BY p.kpkvk LIMIT $2 OFFSET $3`,
      [f.holderCode ?? null, f.limit, f.offset],
    );
    const total = await this.db.total(
      f,
      `SELECT count(*)::int AS total FROM e_budget.programme WHERE ($1::text IS NULL OR holder_code = $1)`,
      [f.holderCode ?? null],
    );

    return { items: items.map(toProgramme), total };
  }
}
