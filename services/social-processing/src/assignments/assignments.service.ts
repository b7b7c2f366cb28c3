import {
  AssignmentChangedV2,
  AssignmentGrantedV2,
  AssignmentResumedV2,
  AssignmentSuspendedV2,
  AssignmentTerminatedV2,
  Role,
  type EventContract,
  type PayloadOf,
  type PersonPaymentAccountChangedV2,
} from '@eisss/contracts';
import {
  AuditLog,
  Clock,
  DomainError,
  DualControl,
  OutboxWriter,
  addMonthsToMonth,
  assertTerritory,
  canAccessTerritory,
  hasRole,
  kyivDate,
  monthOf,
  type DualControlRequest,
  type Principal,
  TransactionHost,
  Transactional,
  type PageRequest,
} from '@eisss/platform';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { PersonProjectionRepository, type Payee, type PaymentDetails } from '../person-projection/person-projection.repository';
import { ParameterTable } from '../rules/parameters';
import { BIRTH_PROGRAMME_CODE, BirthRules } from '../rules/birth-assistance.rules';
import { ruleSetByVersion } from '../rules/programmes';
import { node, type ApplicationFacts, type Evaluation, type ExplanationNode, type Reason } from '../rules/rule-set';
import { AssignmentErrorCode } from './assignments.errors';
import { AssignmentsRepository, type AssignmentRecord, type AssignmentVersionRecord, type Origin } from './assignments.repository';
import { planRecalculation, toStoredMonths, type MonthDifference, type RecalculationPlan, type StoredMonth } from './recalculation';

type AssignmentEventContract = typeof AssignmentGrantedV2;
export type RecalculationResult = 'unchanged' | 'changed' | 'terminated';
type AccountChange = PayloadOf<typeof PersonPaymentAccountChangedV2>;

/**
 * Acts on an assignment that a person takes and a second person approves (two-person rule): any
 * officer or supervisor of the territory asks, any other officer or supervisor of it approves.
 */
export const AssignmentActs = {
  suspend: 'assignment.suspend',
  resume: 'assignment.resume',
  terminate: 'assignment.terminate',
  extend: 'assignment.extend',
  recalculate: 'assignment.recalculate',
  changeRecipient: 'assignment.change-recipient',
} as const;
/** A programme-wide recalculation asked by a supervisor that changes what is paid: another supervisor approves. */
export const PROGRAMME_RECALCULATION_ACT = 'programme.recalculation';
const ACT_ROLES: Role[] = [Role.Officer, Role.Supervisor];

/** Who wrote a version: the person (or system) who acted and, under the two-person rule, the one who approved. */
export interface Actor {
  by: string;
  approvedBy?: string | null;
}

/** A manual act either done at once (by the system, or nothing to approve) or waiting for a second person. */
export type ActOutcome<T> = { done: T; requested?: undefined } | { done?: undefined; requested: DualControlRequest };

export interface ProgrammeRecalculationResult {
  programmeCode: string;
  checked: number;
  changed: number;
  terminated: number;
  unchanged: number;
}

/** The same account: bank accounts by the register's keyed reference (processing cannot read the IBAN), post by postcode. */
function sameAccount(a: PaymentDetails | null, b: PaymentDetails | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.method !== b.method) return false;
  return a.method === 'bank' ? a.accountRef === (b as typeof a).accountRef : a.postcode === (b as typeof a).postcode;
}

/** The same holder: name and the register's keyed reference of their identifiers (РНОКПП or document). */
function samePayee(a: Payee | null, b: Payee | null): boolean {
  if (a === null || b === null) return a === b;
  return a.fullName === b.fullName && a.identityRef === b.identityRef;
}

function isSystem(p: Principal): boolean {
  return hasRole(p, Role.System) && !hasRole(p, Role.Officer, Role.Supervisor);
}

export function assignmentSnapshot(a: AssignmentRecord): PayloadOf<typeof AssignmentGrantedV2>['assignment'] {
  return {
    assignmentId: a.id,
    version: a.version,
    applicationId: a.applicationId,
    programmeCode: a.programmeCode,
    ruleSetVersion: a.ruleSetVersion,
    recipientPersonId: a.recipientPersonId,
    householdId: a.householdId ?? null,
    memberPersonIds: a.memberPersonIds,
    katottg: a.katottg,
    periodFrom: a.periodFrom,
    periodTo: a.periodTo,
    status: a.status,
    months: a.months,
    payment: a.payment,
    payee: a.payment ? a.payee : null,
    // Only a migrated assignment names an origin: a decided one's snapshot stays as it always was.
    ...(a.origin ? { origin: a.origin } : {}),
  };
}

/**
 * Assignments (призначення): grant, recalculation with per-month differences, suspension, resumption,
 * termination, the register's payment account. Acts a person takes need a second person (DualControl);
 * acts of the system (rules after a passed verification, facts from the registers) are carried out at once.
 */
