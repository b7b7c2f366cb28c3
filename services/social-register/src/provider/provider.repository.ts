import { TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';

export const ProviderTypes = [
  'social_protection_office',
  'social_service_provider',
  'residential_institution',
  'territorial_centre',
  'cnap',
  'other',
] as const;
export type ProviderType = (typeof ProviderTypes)[number];

export interface ProviderRow {
  id: string;
  code: string;
  name: string;
  type: ProviderType;
  katottg: string;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A row of social_register.provider as the driver returns it. */
interface ProviderDbRow {
  id: string;
  code: string;
  name: string;
  type: ProviderType;
  katottg: string;
  active: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const toProvider = (r: ProviderDbRow): ProviderRow => ({
  id: r.id,
  code: r.code,
  name: r.name,
  type: r.type,
  katottg: r.katottg,
  active: r.active,
  version: r.version,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

@Injectable()
export class ProviderRepository {
  constructor(private readonly db: TransactionHost) {}

  async findByCode(code: string): Promise<ProviderRow | null> {
    const [r] = await this.db.query<ProviderDbRow>(`SELECT * FROM social_register.provider WHERE code = $1`, [code]);
    return r ? toProvider(r) : null;
  }

  async findById(id: string, lock = false): Promise<ProviderRow | null> {
    const [r] = await this.db.query<ProviderDbRow>(`SELECT * FROM social_register.provider WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [
      id,
    ]);
    return r ? toProvider(r) : null;
  }

  async insert(p: { id: string; code: string; name: string; type: string; katottg: string }): Promise<ProviderRow> {
    const [r] = await this.db.query<ProviderDbRow>(
      `INSERT INTO social_register.provider (id, code, name, type, katottg) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [p.id, p.code, p.name, p.type, p.katottg],
    );
    return toProvider(r);
  }

  async update(id: string, p: { name: string; type: string; katottg: string; active: boolean }): Promise<ProviderRow> {
    const rows = await this.db.query<ProviderDbRow>(
      `UPDATE social_register.provider SET name = $2, type = $3, katottg = $4, active = $5, version = version + 1, updated_at = now() WHERE id = $1 RETURNING *`,
      [id, p.name, p.type, p.katottg, p.active],
    );
    return toProvider(rows[0]);
  }

  async list(q: {
    territory: string;
    type?: string;
    katottg?: string;
    q?: string;
    active?: boolean;
    limit: number;
    offset: number;
    withTotal?: boolean;
  }): Promise<{ items: ProviderRow[]; total: number | null }> {
    const params = [q.territory, q.type ?? null, q.katottg ?? null, q.q ? `%${q.q.toLowerCase()}%` : null, q.active ?? null];
    const where = `WHERE ($1 = 'UA' OR katottg LIKE $1 || '%') AND ($2::text IS NULL OR type = $2) AND ($3::text IS NULL OR katottg LIKE $3 || '%')
      AND ($4::text IS NULL OR lower(name) LIKE $4 OR lower(code) LIKE $4) AND ($5::boolean IS NULL OR active = $5)`;
    const total = await this.db.total(q, `SELECT count(*)::int AS total FROM social_register.provider ${where}`, params);

    const rows = await this.db.query<ProviderDbRow>(`SELECT * FROM social_register.provider ${where} ORDER BY code LIMIT $6 OFFSET $7`, [
      ...params,
      q.limit,
      q.offset,
    ]);
    return { items: rows.map(toProvider), total };
  }
}
