import type { PayloadOf, HouseholdChangedV1 } from '@eisss/contracts';
import { TransactionHost, type PageRequest } from '@eisss/platform';
import { Injectable } from '@nestjs/common';

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

/** A row of social_register.household as the driver returns it. */
interface HouseholdDbRow {
  id: string;
  katottg: string;
  address: string | null;
  version: number;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

interface MemberDbRow {
  household_id: string;
  person_id: string;
  role: HouseholdRole;
  joined_on: string;
  left_on: string | null;
}

interface PersonTerritoryDbRow {
  id: string;
  katottg: string | null;
  actual_katottg: string | null;
  merged_into: string | null;
}

const toHousehold = (r: HouseholdDbRow): HouseholdRow => ({
  id: r.id,
  katottg: r.katottg,
  address: r.address,
  version: r.version,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

const toMember = (r: MemberDbRow): HouseholdMemberRow => ({
  personId: r.person_id,
  role: r.role,
  joinedOn: r.joined_on,
  leftOn: r.left_on,
});

@Injectable()
export class HouseholdRepository {
  constructor(private readonly db: TransactionHost) {}

  async insert(h: {
    id: string;
    katottg: string;
    address: string | null;
    createdBy: string;
    clientRequestId: string | null;
  }): Promise<HouseholdRow> {
    const [row] = await this.db.query<HouseholdDbRow>(
      `INSERT INTO social_register.household (id, katottg, address, created_by, client_request_id) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [h.id, h.katottg, h.address, h.createdBy, h.clientRequestId],
    );
    return toHousehold(row);
  }

  async findByClientRequestId(clientRequestId: string): Promise<HouseholdRow | null> {
    const [row] = await this.db.query<HouseholdDbRow>(`SELECT * FROM social_register.household WHERE client_request_id = $1`, [
      clientRequestId,
    ]);
    return row ? toHousehold(row) : null;
  }

  async findById(id: string, lock = false): Promise<HouseholdRow | null> {
    const [row] = await this.db.query<HouseholdDbRow>(`SELECT * FROM social_register.household WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [
      id,
    ]);
    return row ? toHousehold(row) : null;
  }

  async bumpVersion(id: string): Promise<HouseholdRow> {
    const rows = await this.db.query<HouseholdDbRow>(
      `UPDATE social_register.household SET version = version + 1, updated_at = now() WHERE id = $1 RETURNING *`,
      [id],
    );
    return toHousehold(rows[0]);
  }

  async members(householdId: string): Promise<HouseholdMemberRow[]> {
    const rows = await this.db.query<MemberDbRow>(
      `SELECT person_id, role, to_char(joined_on, 'YYYY-MM-DD') AS joined_on, to_char(left_on, 'YYYY-MM-DD') AS left_on
         FROM social_register.household_member WHERE household_id = $1 ORDER BY joined_on, id`,
      [householdId],
    );
    return rows.map(toMember);
  }

  /** Members of several households at once (a page of a list). */
  async membersOf(householdIds: string[]): Promise<Map<string, HouseholdMemberRow[]>> {
    const rows = await this.db.query<MemberDbRow>(
      `SELECT household_id, person_id, role, to_char(joined_on, 'YYYY-MM-DD') AS joined_on, to_char(left_on, 'YYYY-MM-DD') AS left_on
         FROM social_register.household_member WHERE household_id = ANY ($1::uuid[]) ORDER BY joined_on, id`,
      [householdIds],
    );
    const out = new Map<string, HouseholdMemberRow[]>(householdIds.map((id) => [id, []]));
    for (const r of rows) out.get(r.household_id)!.push(toMember(r));
    return out;
  }

  /** Serialises membership changes of one person until the transaction ends. */
  async lockMembership(personId: string): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtext('household-member:' || $1))`, [personId]);
  }

  /** Active membership of a person in any household. */
  async activeMembership(personId: string): Promise<{ householdId: string } | null> {
    const [row] = await this.db.query<{ household_id: string }>(
      `SELECT household_id FROM social_register.household_member WHERE person_id = $1 AND left_on IS NULL`,
      [personId],
    );
    return row ? { householdId: row.household_id } : null;
  }

  async addMember(householdId: string, m: { personId: string; role: HouseholdRole; joinedOn: string }): Promise<void> {
    await this.db.query(`INSERT INTO social_register.household_member (household_id, person_id, role, joined_on) VALUES ($1, $2, $3, $4)`, [
      householdId,
      m.personId,
      m.role,
      m.joinedOn,
    ]);
  }

  async closeMember(householdId: string, personId: string, leftOn: string): Promise<number> {
    return this.db.execute(
      `UPDATE social_register.household_member SET left_on = $3 WHERE household_id = $1 AND person_id = $2 AND left_on IS NULL`,
      [householdId, personId, leftOn],
    );
  }

  /** Persons with their territories (for existence and territory checks). */
  async persons(ids: string[]): Promise<{ id: string; katottg: string | null; actualKatottg: string | null; mergedInto: string | null }[]> {
    const rows = await this.db.query<PersonTerritoryDbRow>(
      `SELECT id, katottg, actual_katottg, merged_into FROM social_register.person WHERE id = ANY ($1::uuid[])`,
      [ids],
    );
    return rows.map((r) => ({ id: r.id, katottg: r.katottg, actualKatottg: r.actual_katottg, mergedInto: r.merged_into }));
  }

  async householdsOfPerson(personId: string): Promise<string[]> {
    const rows = await this.db.query<{ household_id: string }>(
      `SELECT DISTINCT household_id FROM social_register.household_member WHERE person_id = $1`,
      [personId],
    );
    return rows.map((r) => r.household_id);
  }

  async list(
    territory: string,
    katottg: string | undefined,
    personId: string | undefined,
    page: PageRequest,
  ): Promise<{ items: HouseholdRow[]; total: number | null }> {
    const params = [territory, katottg ?? null, personId ?? null];
    const where = `WHERE ($1 = 'UA' OR h.katottg LIKE $1 || '%') AND ($2::text IS NULL OR h.katottg LIKE $2 || '%')
      AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM social_register.household_member m WHERE m.household_id = h.id AND m.person_id = $3))`;
    const total = await this.db.total(page, `SELECT count(*)::int AS total FROM social_register.household h ${where}`, params);
    const rows = await this.db.query<HouseholdDbRow>(
      `SELECT h.* FROM social_register.household h ${where} ORDER BY h.created_at, h.id LIMIT $4 OFFSET $5`,
      [...params, page.limit, page.offset],
    );
    return { items: rows.map(toHousehold), total };
  }

  async eventPayload(
    h: HouseholdRow,
    change: PayloadOf<typeof HouseholdChangedV1>['change'],
    personId: string | null,
  ): Promise<PayloadOf<typeof HouseholdChangedV1>> {
    return {
      householdId: h.id,
      change,
      personId,
      katottg: h.katottg,
      members: await this.members(h.id),
      version: h.version,
      changedAt: h.updatedAt,
    };
  }
}