@Injectable()
export class AssignmentsService implements OnModuleInit {
  constructor(
    private readonly db: TransactionHost,
    private readonly assignments: AssignmentsRepository,
    private readonly persons: PersonProjectionRepository,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditLog,
    private readonly dual: DualControl,
    private readonly params: ParameterTable,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    const act = (run: (a: AssignmentRecord, payload: ActPayload, actor: Actor) => Promise<AssignmentRecord>) => ({
      roles: ACT_ROLES,
      execute: async (req: DualControlRequest, approver: Principal) => {
        const a = await this.loadForChange(approver, req.subjectId);
        const next = await run(a, req.payload as unknown as ActPayload, { by: req.requestedBy, approvedBy: approver.id });
        return { assignmentId: next.id, version: next.version, status: next.status, periodTo: next.periodTo };
      },
    });
    this.dual.register(
      AssignmentActs.suspend,
      act((a, p, actor) => this.suspendInTx(a, p.month!, p.reason, actor)),
    );
    this.dual.register(
      AssignmentActs.resume,
      act((a, p, actor) => this.resumeInTx(a, p.month!, p.reason, actor)),
    );
    this.dual.register(
      AssignmentActs.terminate,
      act((a, p, actor) => this.terminateInTx(a, p.month!, p.reason, actor)),
    );
    this.dual.register(
      AssignmentActs.extend,
      act((a, _p, actor) => this.extendInTx(a, actor)),
    );
    this.dual.register(
      AssignmentActs.recalculate,
      act(async (a, p, actor) => {
        if (a.status === 'terminated') throw DomainError.conflict(AssignmentErrorCode.ASSIGNMENT_TERMINATED, 'assignment is terminated');
        await this.recalculateInTx(a, a.facts, p.reason, actor);
        return (await this.assignments.findById(a.id))!;
      }),
    );
    // A change of recipient changes who is paid: an officer (or supervisor) asks, a supervisor approves.
    this.dual.register(AssignmentActs.changeRecipient, {
      roles: ACT_ROLES,
      approverRoles: [Role.Supervisor],
      execute: async (req, approver) => {
        const a = await this.loadForChange(approver, req.subjectId);
        const p = req.payload as unknown as RecipientChangePayload;
        const next = await this.changeRecipientInTx(a, p.newRecipientPersonId, p.reason, {
          by: req.requestedBy,
          approvedBy: approver.id,
        });
        return { assignmentId: next.id, version: next.version, status: next.status, recipientPersonId: next.recipientPersonId };
      },
    });
    this.dual.register(PROGRAMME_RECALCULATION_ACT, {
      roles: [Role.Supervisor],
      execute: async (req, approver) => {
        const p = req.payload as unknown as { programmeCode: string; territory: string; reason: Reason };
        const out = await this.recalculateProgrammeInTx(p.programmeCode, p.territory, p.reason, {
          by: req.requestedBy,
          approvedBy: approver.id,
        });
        return { ...out };
      },
    });
  }

  private async publish(
    contract: AssignmentEventContract | EventContract,
    a: AssignmentRecord,
    v: { reason: Reason | null; effectiveFrom: string; differences: MonthDifference[]; actor: string | Actor },
    created = false,
  ): Promise<void> {
    const snapshot = assignmentSnapshot(a);
    const actor = typeof v.actor === 'string' ? { by: v.actor } : v.actor;
    const version = {
      eventType: contract.eventType,
      snapshot,
      reason: v.reason,
      effectiveFrom: v.effectiveFrom,
      differences: v.differences,
      createdBy: actor.by,
      approvedBy: actor.approvedBy ?? null,
    };
    // A new assignment is written with its first version row in one statement.
    if (created) await this.assignments.insertWithVersion(a, version);
    else await this.assignments.insertVersion(a, version);
    await this.outbox.append(
      contract as AssignmentEventContract,
      { assignment: snapshot, reason: v.reason, effectiveFrom: v.effectiveFrom, differences: v.differences },
      { aggregateId: a.id },
    );
  }

  /**
   * Creates version 1 from a granted evaluation and emits AssignmentGrantedV2 (inside the caller's
   * transaction). The assignment carries the register's approved account of the recipient and its
   * holder, never an account typed into the application; none (null) while the register holds none.
   */
  async grant(input: {
    /** Null for an assignment taken over from a system in use (then `origin` names it). */
    applicationId: string | null;
    evaluation: Omit<Evaluation, 'months'> & { months: StoredMonth[] };
    facts: ApplicationFacts;
    katottg: string;
    actor: Actor;
    householdId?: string | null;
    origin?: Origin | null;
  }): Promise<AssignmentRecord> {
    const e = input.evaluation;
    await this.persons.lockPersons([e.recipientPersonId]);
    const registered = await this.persons.paymentAccountOf(e.recipientPersonId);
    const payment = registered?.account ?? null;
    const a: AssignmentRecord = {
      id: randomUUID(),
      version: 1,
      applicationId: input.applicationId,
      programmeCode: e.programmeCode,
      ruleSetVersion: e.ruleSetVersion,
      recipientPersonId: e.recipientPersonId,
      memberPersonIds: e.memberPersonIds,
      katottg: input.katottg,
      periodFrom: e.periodFrom!,
      periodTo: e.periodTo!,
      status: 'active',
      months: e.months,
      payment,
      payee: payment ? registered!.holder : null,
      facts: input.facts,
      explanation: e.explanation,
      householdId: input.householdId ?? null,
      origin: input.origin ?? null,
    };
    await this.publish(AssignmentGrantedV2, a, { reason: null, effectiveFrom: a.periodFrom, differences: [], actor: input.actor }, true);
    return a;
  }

