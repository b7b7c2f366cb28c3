import { AssignmentChangedV1, AssignmentGrantedV1, AssignmentResumedV1, AssignmentSuspendedV1, AssignmentTerminatedV1, type EventContract, type PayloadOf } from '@eisss/contracts';
import { AuditLog, DomainError, OutboxWriter, addMonthsToMonth, assertTerritory, canAccessTerritory, hasRole, kyivDate, monthOf, type Principal } from '@eisss/platform';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ParameterTable } from '../rules/parameters';
import { ruleSetByVersion } from '../rules/programmes';
import type { ApplicationFacts, Evaluation, Reason } from '../rules/rule-set';
import { CLOCK, type Clock } from '../shared/clock';
import { AssignmentErrorCode } from './assignments.errors';
import { AssignmentsRepository, type AssignmentRecord, type AssignmentVersionRecord, type PaymentDetails } from './assignments.repository';
import { planRecalculation, toStoredMonths, type MonthDifference, type StoredMonth } from './recalculation';

type AssignmentEventContract = typeof AssignmentGrantedV1;
export type RecalculationResult = 'unchanged' | 'changed' | 'terminated';

export function assignmentSnapshot(a: AssignmentRecord): PayloadOf<typeof AssignmentGrantedV1>['assignment'] {
  return {
    assignmentId: a.id,
    version: a.version,
    applicationId: a.applicationId,
    programmeCode: a.programmeCode,
    ruleSetVersion: a.ruleSetVersion,
    recipientPersonId: a.recipientPersonId,
    householdId: null,
    memberPersonIds: a.memberPersonIds,
    katottg: a.katottg,
    periodFrom: a.periodFrom,
    periodTo: a.periodTo,
    status: a.status,
    months: a.months,
    payment: a.payment,
    payee: null,
  };
}

/** Assignments (призначення): grant, recalculation with per-month differences, suspension, resumption, termination. */
@Injectable()
export class AssignmentsService {
  constructor(
    private readonly assignments: AssignmentsRepository,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditLog,
    private readonly params: ParameterTable,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private async publish(tx: EntityManager, contract: AssignmentEventContract | EventContract, a: AssignmentRecord, v: { reason: Reason | null; effectiveFrom: string; differences: MonthDifference[]; actor: string }): Promise<void> {
    const snapshot = assignmentSnapshot(a);
    await this.assignments.insertVersion(tx, a, { eventType: contract.eventType, snapshot, reason: v.reason, effectiveFrom: v.effectiveFrom, differences: v.differences, createdBy: v.actor });
    await this.outbox.append(tx, contract as AssignmentEventContract, { assignment: snapshot, reason: v.reason, effectiveFrom: v.effectiveFrom, differences: v.differences }, { aggregateId: a.id });
  }

  /** Creates version 1 from a granted evaluation and emits AssignmentGrantedV1 (inside the caller's transaction). */
  async grant(tx: EntityManager, input: { applicationId: string; evaluation: Omit<Evaluation, 'months'> & { months: StoredMonth[] }; facts: ApplicationFacts; katottg: string; payment: PaymentDetails; actor: string }): Promise<AssignmentRecord> {
    const e = input.evaluation;
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
      payment: input.payment,
      facts: input.facts,
      explanation: e.explanation,
    };
    await this.assignments.insert(tx, a);
    await this.publish(tx, AssignmentGrantedV1, a, { reason: null, effectiveFrom: a.periodFrom, differences: [], actor: input.actor });
    return a;
  }

