import {
  ApplicationPaymentAccountProposedV2,
  HouseholdChangedV1,
  PersonDiedV1,
  PersonMergedV1,
  PersonPaymentAccountChangedV2,
  PersonRegisteredV1,
  PersonUpdatedV1,
  Role,
  StatusGrantedV1,
  type PayloadOf,
} from '@eisss/contracts';
import {
  AuditLog,
  DomainError,
  DualControl,
  OutboxWriter,
  Transactional,
  assertTerritory,
  type PageRequest,
  hasRole,
  isValidUaIban,
  isValidUnzr,
  maskRnokpp,
  rnokppBirthDate,
  type DualControlRequest,
  type Principal,
  nameKey,
  normaliseNamePart,
} from '@eisss/platform';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { STAFF_ROLES, assertCanSeePersonRecord, canSeePersonRecord } from '../common/access';
import { isUniqueViolation } from '@eisss/platform';
import { HouseholdRepository } from '../household/household.repository';
import { StatusRepository } from '../status/status.repository';
import type { PersonEntity } from './person.entity';
import { PersonErrorCode } from './person.errors';
import { AccountSealing } from './account-sealing';
import { ACCOUNT_FIELDS, accountChanges, accountOf, holderOf, sameAccount, sameHolder } from './payment-account';
import {
  PersonRepository,
  isChangeableField,
  type ChangeRequestRow,
  type ChangeableField,
  type DuplicateReviewRow,
  type HistoryRow,
} from './person.repository';

export interface RegisterPersonCommand {
  rnokpp?: string;
  unzr?: string;
  lastName: string;
  firstName: string;
  patronymic?: string;
  birthDate: string;
  sex: 'male' | 'female';
  katottg?: string;
  registeredAddress?: string;
  actualAddress?: string;
  actualKatottg?: string;
  phone?: string;
  email?: string;
  /** Proposed bank account: not set on the record, but opened as a change request for a second person. */
  iban?: string;
  /** Proposed postcode for post delivery (as iban: a change request). */
  paymentPostcode?: string;
}

export interface RegisteredPerson {
  person: PersonEntity;
  duplicateReviewId: string | null;
  probableDuplicateIds: string[];
  /** The pending change request opened for the payment account given at registration. */
  accountChangeRequestId: string | null;
}

/** The two-person act of merging one person record into another. */
export const PERSON_MERGE = 'person.merge';

interface MergePayload {
  mergedPersonId: string;
  survivorPersonId: string;
  duplicateReviewId: string | null;
}

export type ResolveDuplicateOutcome =
  | { decision: 'distinct'; result: { reviewId: string; status: 'distinct'; mergeId: null } }
  | { decision: 'merge'; approval: DualControlRequest };

type AccountProposal = PayloadOf<typeof ApplicationPaymentAccountProposedV2>;

export type PersonChanges = Partial<Record<ChangeableField, string | null>>;

export interface ChangeRequestCommand {
  changes: PersonChanges;
  reason: string;
  source: string;
  clientRequestId?: string;
}

export interface PersonSearchQuery {
  rnokpp?: string;
  unzr?: string;
  lastName?: string;
  firstName?: string;
  birthDate?: string;
  katottg?: string;
  statusType?: string;
  includeMerged?: boolean;
  limit: number;
  offset: number;
  withTotal?: boolean;
}

/** Fields a citizen may ask to change on their own record (the rest come from source registers or an officer). */
const CITIZEN_FIELDS: ChangeableField[] = ['phone', 'email', 'actualAddress', 'actualKatottg', 'iban', 'paymentPostcode'];
const OFFICER_ROLES = STAFF_ROLES;

export function canSeePerson(principal: Principal, p: Pick<PersonEntity, 'id' | 'katottg' | 'actualKatottg'>): boolean {
  return canSeePersonRecord(principal, p.id, [p.katottg, p.actualKatottg]);
}

export function assertCanSeePerson(principal: Principal, p: Pick<PersonEntity, 'id' | 'katottg' | 'actualKatottg'>): void {
  assertCanSeePersonRecord(principal, p.id, [p.katottg, p.actualKatottg]);
}