  /**
   * Recomputes an open assignment from changed facts (or changed parameters) with its own rule-set version,
   * writes a new version and emits AssignmentChangedV2 or AssignmentTerminatedV2 with the per-month differences.
   * Nothing changes (and nothing is emitted) when the months come out the same. `note` (e.g. the finding
   * that caused it, with its rule and clause) goes into the explanation before the recomputed months.
   */
  async recalculateInTx(
    a: AssignmentRecord,
    facts: ApplicationFacts,
    reason: Reason,
    actor: string | Actor,
    lastMonth?: string,
    note?: ExplanationNode,
  ): Promise<RecalculationResult> {
    if (a.status === 'terminated') return 'unchanged';
    const { plan, computed } = this.planFor(a, facts, lastMonth);
    if (plan.differences.length === 0 && !plan.terminated) {
      if (JSON.stringify(facts) !== JSON.stringify(a.facts)) await this.assignments.update({ ...a, facts });
      return 'unchanged';
    }
    const next: AssignmentRecord = {
      ...a,
      version: a.version + 1,
      facts,
      months: plan.months,
      periodTo: plan.periodTo,
      status: plan.terminated ? 'terminated' : a.status,
      explanation: { ...a.explanation, children: [...(a.explanation.children ?? []), ...(note ? [note] : []), computed.explanation] },
    };
    await this.assignments.update(next);
    await this.publish(plan.terminated ? AssignmentTerminatedV2 : AssignmentChangedV2, next, {
      reason,
      effectiveFrom: plan.effectiveFrom!,
      differences: plan.differences,
      actor,
    });
    return plan.terminated ? 'terminated' : 'changed';
  }

  /** What a recalculation of an open assignment from these facts would produce (nothing written). */
  private planFor(
    a: AssignmentRecord,
    facts: ApplicationFacts,
    lastMonth?: string,
  ): { plan: RecalculationPlan; computed: { explanation: ExplanationNode } } {
    const ruleSet = ruleSetByVersion(a.programmeCode, a.ruleSetVersion);
    if (!ruleSet) throw DomainError.unprocessable(AssignmentErrorCode.RULE_SET_UNKNOWN, `rule set ${a.ruleSetVersion} is not known`);
    const computed = ruleSet.recalculate(facts, { from: a.periodFrom, to: a.periodTo }, this.params);
    const last = lastMonth !== undefined && lastMonth < a.periodTo ? lastMonth : lastMonth !== undefined ? a.periodTo : undefined;
    return {
      plan: planRecalculation(
        a,
        toStoredMonths(computed.months),
        last,
        this.restorableMonths(ruleSet, facts, { from: a.periodFrom, to: a.periodTo }),
      ),
      computed,
    };
  }

  /**
   * Months that are zero only because of a restorable stop: a member's share stopped for the employment
   * duty (КМУ № 332, п. 6-1; restored within the same term once the member registers or starts work, from
   * 26.08.2025). Found by recomputing without those stops: a month that would then pay something is zero
   * only because of them. Undefined when no member has such a stop (nothing restorable).
   */
  private restorableMonths(
    ruleSet: NonNullable<ReturnType<typeof ruleSetByVersion>>,
    facts: ApplicationFacts,
    period: { from: string; to: string },
  ): ReadonlySet<string> | undefined {
    const stopped = (m: unknown) => ((m as { employmentStops?: unknown[] }).employmentStops?.length ?? 0) > 0;
    if (!facts.members.some(stopped)) return undefined;
    const without: ApplicationFacts = structuredClone(facts);
    for (const m of without.members) delete (m as { employmentStops?: unknown[] }).employmentStops;
    return new Set(
      ruleSet
        .recalculate(without, period, this.params)
        .months.filter((m) => m.amountKopiyky > 0n)
        .map((m) => m.month),
    );
  }