  /**
   * Recomputes an open assignment from changed facts (or changed parameters) with its own rule-set version,
   * writes a new version and emits AssignmentChangedV1 or AssignmentTerminatedV1 with the per-month differences.
   * Nothing changes (and nothing is emitted) when the months come out the same.
   */
  async recalculateInTx(tx: EntityManager, a: AssignmentRecord, facts: ApplicationFacts, reason: Reason, actor: string, lastMonth?: string): Promise<RecalculationResult> {
    if (a.status === 'terminated') return 'unchanged';
    const ruleSet = ruleSetByVersion(a.programmeCode, a.ruleSetVersion);
    if (!ruleSet) throw DomainError.unprocessable(AssignmentErrorCode.RULE_SET_UNKNOWN, `rule set ${a.ruleSetVersion} is not known`);
    const computed = ruleSet.recalculate(facts, { from: a.periodFrom, to: a.periodTo }, this.params);
    const last = lastMonth !== undefined && lastMonth < a.periodTo ? lastMonth : lastMonth !== undefined ? a.periodTo : undefined;
    const plan = planRecalculation(a, toStoredMonths(computed.months), last);
    if (plan.differences.length === 0 && !plan.terminated) {
      if (JSON.stringify(facts) !== JSON.stringify(a.facts)) await this.assignments.update(tx, { ...a, facts });
      return 'unchanged';
    }
    const next: AssignmentRecord = { ...a, version: a.version + 1, facts, months: plan.months, periodTo: plan.periodTo, status: plan.terminated ? 'terminated' : a.status, explanation: { ...a.explanation, children: [...(a.explanation.children ?? []), computed.explanation] } };
    await this.assignments.update(tx, next);
    await this.publish(tx, plan.terminated ? AssignmentTerminatedV1 : AssignmentChangedV1, next, { reason, effectiveFrom: plan.effectiveFrom!, differences: plan.differences, actor });
    return plan.terminated ? 'terminated' : 'changed';
  }

  /** A status of a person ended (StatusEndedV1): the status in every open assignment's facts ends, amounts are recomputed. */
  async onStatusEnded(tx: EntityManager, s: { statusId: string; personId: string; type: string; validFrom: string; validTo: string | null }, actor: string): Promise<void> {
    if (!s.validTo) return;
    for (const a of await this.assignments.findOpenByPerson(tx, s.personId, undefined, true)) {
      const facts: ApplicationFacts = structuredClone(a.facts);
      const member = facts.members.find((m) => m.personId === s.personId);
      if (!member) continue;
      const status = member.statuses.find((x) => x.statusId === s.statusId) ?? member.statuses.find((x) => x.type === s.type && (x.validTo === null || x.validTo > s.validTo!));
      if (!status) continue;
      status.validTo = s.validTo;
      await this.recalculateInTx(tx, a, facts, { code: 'STATUS_ENDED', text: `status ${s.type} of a member ended on ${s.validTo}` }, actor);
    }
  }

  /** A status was granted or corrected (StatusGrantedV1): it enters every open assignment's facts; amounts are recomputed (arrears when they rise). */
  async onStatusGranted(tx: EntityManager, s: { statusId: string; personId: string; type: string; validFrom: string; validTo: string | null; details: Record<string, unknown> }, actor: string): Promise<void> {
    for (const a of await this.assignments.findOpenByPerson(tx, s.personId, undefined, true)) {
      const facts: ApplicationFacts = structuredClone(a.facts);
      const member = facts.members.find((m) => m.personId === s.personId);
      if (!member) continue;
      const fact = { statusId: s.statusId, type: s.type, validFrom: s.validFrom, validTo: s.validTo, details: s.details };
      const i = member.statuses.findIndex((x) => x.statusId === s.statusId || (!x.statusId && x.type === s.type));
      if (i >= 0) member.statuses[i] = fact;
      else member.statuses.push(fact);
      await this.recalculateInTx(tx, a, facts, { code: 'STATUS_GRANTED', text: `status ${s.type} of a member from ${s.validFrom}` }, actor);
    }
  }

  /** A person died: a member's share stops from the next month; the recipient's death terminates the assignment from the next month. */
  async onDeath(tx: EntityManager, personId: string, deathDate: string, assignmentIds: string[] | null, source: string, actor: string): Promise<void> {
    const open = await this.assignments.findOpenByPerson(tx, personId, undefined, true);
    for (const a of open.filter((x) => !assignmentIds || assignmentIds.length === 0 || assignmentIds.includes(x.id))) {
      const facts: ApplicationFacts = structuredClone(a.facts);
      const member = facts.members.find((m) => m.personId === personId);
      if (member) member.deathDate = deathDate;
      const recipient = a.recipientPersonId === personId;
      const reason = recipient ? { code: 'RECIPIENT_DIED', text: `the recipient died on ${deathDate} (${source})` } : { code: 'MEMBER_DIED', text: `a member died on ${deathDate} (${source})` };
      await this.recalculateInTx(tx, a, facts, reason, actor, recipient ? monthOf(deathDate) : undefined);
    }
  }