const territoryOf = (p: Pick<PersonEntity, 'katottg' | 'actualKatottg'>): string | null =>
  p.katottg?.trim() || p.actualKatottg?.trim() || null;

function personState(p: PersonEntity) {
  return {
    personId: p.id,
    rnokppMasked: maskRnokpp(p.rnokpp),
    name: { lastName: p.lastName, firstName: p.firstName, patronymic: p.patronymic },
    birthDate: p.birthDate,
    sex: p.sex,
    deathDate: p.deathDate,
    katottg: p.katottg?.trim() ?? null,
    actualKatottg: p.actualKatottg?.trim() ?? null,
  };
}

@Injectable()
export class PersonService implements OnModuleInit {
  constructor(
    private readonly persons: PersonRepository,
    private readonly households: HouseholdRepository,
    private readonly statuses: StatusRepository,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditLog,
    private readonly dual: DualControl,
    private readonly sealing: AccountSealing,
  ) {}

  /** A merge is carried out only when a second supervisor of the territory approves it. */
  onModuleInit(): void {
    this.dual.register(PERSON_MERGE, { roles: [Role.Supervisor], execute: (req, approver) => this.executeMerge(req, approver) });
  }

  /**
   * Registers a person and emits `person.registered` in the same transaction. An exact duplicate
   * (same РНОКПП or УНЗР) is refused with the existing id; a probable one (same normalised name and
   * birth date) is registered and a duplicate review is opened.
   */
  async register(principal: Principal, cmd: RegisterPersonCommand): Promise<RegisteredPerson> {
    if (!cmd.rnokpp && !cmd.unzr) {
      throw DomainError.validation(PersonErrorCode.PERSON_IDENTIFIER_REQUIRED, 'a person needs a РНОКПП or an УНЗР', 'rnokpp');
    }
    if (cmd.rnokpp && rnokppBirthDate(cmd.rnokpp) !== cmd.birthDate) {
      throw DomainError.validation(PersonErrorCode.RNOKPP_BIRTH_DATE_MISMATCH, 'the РНОКПП does not encode this birth date', 'birthDate');
    }
    if (cmd.unzr && isValidUnzr(cmd.unzr) && cmd.unzr.slice(0, 8) !== cmd.birthDate.replace(/-/g, '')) {
      throw DomainError.validation(PersonErrorCode.UNZR_BIRTH_DATE_MISMATCH, 'the УНЗР does not encode this birth date', 'birthDate');
    }
    if (cmd.katottg) assertTerritory(principal, cmd.katottg);
    else if (cmd.actualKatottg) assertTerritory(principal, cmd.actualKatottg);
    else assertTerritory(principal, null);
    try {
      return await this.registerIn(principal, cmd);
    } catch (err) {
      // A concurrent registration of the same identifier committed first: the same answer as a sequential duplicate.
      if (!isUniqueViolation(err, 'person_rnokpp_uq') && !isUniqueViolation(err, 'person_unzr_uq')) throw err;
      const existing = await this.persons.findByIdentifiers(cmd.rnokpp ?? null, cmd.unzr ?? null);
      throw DomainError.conflict(
        PersonErrorCode.PERSON_DUPLICATE,
        'a person with this РНОКПП or УНЗР is already registered',
        cmd.rnokpp ? 'rnokpp' : 'unzr',
        { existingPersonId: existing?.mergedInto ?? existing?.id ?? null },
      );
    }
  }