  /**
   * The register approved (or removed) a person's payment account (PersonPaymentAccountChangedV2):
   * the projection keeps it (a lower version than stored is ignored) and every open assignment of
   * which the person is the recipient gets a new version carrying it and its holder, in this transaction.
   */
  async onPaymentAccountChanged(change: AccountChange, eventId: string, actor: string): Promise<void> {
    await this.persons.lockPersons([change.personId]);
    if (!(await this.persons.upsertPaymentAccount(change, eventId))) return;
    const payment = change.account;
    const payee = payment ? change.holder : null;
    const changedMonth = monthOf(kyivDate(new Date(change.changedAt)));
    for (const a of await this.assignments.lockOpenByRecipient(change.personId)) {
      if (sameAccount(a.payment, payment) && samePayee(a.payee, payee)) continue;
      const next: AssignmentRecord = { ...a, version: a.version + 1, payment, payee };
      await this.assignments.update(next);
      const effectiveFrom = changedMonth < a.periodFrom ? a.periodFrom : changedMonth > a.periodTo ? a.periodTo : changedMonth;
      const reason = payment
        ? {
            code: 'ACCOUNT_CHANGED',
            text: `the register approved the recipient's payment account${change.changeRequestId ? ` (change request ${change.changeRequestId})` : ''}`,
          }
        : {
            code: 'ACCOUNT_REMOVED',
            text: 'the register holds no approved payment account for the recipient: nothing is paid until one is approved',
          };
      await this.publish(AssignmentChangedV2, next, { reason, effectiveFrom, differences: [], actor });
    }
  }

  /** A status of a person ended (StatusEndedV1): the status in every open assignment's facts ends, amounts are recomputed. */
  async onStatusEnded(
    s: { statusId: string; personId: string; type: string; validFrom: string; validTo: string | null },
    actor: string,
  ): Promise<void> {
    if (!s.validTo) return;
    for (const a of await this.assignments.lockOpenByPerson(s.personId)) {
      const facts: ApplicationFacts = structuredClone(a.facts);
      const member = facts.members.find((m) => m.personId === s.personId);
      if (!member) continue;
      const status =
        member.statuses.find((x) => x.statusId === s.statusId) ??
        member.statuses.find((x) => x.type === s.type && (x.validTo === null || x.validTo > s.validTo!));
      if (!status) continue;
      status.validTo = s.validTo;
      await this.recalculateInTx(a, facts, { code: 'STATUS_ENDED', text: `status ${s.type} of a member ended on ${s.validTo}` }, actor);
    }
  }

  /** A status was granted or corrected (StatusGrantedV1): it enters every open assignment's facts; amounts are recomputed (arrears when they rise). */
  async onStatusGranted(
    s: { statusId: string; personId: string; type: string; validFrom: string; validTo: string | null; details: Record<string, unknown> },
    actor: string,
  ): Promise<void> {
    for (const a of await this.assignments.lockOpenByPerson(s.personId)) {
      const facts: ApplicationFacts = structuredClone(a.facts);
      const member = facts.members.find((m) => m.personId === s.personId);
      if (!member) continue;
      const fact = { statusId: s.statusId, type: s.type, validFrom: s.validFrom, validTo: s.validTo, details: s.details };
      const i = member.statuses.findIndex((x) => x.statusId === s.statusId || (!x.statusId && x.type === s.type));
      if (i >= 0) member.statuses[i] = fact;
      else member.statuses.push(fact);
      await this.recalculateInTx(a, facts, { code: 'STATUS_GRANTED', text: `status ${s.type} of a member from ${s.validFrom}` }, actor);
    }
  }

  /** A person died: a member's share stops from the next month; the recipient's death terminates the assignment from the next month. */
  async onDeath(personId: string, deathDate: string, assignmentIds: string[] | null, source: string, actor: string): Promise<void> {
    const open = await this.assignments.lockOpenByPerson(personId);
    for (const a of open.filter((x) => !assignmentIds || assignmentIds.length === 0 || assignmentIds.includes(x.id))) {
      const facts: ApplicationFacts = structuredClone(a.facts);
      const member = facts.members.find((m) => m.personId === personId);
      if (member) member.deathDate = deathDate;
      const recipient = a.recipientPersonId === personId;
      const reason = recipient
        ? { code: 'RECIPIENT_DIED', text: `the recipient died on ${deathDate} (${source})` }
        : { code: 'MEMBER_DIED', text: `a member died on ${deathDate} (${source})` };
      await this.recalculateInTx(a, facts, reason, actor, recipient ? monthOf(deathDate) : undefined);
    }
  }

  private async loadForChange(principal: Principal, id: string): Promise<AssignmentRecord> {
    const a = await this.assignments.lockById(id);
    if (!a) throw DomainError.notFound(AssignmentErrorCode.ASSIGNMENT_NOT_FOUND, `assignment ${id} not found`);
    assertTerritory(principal, a.katottg);
    return a;
  }

  private checkMonth(a: AssignmentRecord, month: string, field: string): void {
    if (month < a.periodFrom || month > a.periodTo)
      throw DomainError.validation(AssignmentErrorCode.MONTH_OUTSIDE_PERIOD, `${month} is outside ${a.periodFrom}..${a.periodTo}`, field);
  }