  private async loadForChange(tx: EntityManager, principal: Principal, id: string): Promise<AssignmentRecord> {
    const a = await this.assignments.findById(id, tx, true);
    if (!a) throw DomainError.notFound(AssignmentErrorCode.ASSIGNMENT_NOT_FOUND, `assignment ${id} not found`);
    assertTerritory(principal, a.katottg);
    return a;
  }

  private checkMonth(a: AssignmentRecord, month: string, field: string): void {
    if (month < a.periodFrom || month > a.periodTo) throw DomainError.validation(AssignmentErrorCode.MONTH_OUTSIDE_PERIOD, `${month} is outside ${a.periodFrom}..${a.periodTo}`, field);
  }

  async suspend(principal: Principal, id: string, fromMonth: string, reason: Reason): Promise<AssignmentRecord> {
    return this.assignments.transaction(async (tx) => {
      const a = await this.loadForChange(tx, principal, id);
      if (a.status !== 'active') throw DomainError.conflict(AssignmentErrorCode.ASSIGNMENT_NOT_ACTIVE, `assignment is ${a.status}`);
      this.checkMonth(a, fromMonth, 'fromMonth');
      const next: AssignmentRecord = { ...a, version: a.version + 1, status: 'suspended' };
      await this.assignments.update(tx, next);
      await this.publish(tx, AssignmentSuspendedV1, next, { reason, effectiveFrom: fromMonth, differences: [], actor: principal.id });
      return next;
    });
  }

  async resume(principal: Principal, id: string, fromMonth: string, reason: Reason): Promise<AssignmentRecord> {
    return this.assignments.transaction(async (tx) => {
      const a = await this.loadForChange(tx, principal, id);
      if (a.status !== 'suspended') throw DomainError.conflict(AssignmentErrorCode.ASSIGNMENT_NOT_SUSPENDED, `assignment is ${a.status}`);
      this.checkMonth(a, fromMonth, 'fromMonth');
      const next: AssignmentRecord = { ...a, version: a.version + 1, status: 'active' };
      await this.assignments.update(tx, next);
      await this.publish(tx, AssignmentResumedV1, next, { reason, effectiveFrom: fromMonth, differences: [], actor: principal.id });
      return next;
    });
  }

  async terminate(principal: Principal, id: string, fromMonth: string, reason: Reason): Promise<AssignmentRecord> {
    return this.assignments.transaction(async (tx) => {
      const a = await this.loadForChange(tx, principal, id);
      if (a.status === 'terminated') throw DomainError.conflict(AssignmentErrorCode.ASSIGNMENT_TERMINATED, 'assignment is already terminated');
      this.checkMonth(a, fromMonth, 'fromMonth');
      const plan = planRecalculation(a, a.months, addMonthsToMonth(fromMonth, -1));
      const next: AssignmentRecord = { ...a, version: a.version + 1, status: 'terminated', months: plan.months, periodTo: plan.periodTo };
      await this.assignments.update(tx, next);
      await this.publish(tx, AssignmentTerminatedV1, next, { reason, effectiveFrom: fromMonth, differences: plan.differences, actor: principal.id });
      return next;
    });
  }

  /** Recalculation on request (e.g. after a parameter change): current parameters, same rule-set version and facts. */
  async recalculate(principal: Principal, id: string, reason: Reason): Promise<{ result: RecalculationResult; assignment: AssignmentRecord }> {
    return this.assignments.transaction(async (tx) => {
      const a = await this.loadForChange(tx, principal, id);
      if (a.status === 'terminated') throw DomainError.conflict(AssignmentErrorCode.ASSIGNMENT_TERMINATED, 'assignment is terminated');
      const result = await this.recalculateInTx(tx, a, a.facts, reason, principal.id);
      return { result, assignment: (await this.assignments.findById(id, tx))! };
    });
  }