  /**
   * The intake's writes in one statement (PersonRepository.insertRegistered): the person unless the
   * РНОКПП or УНЗР is taken (the unique indexes decide, also against a concurrent intake), its journal
   * entry and the probable duplicates; then the review, the account change request and the event.
   */
  @Transactional()
  private async registerIn(principal: Principal, cmd: RegisterPersonCommand): Promise<RegisteredPerson> {
    const key = nameKey(cmd.lastName, cmd.firstName, cmd.patronymic);
    const fields = Object.keys(cmd).filter(
      (k) => (cmd as unknown as Record<string, unknown>)[k] !== undefined && !(ACCOUNT_FIELDS as readonly string[]).includes(k),
    );
    const { person: inserted, probableDuplicateIds: probable } = await this.persons.insertRegistered(
      {
        id: randomUUID(),
        rnokpp: cmd.rnokpp ?? null,
        unzr: cmd.unzr ?? null,
        lastName: cmd.lastName.trim(),
        firstName: cmd.firstName.trim(),
        patronymic: cmd.patronymic?.trim() || null,
        birthDate: cmd.birthDate,
        sex: cmd.sex,
        deathDate: null,
        katottg: cmd.katottg ?? null,
        registeredAddress: cmd.registeredAddress ?? null,
        actualAddress: cmd.actualAddress ?? null,
        actualKatottg: cmd.actualKatottg ?? null,
        phone: cmd.phone ?? null,
        email: cmd.email ?? null,
        // The payment account is set only by an approved change request (below), never at intake.
        iban: null,
        paymentPostcode: null,
        nameKey: key,
        mergedInto: null,
        createdBy: principal.id,
      },
      { changes: { fields }, actorId: principal.id, source: 'intake' },
    );
    if (!inserted) {
      // An exact duplicate: nothing was written; the transaction is rolled back by the refusal.
      const existing = await this.persons.findByIdentifiers(cmd.rnokpp ?? null, cmd.unzr ?? null);
      const field = cmd.rnokpp && existing?.rnokpp === cmd.rnokpp ? 'rnokpp' : cmd.unzr ? 'unzr' : 'rnokpp';
      throw DomainError.conflict(PersonErrorCode.PERSON_DUPLICATE, 'a person with this РНОКПП or УНЗР is already registered', field, {
        existingPersonId: existing?.mergedInto ?? existing?.id ?? null,
      });
    }
    const person = inserted;
    let duplicateReviewId: string | null = null;
    if (probable.length > 0) {
      duplicateReviewId = randomUUID();
      await this.persons.insertDuplicateReview({
        id: duplicateReviewId,
        personId: person.id,
        candidateIds: probable,
        matchKind: 'name+birthDate',
        katottg: person.katottg ?? person.actualKatottg,
      });
    }
    let accountChangeRequestId: string | null = null;
    if (cmd.iban || cmd.paymentPostcode) {
      const changes = {
        ...(cmd.iban ? { iban: cmd.iban } : {}),
        ...(cmd.paymentPostcode ? { paymentPostcode: cmd.paymentPostcode } : {}),
      };
      const cr = await this.openChangeRequest(person, {
        changes,
        reason: 'payment account given at registration',
        source: 'intake',
        requestedBy: principal.id,
        clientRequestId: null,
      });
      accountChangeRequestId = cr.id;
    }
    await this.outbox.append(
      PersonRegisteredV1,
      {
        personId: person.id,
        rnokppMasked: maskRnokpp(person.rnokpp),
        name: { lastName: person.lastName, firstName: person.firstName, patronymic: person.patronymic },
        birthDate: person.birthDate,
        sex: person.sex,
        deathDate: null,
        katottg: person.katottg,
        registeredAt: person.createdAt.toISOString(),
      },
      { aggregateId: person.id },
    );
    return { person, duplicateReviewId, probableDuplicateIds: probable, accountChangeRequestId };
  }

  /** Reads a person: territory-checked and audited. */
  @Transactional()
  async get(principal: Principal, id: string): Promise<PersonEntity> {
    const person = await this.mustFind(id);
    assertCanSeePerson(principal, person);
    await this.audit.recordRead(principal, 'person', [person.id], 'person card');
    return person;
  }