  /** Asks for a manual act: checked now (a hopeless request is refused at once), carried out when a second person approves. */
  private async requestAct(principal: Principal, action: string, a: AssignmentRecord, payload: ActPayload): Promise<DualControlRequest> {
    return this.dual.request(principal, {
      action,
      subjectType: 'assignment',
      subjectId: a.id,
      katottg: a.katottg,
      payload: { ...payload, assignmentVersion: a.version },
      reason: `${payload.reason.code}: ${payload.reason.text}`,
    });
  }

  private checkSuspend(a: AssignmentRecord, month: string): void {
    if (a.status !== 'active') throw DomainError.conflict(AssignmentErrorCode.ASSIGNMENT_NOT_ACTIVE, `assignment is ${a.status}`);
    this.checkMonth(a, month, 'month');
  }

  private checkResume(a: AssignmentRecord, month: string): void {
    if (a.status !== 'suspended') throw DomainError.conflict(AssignmentErrorCode.ASSIGNMENT_NOT_SUSPENDED, `assignment is ${a.status}`);
    this.checkMonth(a, month, 'month');
  }

  private checkTerminate(a: AssignmentRecord, month: string): void {
    if (a.status === 'terminated')
      throw DomainError.conflict(AssignmentErrorCode.ASSIGNMENT_TERMINATED, 'assignment is already terminated');
    this.checkMonth(a, month, 'month');
  }

  private async suspendInTx(a: AssignmentRecord, fromMonth: string, reason: Reason, actor: Actor): Promise<AssignmentRecord> {
    this.checkSuspend(a, fromMonth);
    const next: AssignmentRecord = { ...a, version: a.version + 1, status: 'suspended' };
    await this.assignments.update(next);
    await this.publish(AssignmentSuspendedV2, next, { reason, effectiveFrom: fromMonth, differences: [], actor });
    return next;
  }

  private async resumeInTx(a: AssignmentRecord, fromMonth: string, reason: Reason, actor: Actor): Promise<AssignmentRecord> {
    this.checkResume(a, fromMonth);
    const next: AssignmentRecord = { ...a, version: a.version + 1, status: 'active' };
    await this.assignments.update(next);
    await this.publish(AssignmentResumedV2, next, { reason, effectiveFrom: fromMonth, differences: [], actor });
    return next;
  }

  private async terminateInTx(a: AssignmentRecord, fromMonth: string, reason: Reason, actor: Actor): Promise<AssignmentRecord> {
    this.checkTerminate(a, fromMonth);
    const plan = planRecalculation(a, a.months, addMonthsToMonth(fromMonth, -1));
    const next: AssignmentRecord = { ...a, version: a.version + 1, status: 'terminated', months: plan.months, periodTo: plan.periodTo };
    await this.assignments.update(next);
    await this.publish(AssignmentTerminatedV2, next, { reason, effectiveFrom: fromMonth, differences: plan.differences, actor });
    return next;
  }

  /**
   * Whether the recipient of an assignment can become this person (checked when asked and again when
   * approved; nothing written). Birth assistance only: its remaining months depend on the child, not on
   * the recipient (Закон «Про державну допомогу сім'ям з дітьми», ст. 10, 14; RULES.md §2). An assignment
   * terminated by the recipient's death continues from the month after it (`continuation`: the period it had
   * before); one terminated otherwise does not.
   */
  private async checkRecipientChange(
    a: AssignmentRecord,
    newRecipientPersonId: string,
  ): Promise<{ continuation: { periodTo: string } | null }> {
    const field = 'newRecipientPersonId';
    if (a.programmeCode !== BIRTH_PROGRAMME_CODE)
      throw DomainError.unprocessable(
        AssignmentErrorCode.RECIPIENT_CHANGE_NOT_AVAILABLE,
        `${a.programmeCode} has no change of recipient on the same assignment`,
      );
    if (newRecipientPersonId === a.recipientPersonId)
      throw DomainError.unprocessable(AssignmentErrorCode.RECIPIENT_UNCHANGED, 'the person is already the recipient', field);
    const [person] = await this.persons.findKnown([newRecipientPersonId]);
    if (!person)
      throw DomainError.unprocessable(
        AssignmentErrorCode.RECIPIENT_UNKNOWN,
        `person ${newRecipientPersonId} is not known to processing`,
        field,
      );
    if (person.deathDate)
      throw DomainError.unprocessable(
        AssignmentErrorCode.RECIPIENT_DECEASED,
        `person ${newRecipientPersonId} died on ${person.deathDate}`,
        field,
      );
    if (a.facts.members.some((m) => m.personId === newRecipientPersonId && m.relation === 'child'))
      throw DomainError.unprocessable(AssignmentErrorCode.RECIPIENT_IS_CHILD, 'the person is a child the assistance is for', field);
    if (a.status !== 'terminated') return { continuation: null };
    const last = await this.assignments.versionOf(a.id, a.version);
    const before = last?.reason?.code === 'RECIPIENT_DIED' ? await this.assignments.versionOf(a.id, a.version - 1) : null;
    if (!before)
      throw DomainError.conflict(
        AssignmentErrorCode.ASSIGNMENT_TERMINATED,
        "assignment is terminated (only one ended by the recipient's death continues with a new recipient)",
      );
    return { continuation: { periodTo: before.periodTo } };
  }