  /** A further term (e.g. the IDP six-month extension for vulnerable families): new months after periodTo, AssignmentChangedV1 with them as arrears. */
  async extend(principal: Principal, id: string): Promise<AssignmentRecord> {
    return this.assignments.transaction(async (tx) => {
      const a = await this.loadForChange(tx, principal, id);
      if (a.status !== 'active') throw DomainError.conflict(AssignmentErrorCode.ASSIGNMENT_NOT_ACTIVE, `assignment is ${a.status}`);
      const ruleSet = ruleSetByVersion(a.programmeCode, a.ruleSetVersion);
      if (!ruleSet?.extend) throw DomainError.unprocessable(AssignmentErrorCode.EXTENSION_NOT_AVAILABLE, `${a.programmeCode} has no extension`);
      const ext = ruleSet.extend(a.facts, a.periodTo, this.params);
      if (!ext.eligible) throw DomainError.unprocessable(AssignmentErrorCode.EXTENSION_NOT_ELIGIBLE, 'the family is not in a category eligible for extension', undefined, { explanation: ext.explanation });
      const computed = ruleSet.recalculate(a.facts, { from: a.periodFrom, to: ext.newPeriodTo }, this.params);
      const plan = planRecalculation(a, toStoredMonths(computed.months));
      const next: AssignmentRecord = { ...a, version: a.version + 1, months: plan.months, periodTo: plan.periodTo, status: plan.terminated && plan.months.length === 0 ? 'terminated' : 'active', explanation: { ...a.explanation, children: [...(a.explanation.children ?? []), ext.explanation] } };
      await this.assignments.update(tx, next);
      await this.publish(tx, AssignmentChangedV1, next, { reason: { code: 'EXTENDED', text: `extended to ${next.periodTo}` }, effectiveFrom: addMonthsToMonth(a.periodTo, 1), differences: plan.differences, actor: principal.id });
      return next;
    });
  }

  /** After a parameter change: every open assignment of a programme is recalculated, each in its own transaction. */
  async recalculateProgramme(principal: Principal, programmeCode: string, reason: Reason): Promise<{ programmeCode: string; checked: number; changed: number; terminated: number; unchanged: number }> {
    const out = { programmeCode, checked: 0, changed: 0, terminated: 0, unchanged: 0 };
    for (const id of await this.assignments.openIdsOfProgramme(programmeCode)) {
      const result = await this.assignments.transaction(async (tx) => {
        const a = await this.assignments.findById(id, tx, true);
        if (!a || !canAccessTerritory(principal, a.katottg)) return null;
        return this.recalculateInTx(tx, a, a.facts, reason, principal.id);
      });
      if (result === null) continue;
      out.checked++;
      out[result]++;
    }
    return out;
  }

  private canSee(principal: Principal, a: AssignmentRecord): void {
    if (hasRole(principal, 'citizen') && !hasRole(principal, 'officer', 'supervisor')) {
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
    await this.audit.recordRead(this.assignments.db(), principal, 'person', [a.recipientPersonId, ...a.memberPersonIds.filter((p) => p !== a.recipientPersonId)], 'assignment card');
    return { assignment: a, versions: await this.assignments.versions(id) };
  }

  async list(principal: Principal, filter: { personId?: string; programmeCode?: string; status?: string; limit: number; offset: number }) {
    const citizenOnly = hasRole(principal, 'citizen') && !hasRole(principal, 'officer', 'supervisor');
    const personId = citizenOnly ? principal.personId : filter.personId;
    if (citizenOnly && !personId) return { items: [], total: 0 };
    const page = await this.assignments.list({ ...filter, personId, territory: citizenOnly ? 'UA' : principal.territory });
    await this.audit.recordRead(this.assignments.db(), principal, 'person', [...new Set(page.items.map((a) => a.recipientPersonId))], 'assignment list');
    return page;
  }

  today(): string {
    return kyivDate(this.clock());
  }
}