  /** Search with filters and pagination, limited to the principal's territory; every returned person is audited. */
  async search(principal: Principal, q: PersonSearchQuery): Promise<{ items: PersonEntity[]; total: number | null }> {
    const result = await this.persons.search({
      territory: principal.territory,
      rnokpp: q.rnokpp,
      unzr: q.unzr,
      lastName: q.lastName ? normaliseNamePart(q.lastName) : undefined,
      firstName: q.firstName ? normaliseNamePart(q.firstName) : undefined,
      birthDate: q.birthDate,
      katottg: q.katottg,
      statusType: q.statusType,
      includeMerged: q.includeMerged,
      limit: q.limit,
      offset: q.offset,
      withTotal: q.withTotal,
    });
    await this.audit.recordRead(
      principal,
      'person',
      result.items.map((p) => p.id),
      'person search',
    );
    return result;
  }

  @Transactional()
  async history(
    principal: Principal,
    id: string,
  ): Promise<{ history: HistoryRow[]; merges: Awaited<ReturnType<PersonRepository['mergesOf']>>; duplicateReviews: DuplicateReviewRow[] }> {
    const person = await this.mustFind(id);
    assertCanSeePerson(principal, person);
    await this.audit.recordRead(principal, 'person', [person.id], 'person history');
    return {
      history: await this.persons.history(id),
      merges: await this.persons.mergesOf(id),
      duplicateReviews: await this.persons.reviewsOfPerson(id),
    };
  }

  /** "Who looked at my data": the person themselves, or an officer of the person's territory. */
  async accessLog(principal: Principal, id: string, page: PageRequest) {
    const person = await this.mustFind(id);
    if (principal.personId !== id) {
      if (!hasRole(principal, Role.Officer, Role.Supervisor))
        throw DomainError.forbidden(PersonErrorCode.ACCESS_LOG_FORBIDDEN, 'only the person or an officer may read the access log');
      assertCanSeePerson(principal, person);
    }
    return this.persons.accessLog(id, page);
  }

  // ── change requests (maker-checker) ───────────────────────────────────────

  @Transactional()
  async requestChange(principal: Principal, personId: string, cmd: ChangeRequestCommand): Promise<ChangeRequestRow> {
    const fields = Object.keys(cmd.changes).filter((k) => (cmd.changes as Record<string, unknown>)[k] !== undefined) as ChangeableField[];
    if (fields.length === 0)
      throw DomainError.validation(PersonErrorCode.CHANGE_REQUEST_EMPTY, 'a change request needs at least one change', 'changes');
    const isCitizenOnly = !hasRole(principal, ...OFFICER_ROLES);
    if (isCitizenOnly) {
      const forbidden = fields.find((f) => !CITIZEN_FIELDS.includes(f));
      if (forbidden)
        throw DomainError.forbidden(
          PersonErrorCode.CHANGE_REQUEST_FIELD_FORBIDDEN,
          `a citizen may not change ${forbidden}; ask the social protection office`,
        );
    }
    if (cmd.changes.katottg) assertTerritory(principal, cmd.changes.katottg);
    if (cmd.clientRequestId) {
      const seen = await this.persons.findChangeRequestByClientId(cmd.clientRequestId);
      if (seen) return this.sameClientRequest(seen, personId);
    }
    const person = await this.mustFind(personId);
    assertCanSeePerson(principal, person);
    this.assertNotMerged(person);
    if (cmd.changes.deathDate && cmd.changes.deathDate < person.birthDate) {
      throw DomainError.validation(PersonErrorCode.DEATH_BEFORE_BIRTH, 'the death date is before the birth date', 'changes.deathDate');
    }
    const changes = Object.fromEntries(fields.map((f) => [f, cmd.changes[f] ?? null]));
    return this.openChangeRequest(person, {
      changes,
      reason: cmd.reason,
      source: cmd.source,
      requestedBy: principal.id,
      clientRequestId: cmd.clientRequestId ?? null,
    });
  }