  /**
   * A new version with the new recipient, the register's approved account and holder of that person (null
   * when the register holds none: nothing is paid until one is approved) and the same remaining months (no
   * new amount): AssignmentChangedV2 with reason RECIPIENT_CHANGED. After the recipient's death the months
   * removed by the termination come back (positive differences) and the assignment is active again.
   */
  private async changeRecipientInTx(
    a: AssignmentRecord,
    newRecipientPersonId: string,
    reason: Reason,
    actor: Actor,
  ): Promise<AssignmentRecord> {
    await this.persons.lockPersons([newRecipientPersonId]);
    const { continuation } = await this.checkRecipientChange(a, newRecipientPersonId);
    const registered = await this.persons.paymentAccountOf(newRecipientPersonId);
    const payment = registered?.account ?? null;
    const now = monthOf(this.today());
    let months = a.months;
    let periodTo = a.periodTo;
    let differences: MonthDifference[] = [];
    let effectiveFrom = now < a.periodFrom ? a.periodFrom : now > a.periodTo ? a.periodTo : now;
    if (continuation) {
      const ruleSet = ruleSetByVersion(a.programmeCode, a.ruleSetVersion);
      if (!ruleSet) throw DomainError.unprocessable(AssignmentErrorCode.RULE_SET_UNKNOWN, `rule set ${a.ruleSetVersion} is not known`);
      const plan = planRecalculation(
        a,
        toStoredMonths(ruleSet.recalculate(a.facts, { from: a.periodFrom, to: continuation.periodTo }, this.params).months),
      );
      if (plan.periodTo <= a.periodTo)
        throw DomainError.conflict(AssignmentErrorCode.ASSIGNMENT_TERMINATED, 'assignment is terminated and no months remain to continue');
      months = plan.months;
      periodTo = plan.periodTo;
      differences = plan.differences;
      effectiveFrom = addMonthsToMonth(a.periodTo, 1);
    }
    const note = node(BirthRules.recipientChange, 'info', {
      previousRecipientPersonId: a.recipientPersonId,
      recipientPersonId: newRecipientPersonId,
      fromMonth: effectiveFrom,
      continuedAfterRecipientDeath: continuation !== null,
      accountHeld: payment !== null,
    });
    const next: AssignmentRecord = {
      ...a,
      version: a.version + 1,
      recipientPersonId: newRecipientPersonId,
      status: continuation ? 'active' : a.status,
      months,
      periodTo,
      payment,
      payee: payment ? registered!.holder : null,
      explanation: { ...a.explanation, children: [...(a.explanation.children ?? []), note] },
    };
    await this.assignments.update(next);
    await this.publish(AssignmentChangedV2, next, { reason, effectiveFrom, differences, actor });
    return next;
  }

  /**
   * A person asks to change the recipient (birth assistance: the other parent or a guardian takes over the
   * same assignment); checked now (an unknown or deceased person is refused at once, nothing written), carried
   * out when a supervisor (another person) approves.
   */
  @Transactional()
  async changeRecipient(
    principal: Principal,
    id: string,
    input: { newRecipientPersonId: string; reason: string; evidenceRef: string },
  ): Promise<DualControlRequest> {
    const a = await this.loadForChange(principal, id);
    await this.checkRecipientChange(a, input.newRecipientPersonId);
    const reason: Reason = { code: 'RECIPIENT_CHANGED', text: input.reason };
    const payload: RecipientChangePayload = { newRecipientPersonId: input.newRecipientPersonId, reason, assignmentVersion: a.version };
    return this.dual.request(principal, {
      action: AssignmentActs.changeRecipient,
      subjectType: 'assignment',
      subjectId: a.id,
      katottg: a.katottg,
      payload: { ...payload },
      evidenceRef: input.evidenceRef,
      reason: `${reason.code}: ${reason.text}`,
    });
  }

  /** A person asks to suspend payment from a month; a second person's approval carries it out. */
  @Transactional()
  async suspend(principal: Principal, id: string, fromMonth: string, reason: Reason): Promise<DualControlRequest> {
    const a = await this.loadForChange(principal, id);
    this.checkSuspend(a, fromMonth);
    return this.requestAct(principal, AssignmentActs.suspend, a, { month: fromMonth, reason });
  }

