import { HouseholdChangedV1 } from '@eisss/contracts';
import {
  AuditLog,
  DomainError,
  OutboxWriter,
  Transactional,
  assertTerritory,
  canAccessTerritory,
  hasRole,
  type PageRequest,
  type Principal,
} from '@eisss/platform';
import { PERSON_FORBIDDEN, STAFF_ROLES } from '../common/access';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '@eisss/platform';
import { HouseholdErrorCode } from './household.errors';
import { HouseholdRepository, type HouseholdMemberRow, type HouseholdRole, type HouseholdRow } from './household.repository';

export interface NewMember {
  personId: string;
  role: HouseholdRole;
  joinedOn: string;
}

export interface HouseholdView extends HouseholdRow {
  members: HouseholdMemberRow[];
}

@Injectable()
export class HouseholdService {
  constructor(
    private readonly households: HouseholdRepository,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditLog,
  ) {}

  /** Creates a household with its members (exactly one head); idempotent by clientRequestId. */
  async create(
    principal: Principal,
    cmd: { katottg: string; address?: string; members: NewMember[]; clientRequestId?: string },
  ): Promise<HouseholdView> {
    assertTerritory(principal, cmd.katottg);
    const heads = cmd.members.filter((m) => m.role === 'head');
    if (heads.length !== 1)
      throw DomainError.validation(HouseholdErrorCode.HOUSEHOLD_HEAD_REQUIRED, 'a household has exactly one head', 'members');
    if (new Set(cmd.members.map((m) => m.personId)).size !== cmd.members.length) {
      throw DomainError.validation(HouseholdErrorCode.HOUSEHOLD_DUPLICATE_MEMBER, 'a person is listed twice', 'members');
    }
    try {
      return await this.createIn(principal, cmd);
    } catch (err) {
      // The same client request committed concurrently: answer with what it created.
      if (!cmd.clientRequestId || !isUniqueViolation(err, 'household_client_request_id_key')) throw err;
      return this.createIn(principal, cmd);
    }
  }

  @Transactional()
  private async createIn(
    principal: Principal,
    cmd: { katottg: string; address?: string; members: NewMember[]; clientRequestId?: string },
  ): Promise<HouseholdView> {
    if (cmd.clientRequestId) {
      const seen = await this.households.findByClientRequestId(cmd.clientRequestId);
      if (seen) return { ...seen, members: await this.households.members(seen.id) };
    }
    await this.checkPersons(
      principal,
      cmd.members.map((m) => m.personId),
    );
    const h = await this.households.insert({
      id: randomUUID(),
      katottg: cmd.katottg,
      address: cmd.address ?? null,
      createdBy: principal.id,
      clientRequestId: cmd.clientRequestId ?? null,
    });
    for (const [i, m] of cmd.members.entries()) await this.join(h.id, m, `members.${i}.personId`);
    await this.outbox.append(HouseholdChangedV1, await this.households.eventPayload(h, 'created', null), { aggregateId: h.id });
    return { ...h, members: await this.households.members(h.id) };
  }

  @Transactional()
  async addMember(principal: Principal, householdId: string, m: NewMember): Promise<HouseholdView> {
    await this.mustFind(principal, householdId);
    await this.checkPersons(principal, [m.personId]);
    await this.join(householdId, m, 'personId');
    const h = await this.households.bumpVersion(householdId);
    await this.outbox.append(HouseholdChangedV1, await this.households.eventPayload(h, 'member-joined', m.personId), {
      aggregateId: h.id,
    });
    return { ...h, members: await this.households.members(h.id) };
  }