  /**
   * An application proposed a payment account (ApplicationPaymentAccountProposedV2): opens a change
   * request for it, authored by whoever submitted the application, for a second person to decide.
   * Nothing when the register already holds that account; one request per application.
   */
  @Transactional()
  async proposeAccount(p: AccountProposal): Promise<ChangeRequestRow | null> {
    const clientRequestId = `application:${p.applicationId}`;
    const seen = await this.persons.findChangeRequestByClientId(clientRequestId);
    if (seen) return seen;
    let person = await this.persons.findById(p.personId);
    // A record merged away: the account belongs on the surviving record.
    for (let hops = 0; person?.mergedInto && hops < 10; hops++) person = await this.persons.findById(person.mergedInto);
    if (!person)
      throw DomainError.unprocessable(PersonErrorCode.PERSON_NOT_FOUND, `person ${p.personId} is not in the register`, 'personId');
    this.assertNotMerged(person);
    // Sealed for the register by processing: opened here, and only here (a proposal that does not open is refused for good).
    const account = await this.sealing.openProposal(p.account);
    if (account.method === 'bank' && !isValidUaIban(account.iban)) {
      throw DomainError.validation(PersonErrorCode.PAYMENT_ACCOUNT_INVALID, 'the proposed IBAN fails its mod-97 check', 'account.iban');
    }
    if (sameAccount(accountOf(person), account)) return null;
    return this.openChangeRequest(person, {
      changes: accountChanges(account),
      reason: `payment account proposed by application ${p.applicationId} (${p.channel})`,
      source: 'application',
      requestedBy: p.proposedBy,
      clientRequestId,
    });
  }

  private async openChangeRequest(
    person: PersonEntity,
    r: { changes: Record<string, unknown>; reason: string; source: string; requestedBy: string; clientRequestId: string | null },
  ): Promise<ChangeRequestRow> {
    const row = await this.persons.insertChangeRequest({
      id: randomUUID(),
      personId: person.id,
      katottg: person.katottg ?? person.actualKatottg,
      ...r,
    });
    if (row) return row;
    // The same client request committed concurrently: answer with what it created.
    return this.sameClientRequest((await this.persons.findChangeRequestByClientId(r.clientRequestId!))!, person.id);
  }

  private sameClientRequest(seen: ChangeRequestRow, personId: string): ChangeRequestRow {
    if (seen.personId !== personId) {
      throw DomainError.conflict(
        PersonErrorCode.CHANGE_REQUEST_CLIENT_ID_TAKEN,
        'this client request id was used for a change request of another person',
        'clientRequestId',
      );
    }
    return seen;
  }

  /** Approves a pending change request (someone other than its author), applies it and emits person.updated (and person.died). */
  @Transactional()
  async approveChange(principal: Principal, id: string, note: string | null): Promise<{ request: ChangeRequestRow; person: PersonEntity }> {
    const cr = await this.pendingRequest(principal, id);
    const person = (await this.persons.lockById(cr.personId))!;
    assertCanSeePerson(principal, person);
    this.assertNotMerged(person);
    const current = person as unknown as Record<string, string | null>;
    const norm = (v: unknown) => (typeof v === 'string' ? v.trim() : (v ?? null));
    const changed = (Object.keys(cr.changes) as ChangeableField[]).filter(
      (f) => isChangeableField(f) && norm(current[f]) !== norm(cr.changes[f]),
    );
    const decided = await this.persons.decideChangeRequest(id, 'approved', principal.id, note);
    if (changed.length === 0) return { request: decided, person };
    const [accountBefore, holderBefore] = [accountOf(person), holderOf(person)];
    const applied: PersonChanges = Object.fromEntries(changed.map((f) => [f, (cr.changes[f] as string | null) ?? null]));
    const next = { ...person, ...applied } as PersonEntity;
    await this.persons.update(person.id, applied, nameKey(next.lastName, next.firstName, next.patronymic));
    await this.persons.addHistory(
      person.id,
      'updated',
      Object.fromEntries(changed.map((f) => [f, { from: current[f] ?? null, to: applied[f] ?? null }])),
      principal.id,
      cr.reason,
      cr.source,
    );
    const updated = (await this.persons.findById(person.id))!;
    await this.outbox.append(
      PersonUpdatedV1,
      {
        ...personState(updated),
        changedFields: changed,
        changeRequestId: cr.id,
        reason: cr.reason,
        source: cr.source,
        version: updated.version,
        updatedAt: updated.updatedAt.toISOString(),
      },
      { aggregateId: updated.id },
    );
    if (changed.includes('deathDate') && updated.deathDate) {
      await this.outbox.append(
        PersonDiedV1,
        {
          personId: updated.id,
          deathDate: updated.deathDate,
          katottg: updated.katottg?.trim() ?? null,
          source: cr.source,
          recordedAt: updated.updatedAt.toISOString(),
        },
        { aggregateId: updated.id },
      );
    }
    const [account, holder] = [accountOf(updated), holderOf(updated)];
    if (!sameAccount(accountBefore, account) || (account !== null && !sameHolder(holderBefore, holder))) {
      // The IBAN and the holder's identifiers leave the register only sealed for the treasury.
      const sealed = await this.sealing.forTreasury(account, holder);
      await this.outbox.append(
        PersonPaymentAccountChangedV2,
        {
          personId: updated.id,
          account: sealed.account,
          holder: sealed.holder,
          changeRequestId: cr.id,
          requestedBy: cr.requestedBy,
          approvedBy: principal.id,
          version: updated.version,
          changedAt: updated.updatedAt.toISOString(),
        },
        { aggregateId: updated.id },
      );
    }
    return { request: decided, person: updated };
  }

