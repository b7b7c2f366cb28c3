import type { PayloadOf, HouseholdChangedV1 } from '@eisss/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export type HouseholdRole = 'head' | 'recipient' | 'dependant';

export interface HouseholdMemberRow {
  personId: string;
  role: HouseholdRole;
  joinedOn: string;
  leftOn: string | null;
}

export interface HouseholdRow {
  id: string;
  katottg: string;
  address: string | null;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

const toHousehold = (r: Record<string, any>): HouseholdRow => ({
  id: r.id,
  katottg: r.katottg,
  address: r.address,
  version: r.version,
  createdBy: r.created_by,
  createdAt: (r.created_at as Date).toISOString(),
  updatedAt: (r.updated_at as Date).toISOString(),
});

@Injectable()
export class HouseholdRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insert(
    tx: EntityManager,
    h: { id: string; katottg: string; address: string | null; createdBy: string; clientRequestId: string | null },
  ): Promise<HouseholdRow> {
    const [row] = await tx.query(
      `INSERT INTO social_register.household (id, katottg, address, created_by, client_request_id) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [h.id, h.katottg, h.address, h.createdBy, h.clientRequestId],
    );
    return toHousehold(row);
  }

  async findByClientRequestId(tx: EntityManager, clientRequestId: string): Promise<HouseholdRow | null> {
    const [row] = await tx.query(`SELECT * FROM social_register.household WHERE client_request_id = $1`, [clientRequestId]);
    return row ? toHousehold(row) : null;
  }

  async findById(tx: EntityManager | undefined, id: string, lock = false): Promise<HouseholdRow | null> {
    const [row] = await (tx ?? this.dataSource.manager).query(
      `SELECT * FROM social_register.household WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return row ? toHousehold(row) : null;
  }

  async bumpVersion(tx: EntityManager, id: string): Promise<HouseholdRow> {
    const [rows] = await tx.query(
      `UPDATE social_register.household SET version = version + 1, updated_at = now() WHERE id = $1 RETURNING *`,
      [id],
    );
    return toHousehold(rows[0]);
  }

  async members(tx: EntityManager | undefined, householdId: string): Promise<HouseholdMemberRow[]> {
    const rows: Record<string, any>[] = await (tx ?? this.dataSource.manager).query(
      `SELECT person_id, role, to_char(joined_on, 'YYYY-MM-DD') AS joined_on, to_char(left_on, 'YYYY-MM-DD') AS left_on
         FROM social_register.household_member WHERE household_id = $1 ORDER BY joined_on, id`,
      [householdId],
    );
    return rows.map((r) => ({ personId: r.person_id, role: r.role, joinedOn: r.joined_on, leftOn: r.left_on }));
  }

  /** Members of several households at once (a page of a list). */
  async membersOf(householdIds: string[]): Promise<Map<string, HouseholdMemberRow[]>> {
    const rows: Record<string, any>[] = await this.dataSource.query(
      `SELECT household_id, person_id, role, to_char(joined_on, 'YYYY-MM-DD') AS joined_on, to_char(left_on, 'YYYY-MM-DD') AS left_on
         FROM social_register.household_member WHERE household_id = ANY ($1::uuid[]) ORDER BY joined_on, id`,
      [householdIds],
    );
    const out = new Map<string, HouseholdMemberRow[]>(householdIds.map((id) => [id, []]));
    for (const r of rows) out.get(r.household_id)!.push({ personId: r.person_id, role: r.role, joinedOn: r.joined_on, leftOn: r.left_on });
    return out;
  }

  /** Active membership of a person in any household. */
  async activeMembership(tx: EntityManager, personId: string): Promise<{ householdId: string } | null> {
    const [row] = await tx.query(`SELECT household_id FROM social_register.household_member WHERE person_id = $1 AND left_on IS NULL`, [
      personId,
    ]);
    return row ? { householdId: row.household_id } : null;
  }

  async addMember(tx: EntityManager, householdId: string, m: { personId: string; role: HouseholdRole; joinedOn: string }): Promise<void> {
    await tx.query(`INSERT INTO social_register.household_member (household_id, person_id, role, joined_on) VALUES ($1, $2, $3, $4)`, [
      householdId,
      m.personId,
      m.role,
      m.joinedOn,
    ]);
  }

  async closeMember(tx: EntityManager, householdId: string, personId: string, leftOn: string): Promise<number> {
    const [, count] = await tx.query(
      `UPDATE social_register.household_member SET left_on = $3 WHERE household_id = $1 AND person_id = $2 AND left_on IS NULL`,
      [householdId, personId, leftOn],
    );
    return count as number;
  }

  /** Persons with their territories (for existence and territory checks). */
  async persons(
    tx: EntityManager,
    ids: string[],
  ): Promise<{ id: string; katottg: string | null; actualKatottg: string | null; mergedInto: string | null }[]> {
    const rows: Record<string, any>[] = await tx.query(
      `SELECT id, katottg, actual_katottg, merged_into FROM social_register.person WHERE id = ANY ($1::uuid[])`,
      [ids],
    );
    return rows.map((r) => ({ id: r.id, katottg: r.katottg, actualKatottg: r.actual_katottg, mergedInto: r.merged_into }));
  }

  async householdsOfPerson(personId: string): Promise<string[]> {
    const rows: { household_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT household_id FROM social_register.household_member WHERE person_id = $1`,
      [personId],
    );
    return rows.map((r) => r.household_id);
  }

  async list(
    territory: string,
    katottg: string | undefined,
    personId: string | undefined,
    limit: number,
    offset: number,
  ): Promise<{ items: HouseholdRow[]; total: number }> {
    const params = [territory, katottg ?? null, personId ?? null];
    const where = `WHERE ($1 = 'UA' OR h.katottg LIKE $1 || '%') AND ($2::text IS NULL OR h.katottg LIKE $2 || '%')
      AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM social_register.household_member m WHERE m.household_id = h.id AND m.person_id = $3))`;
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM social_register.household h ${where}`, params);
    const rows = await this.dataSource.query(
      `SELECT h.* FROM social_register.household h ${where} ORDER BY h.created_at, h.id LIMIT $4 OFFSET $5`,
      [...params, limit, offset],
    );
    return { items: rows.map(toHousehold), total };
  }

  async eventPayload(
    tx: EntityManager,
    h: HouseholdRow,
    change: PayloadOf<typeof HouseholdChangedV1>['change'],
    personId: string | null,
  ): Promise<PayloadOf<typeof HouseholdChangedV1>> {
    return {
      householdId: h.id,
      change,
      personId,
      katottg: h.katottg,
      members: await this.members(tx, h.id),
      version: h.version,
      changedAt: h.updatedAt,
    };
  }
}