  @Transactional()
  async removeMember(principal: Principal, householdId: string, personId: string, leftOn: string): Promise<HouseholdView> {
    await this.mustFind(principal, householdId);
    const active = (await this.households.members(householdId)).find((x) => x.personId === personId && x.leftOn === null);
    if (!active)
      throw DomainError.notFound(
        HouseholdErrorCode.HOUSEHOLD_MEMBER_NOT_FOUND,
        `person ${personId} is not an active member of household ${householdId}`,
      );
    if (leftOn < active.joinedOn)
      throw DomainError.validation(HouseholdErrorCode.HOUSEHOLD_LEFT_BEFORE_JOINED, 'the member cannot leave before joining', 'leftOn');
    await this.households.closeMember(householdId, personId, leftOn);
    const h = await this.households.bumpVersion(householdId);
    await this.outbox.append(HouseholdChangedV1, await this.households.eventPayload(h, 'member-left', personId), {
      aggregateId: h.id,
    });
    return { ...h, members: await this.households.members(h.id) };
  }

  @Transactional()
  async get(principal: Principal, id: string): Promise<HouseholdView> {
    const h = await this.households.findById(id);
    if (!h) throw DomainError.notFound(HouseholdErrorCode.HOUSEHOLD_NOT_FOUND, `household ${id} not found`);
    const members = await this.households.members(id);
    const isMember = principal.personId !== undefined && members.some((m) => m.personId === principal.personId);
    if (!isMember) {
      if (!hasRole(principal, ...STAFF_ROLES)) throw DomainError.forbidden(PERSON_FORBIDDEN, 'a citizen sees only their own household');
      assertTerritory(principal, h.katottg);
    }
    await this.audit.recordRead(
      principal,
      'person',
      members.map((m) => m.personId),
      `household ${id}`,
    );
    return { ...h, members };
  }

  async list(
    principal: Principal,
    katottg: string | undefined,
    personId: string | undefined,
    pageRequest: PageRequest,
  ): Promise<{ items: HouseholdView[]; total: number | null }> {
    const page = await this.households.list(principal.territory, katottg, personId, pageRequest);
    const members = await this.households.membersOf(page.items.map((h) => h.id));
    const items = page.items.map((h) => ({ ...h, members: members.get(h.id) ?? [] }));

    await this.audit.recordRead(
      principal,
      'person',
      [...new Set(items.flatMap((h) => h.members.map((m) => m.personId)))],
      'household list',
    );
    return { items, total: page.total };
  }

  private async join(householdId: string, m: NewMember, field: string): Promise<void> {
    await this.households.lockMembership(m.personId);
    const active = await this.households.activeMembership(m.personId);
    if (active) {
      throw DomainError.conflict(
        HouseholdErrorCode.HOUSEHOLD_MEMBER_ALREADY_ACTIVE,
        `person ${m.personId} is an active member of another household`,
        field,
        { householdId: active.householdId },
      );
    }
    if (m.role === 'head' && (await this.households.members(householdId)).some((x) => x.role === 'head' && x.leftOn === null)) {
      throw DomainError.conflict(HouseholdErrorCode.HOUSEHOLD_HEAD_EXISTS, 'the household already has a head', 'role');
    }
    await this.households.addMember(householdId, m);
  }

  private async checkPersons(principal: Principal, ids: string[]): Promise<void> {
    const found = await this.households.persons(ids);
    for (const [i, id] of ids.entries()) {
      const p = found.find((x) => x.id === id);
      if (!p || p.mergedInto)
        throw DomainError.unprocessable(
          HouseholdErrorCode.HOUSEHOLD_PERSON_NOT_FOUND,
          `person ${id} is not in the register`,
          ids.length > 1 ? `members.${i}.personId` : 'personId',
        );
      if (!canAccessTerritory(principal, p.actualKatottg)) assertTerritory(principal, p.katottg);
    }
  }

  private async mustFind(principal: Principal, id: string): Promise<HouseholdRow> {
    const h = await this.households.findById(id, true);
    if (!h) throw DomainError.notFound(HouseholdErrorCode.HOUSEHOLD_NOT_FOUND, `household ${id} not found`);
    assertTerritory(principal, h.katottg);
    return h;
  }
}