  @Transactional()
  async rejectChange(principal: Principal, id: string, note: string | null): Promise<ChangeRequestRow> {
    const cr = await this.pendingRequest(principal, id);
    return this.persons.decideChangeRequest(cr.id, 'rejected', principal.id, note);
  }

  /** A change request carries the person's data (and a proposed account): reading it is audited like the card. */
  @Transactional()
  async getChangeRequest(principal: Principal, id: string): Promise<ChangeRequestRow> {
    const cr = await this.persons.findChangeRequest(id);
    if (!cr) throw DomainError.notFound(PersonErrorCode.CHANGE_REQUEST_NOT_FOUND, `change request ${id} not found`);
    assertCanSeePersonRecord(principal, cr.personId, [cr.katottg]);
    await this.audit.recordRead(principal, 'person', [cr.personId], `change request ${cr.id}`);
    return cr;
  }

  async listChangeRequests(principal: Principal, status: string | undefined, personId: string | undefined, page: PageRequest) {
    const found = await this.persons.listChangeRequests(principal.territory, status, personId, page);
    await this.audit.recordRead(principal, 'person', [...new Set(found.items.map((c) => c.personId))], 'change request list');
    return found;
  }

  // ── duplicates and merge ──────────────────────────────────────────────────

  listDuplicateReviews(principal: Principal, status: string | undefined, page: PageRequest) {
    return this.persons.listDuplicateReviews(principal.territory, status, page);
  }

  /**
   * Resolves a review: `distinct` closes it (one person's decision); `merge` asks for the merge of the
   * other record into the survivor, carried out when a second supervisor approves it.
   */
  @Transactional()
  async resolveDuplicateReview(
    principal: Principal,
    id: string,
    decision: 'merge' | 'distinct',
    survivorPersonId: string | undefined,
    reason: string,
  ): Promise<ResolveDuplicateOutcome> {
    const review = await this.persons.findDuplicateReview(id, true);
    if (!review) throw DomainError.notFound(PersonErrorCode.DUPLICATE_REVIEW_NOT_FOUND, `duplicate review ${id} not found`);
    assertTerritory(principal, review.katottg);
    if (review.status !== 'open')
      throw DomainError.conflict(PersonErrorCode.DUPLICATE_REVIEW_CLOSED, `duplicate review ${id} is ${review.status}`);
    if (decision === 'distinct') {
      await this.persons.resolveDuplicateReview(id, 'distinct', principal.id, null);
      return { decision, result: { reviewId: id, status: 'distinct' as const, mergeId: null } };
    }
    const ids = [review.personId, ...review.candidateIds];
    const survivor = survivorPersonId ?? review.candidateIds[0]!;
    if (!ids.includes(survivor))
      throw DomainError.validation(
        PersonErrorCode.DUPLICATE_REVIEW_SURVIVOR_INVALID,
        'the survivor must be one of the reviewed persons',
        'survivorPersonId',
      );
    const mergedId = survivor === review.personId ? review.candidateIds[0]! : review.personId;
    const merged = await this.checkMerge(principal, mergedId, survivor);
    const payload: MergePayload = { mergedPersonId: mergedId, survivorPersonId: survivor, duplicateReviewId: id };
    const approval = await this.dual.request(principal, {
      action: PERSON_MERGE,
      subjectType: 'person',
      subjectId: mergedId,
      katottg: review.katottg?.trim() || territoryOf(merged),
      payload: { ...payload },
      reason,
    });
    return { decision, approval };
  }