  /** A person asks to resume a suspended assignment from a month; a second person's approval carries it out. */
  @Transactional()
  async resume(principal: Principal, id: string, fromMonth: string, reason: Reason): Promise<DualControlRequest> {
    const a = await this.loadForChange(principal, id);
    this.checkResume(a, fromMonth);
    return this.requestAct(principal, AssignmentActs.resume, a, { month: fromMonth, reason });
  }

  /** A person asks to terminate from a month; a second person's approval carries it out. */
  @Transactional()
  async terminate(principal: Principal, id: string, fromMonth: string, reason: Reason): Promise<DualControlRequest> {
    const a = await this.loadForChange(principal, id);
    this.checkTerminate(a, fromMonth);
    return this.requestAct(principal, AssignmentActs.terminate, a, { month: fromMonth, reason });
  }

  /**
   * Recalculation on request (e.g. after a parameter change): current parameters, same rule-set version
   * and facts. The system recalculates at once; a person's recalculation that would change what is paid
   * waits for a second person (one that changes nothing is answered at once).
   */
  @Transactional()
  async recalculate(
    principal: Principal,
    id: string,
    reason: Reason,
  ): Promise<ActOutcome<{ result: RecalculationResult; assignment: AssignmentRecord }>> {
    const a = await this.loadForChange(principal, id);
    if (a.status === 'terminated') throw DomainError.conflict(AssignmentErrorCode.ASSIGNMENT_TERMINATED, 'assignment is terminated');
    if (!isSystem(principal)) {
      const { plan } = this.planFor(a, a.facts);
      if (plan.differences.length > 0 || plan.terminated)
        return { requested: await this.requestAct(principal, AssignmentActs.recalculate, a, { reason }) };
    }
    const result = await this.recalculateInTx(a, a.facts, reason, principal.id);
    return { done: { result, assignment: (await this.assignments.findById(id))! } };
  }

  private extension(a: AssignmentRecord) {
    if (a.status !== 'active') throw DomainError.conflict(AssignmentErrorCode.ASSIGNMENT_NOT_ACTIVE, `assignment is ${a.status}`);
    const ruleSet = ruleSetByVersion(a.programmeCode, a.ruleSetVersion);
    if (!ruleSet?.extend)
      throw DomainError.unprocessable(AssignmentErrorCode.EXTENSION_NOT_AVAILABLE, `${a.programmeCode} has no extension`);
    const ext = ruleSet.extend(a.facts, a.periodTo, this.params);
    if (!ext.eligible)
      throw DomainError.unprocessable(
        AssignmentErrorCode.EXTENSION_NOT_ELIGIBLE,
        'the family is not in a category eligible for extension',
        undefined,
        { explanation: ext.explanation },
      );
    return { ruleSet, ext };
  }

  private async extendInTx(a: AssignmentRecord, actor: Actor): Promise<AssignmentRecord> {
    const { ruleSet, ext } = this.extension(a);
    const computed = ruleSet.recalculate(a.facts, { from: a.periodFrom, to: ext.newPeriodTo }, this.params);
    const plan = planRecalculation(a, toStoredMonths(computed.months));
    const next: AssignmentRecord = {
      ...a,
      version: a.version + 1,
      months: plan.months,
      periodTo: plan.periodTo,
      status: plan.terminated && plan.months.length === 0 ? 'terminated' : 'active',
      explanation: { ...a.explanation, children: [...(a.explanation.children ?? []), ext.explanation] },
    };
    await this.assignments.update(next);
    await this.publish(AssignmentChangedV2, next, {
      reason: { code: 'EXTENDED', text: `extended to ${next.periodTo}` },
      effectiveFrom: addMonthsToMonth(a.periodTo, 1),
      differences: plan.differences,
      actor,
    });
    return next;
  }

  /**
   * A further term (e.g. the IDP six-month extension for vulnerable families): new months after periodTo,
   * AssignmentChangedV2 with them as arrears. The system extends at once; a person's extension waits for a second person.
   */
  @Transactional()
  async extend(principal: Principal, id: string): Promise<ActOutcome<AssignmentRecord>> {
    const a = await this.loadForChange(principal, id);
    if (isSystem(principal)) return { done: await this.extendInTx(a, { by: principal.id }) };
    const { ext } = this.extension(a);
    return {
      requested: await this.requestAct(principal, AssignmentActs.extend, a, {
        reason: { code: 'EXTENDED', text: `extension to ${ext.newPeriodTo}` },
      }),
    };
  }