  /** Asks for the merge of a record into another: a second supervisor of the territory carries it out (POST /approvals/:id/approve). */
  @Transactional()
  async requestMerge(principal: Principal, mergedId: string, survivorId: string, reason: string): Promise<DualControlRequest> {
    const merged = await this.checkMerge(principal, mergedId, survivorId);
    const payload: MergePayload = { mergedPersonId: mergedId, survivorPersonId: survivorId, duplicateReviewId: null };
    return this.dual.request(principal, {
      action: PERSON_MERGE,
      subjectType: 'person',
      subjectId: mergedId,
      katottg: territoryOf(merged),
      payload: { ...payload },
      reason,
    });
  }

  /** The merge once a second supervisor approved it, in the approval's transaction (exactly as a direct merge: journal, events). */
  private async executeMerge(req: DualControlRequest, approver: Principal): Promise<Record<string, unknown>> {
    const p = req.payload as unknown as MergePayload;
    if (p.duplicateReviewId) {
      const review = await this.persons.findDuplicateReview(p.duplicateReviewId, true);
      if (!review)
        throw DomainError.notFound(PersonErrorCode.DUPLICATE_REVIEW_NOT_FOUND, `duplicate review ${p.duplicateReviewId} not found`);
      assertTerritory(approver, review.katottg);
      if (review.status !== 'open')
        throw DomainError.conflict(PersonErrorCode.DUPLICATE_REVIEW_CLOSED, `duplicate review ${review.id} is ${review.status}`);
    }
    const mergeId = await this.mergeIn(approver, p.mergedPersonId, p.survivorPersonId, req.reason, {
      requestedBy: req.requestedBy,
      approvalId: req.id,
    });
    if (p.duplicateReviewId) await this.persons.resolveDuplicateReview(p.duplicateReviewId, 'merged', approver.id, mergeId);
    return { mergeId, mergedPersonId: p.mergedPersonId, survivorPersonId: p.survivorPersonId, duplicateReviewId: p.duplicateReviewId };
  }

  /** Checks, before anything is written, that the merge could be carried out now; returns the record to be merged away. */
  private async checkMerge(principal: Principal, mergedId: string, survivorId: string): Promise<PersonEntity> {
    if (mergedId === survivorId)
      throw DomainError.validation(PersonErrorCode.PERSON_MERGE_SELF, 'a person cannot be merged into itself', 'survivorPersonId');
    const merged = await this.persons.findById(mergedId);
    if (!merged) throw DomainError.notFound(PersonErrorCode.PERSON_NOT_FOUND, `person ${mergedId} not found`);
    const survivor = await this.persons.findById(survivorId);
    if (!survivor) throw DomainError.notFound(PersonErrorCode.PERSON_NOT_FOUND, `person ${survivorId} not found`);
    assertCanSeePerson(principal, merged);
    assertCanSeePerson(principal, survivor);
    this.assertNotMerged(merged);
    this.assertNotMerged(survivor);
    return merged;
  }

  /** Merges one record into another in the caller's transaction: moves statuses, memberships and entitlements; both journals stay. */
  private async mergeIn(
    principal: Principal,
    mergedId: string,
    survivorId: string,
    reason: string,
    asked: { requestedBy: string; approvalId: string },
  ): Promise<string> {
    if (mergedId === survivorId)
      throw DomainError.validation(PersonErrorCode.PERSON_MERGE_SELF, 'a person cannot be merged into itself', 'survivorPersonId');
    const [first, second] = [mergedId, survivorId].sort();
    const a = await this.persons.lockById(first!);
    const b = await this.persons.lockById(second!);
    const merged = a?.id === mergedId ? a : b;
    const survivor = a?.id === survivorId ? a : b;
    if (!merged) throw DomainError.notFound(PersonErrorCode.PERSON_NOT_FOUND, `person ${mergedId} not found`);
    if (!survivor) throw DomainError.notFound(PersonErrorCode.PERSON_NOT_FOUND, `person ${survivorId} not found`);
    assertCanSeePerson(principal, merged);
    assertCanSeePerson(principal, survivor);
    this.assertNotMerged(merged);
    this.assertNotMerged(survivor);
    const moved = await this.persons.moveToSurvivor(mergedId, survivorId);
    await this.persons.markMerged(mergedId, survivorId);
    const mergeId = randomUUID();
    const mergedAt = await this.persons.insertMergeJournal({
      id: mergeId,
      mergedId,
      survivorId,
      mergedSnapshot: merged,
      survivorSnapshot: survivor,
      moved,
      reason,
      actorId: principal.id,
      ...asked,
    });
    await this.persons.addHistory(
      mergedId,
      'merged-into',
      { survivorPersonId: survivorId, mergeId, moved, ...asked },
      principal.id,
      reason,
      'duplicate control',
    );
    await this.persons.addHistory(
      survivorId,
      'merged-from',
      { mergedPersonId: mergedId, mergeId, moved, ...asked },
      principal.id,
      reason,
      'duplicate control',
    );
    await this.outbox.append(
      PersonMergedV1,
      {
        mergedPersonId: mergedId,
        survivorPersonId: survivorId,
        mergeId,
        reason,
        katottg: survivor.katottg?.trim() ?? null,
        mergedAt: mergedAt.toISOString(),
      },
      { aggregateId: mergedId },
    );
    for (const statusId of moved.statuses) {
      const s = await this.statuses.findById(statusId);
      if (!s) continue;
      await this.statuses.addHistory(s, 'moved', `merged from ${mergedId}`, 'duplicate control', principal.id);
      await this.outbox.append(StatusGrantedV1, this.statuses.payload(s), { aggregateId: survivorId });
    }
    for (const householdId of moved.households) {
      const h = await this.households.bumpVersion(householdId);
      await this.outbox.append(HouseholdChangedV1, await this.households.eventPayload(h, 'member-merged', survivorId), {
        aggregateId: householdId,
      });
    }
    return mergeId;
  }

  private async pendingRequest(principal: Principal, id: string): Promise<ChangeRequestRow> {
    const cr = await this.persons.findChangeRequest(id, true);
    if (!cr) throw DomainError.notFound(PersonErrorCode.CHANGE_REQUEST_NOT_FOUND, `change request ${id} not found`);
    assertTerritory(principal, cr.katottg);
    if (cr.status !== 'pending')
      throw DomainError.conflict(PersonErrorCode.CHANGE_REQUEST_NOT_PENDING, `change request ${id} is already ${cr.status}`);
    if (cr.requestedBy === principal.id)
      throw DomainError.forbidden(
        PersonErrorCode.CHANGE_REQUEST_SELF_APPROVAL,
        'a change request is decided by someone other than its author',
      );
    if (principal.personId === cr.personId)
      throw DomainError.forbidden(PersonErrorCode.CHANGE_REQUEST_SELF_APPROVAL, 'a change to one’s own record is decided by someone else');
    return cr;
  }

  private assertNotMerged(p: PersonEntity): void {
    if (p.mergedInto)
      throw DomainError.conflict(PersonErrorCode.PERSON_MERGED, `person ${p.id} was merged into ${p.mergedInto}`, undefined, {
        mergedInto: p.mergedInto,
      });
  }

  private async mustFind(id: string): Promise<PersonEntity> {
    const person = await this.persons.findById(id);
    if (!person) throw DomainError.notFound(PersonErrorCode.PERSON_NOT_FOUND, `person ${id} not found`);
    return person;
  }
}