  /**
   * After a parameter change: every open assignment of a programme in the caller's territory is recalculated.
   * The system does it at once, each assignment in its own transaction; a supervisor's recalculation that
   * would change what is paid waits for a second supervisor (one that changes nothing is answered at once).
   */
  async recalculateProgramme(
    principal: Principal,
    programmeCode: string,
    reason: Reason,
  ): Promise<ActOutcome<ProgrammeRecalculationResult>> {
    if (!isSystem(principal)) {
      const dry = await this.dryRunProgramme(programmeCode, principal.territory);
      if (dry.changed + dry.terminated === 0) return { done: dry };
      const requested = await this.dual.request(principal, {
        action: PROGRAMME_RECALCULATION_ACT,
        subjectType: 'programme',
        subjectId: `${programmeCode}@${principal.territory}`,
        katottg: principal.territory === 'UA' ? null : principal.territory,
        payload: { programmeCode, territory: principal.territory, reason, expected: { ...dry } },
        reason: `${reason.code}: ${reason.text}`,
      });
      return { requested };
    }
    const out: ProgrammeRecalculationResult = { programmeCode, checked: 0, changed: 0, terminated: 0, unchanged: 0 };
    for (const id of await this.assignments.openIdsOfProgramme(programmeCode)) {
      const result = await this.db.run(async () => {
        const a = await this.assignments.lockById(id);
        if (!a || !canAccessTerritory(principal, a.katottg)) return null;
        return this.recalculateInTx(a, a.facts, reason, principal.id);
      });
      if (result === null) continue;
      out.checked++;
      out[result]++;
    }
    return { done: out };
  }

  private async dryRunProgramme(programmeCode: string, territory: string): Promise<ProgrammeRecalculationResult> {
    const out: ProgrammeRecalculationResult = { programmeCode, checked: 0, changed: 0, terminated: 0, unchanged: 0 };
    for (const id of await this.assignments.openIdsOfProgramme(programmeCode)) {
      const a = await this.assignments.findById(id);
      if (!a || a.status === 'terminated' || !canAccessTerritory({ id: 'dry-run', roles: [], territory }, a.katottg)) continue;
      const { plan } = this.planFor(a, a.facts);
      out.checked++;
      if (plan.terminated) out.terminated++;
      else if (plan.differences.length) out.changed++;
      else out.unchanged++;
    }
    return out;
  }

  /** Every open assignment of a programme in a territory, recalculated in the caller's transaction (a new version only where a month changes). */
  async recalculateProgrammeInTx(
    programmeCode: string,
    territory: string,
    reason: Reason,
    actor: Actor,
    note?: ExplanationNode,
  ): Promise<ProgrammeRecalculationResult> {
    const out: ProgrammeRecalculationResult = { programmeCode, checked: 0, changed: 0, terminated: 0, unchanged: 0 };
    for (const id of await this.assignments.openIdsOfProgramme(programmeCode)) {
      const a = await this.assignments.lockById(id);
      if (!a || a.status === 'terminated' || !canAccessTerritory({ id: actor.by, roles: [], territory }, a.katottg)) continue;
      const result = await this.recalculateInTx(a, a.facts, reason, actor, undefined, note);
      out.checked++;
      out[result]++;
    }
    return out;
  }

  private canSee(principal: Principal, a: AssignmentRecord): void {
    if (hasRole(principal, Role.Citizen) && !hasRole(principal, Role.Officer, Role.Supervisor)) {
      if (!principal.personId || (a.recipientPersonId !== principal.personId && !a.memberPersonIds.includes(principal.personId))) {
        throw DomainError.notFound(AssignmentErrorCode.ASSIGNMENT_NOT_FOUND, `assignment ${a.id} not found`);
      }
      return;
    }
    assertTerritory(principal, a.katottg);
  }

  async get(principal: Principal, id: string): Promise<{ assignment: AssignmentRecord; versions: AssignmentVersionRecord[] }> {
    const a = await this.assignments.findById(id);
    if (!a) throw DomainError.notFound(AssignmentErrorCode.ASSIGNMENT_NOT_FOUND, `assignment ${id} not found`);
    this.canSee(principal, a);
    await this.audit.recordRead(
      principal,
      'person',
      [a.recipientPersonId, ...a.memberPersonIds.filter((p) => p !== a.recipientPersonId)],
      'assignment card',
    );
    return { assignment: a, versions: await this.assignments.versions(id) };
  }

  async list(principal: Principal, filter: { personId?: string; programmeCode?: string; status?: string } & PageRequest) {
    const citizenOnly = hasRole(principal, Role.Citizen) && !hasRole(principal, Role.Officer, Role.Supervisor);
    const personId = citizenOnly ? principal.personId : filter.personId;
    if (citizenOnly && !personId) return { items: [], total: filter.withTotal === false ? null : 0 };

    const page = await this.assignments.list({ ...filter, personId, territory: citizenOnly ? 'UA' : principal.territory });
    await this.audit.recordRead(principal, 'person', [...new Set(page.items.map((a) => a.recipientPersonId))], 'assignment list');
    return page;
  }

  today(): string {
    return this.clock.today();
  }
}

/** What a manual act asks for (kept on the request until a second person approves it). */
interface ActPayload {
  month?: string;
  reason: Reason;
}

/** What a change of recipient asks for (kept on the request until a supervisor approves it). */
interface RecipientChangePayload {
  newRecipientPersonId: string;
  reason: Reason;
  assignmentVersion: number;
}
