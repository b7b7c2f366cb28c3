import {
  CaseAssessedV1,
  CaseClosedV1,
  CaseDeadlineMissedV1,
  CaseOpenedV1,
  CasePlanApprovedV1,
  CaseServiceProvidedV1,
  type PayloadOf,
} from '@eisss/contracts';
import { Role } from '@eisss/contracts';
import { AuditLog, Clock, DomainError, OutboxWriter, WorkingCalendar, assertTerritory, hasRole, type Principal } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { CaseErrorCode } from './case.errors';
import { renderActForm } from './case.forms';
import { CaseRepository, type CaseCategory, type CaseRecord, type OverdueRow, type ProvisionRecord } from './case.repository';
import { transitionFor, type CaseAction, type CaseStatus } from './case.state-machine';
import { computeDeadlines, planReviewDue } from './deadline-rules';
import { classifiedService } from './service-classifier';

export type CaseChannel = PayloadOf<typeof CaseOpenedV1>['channel'];
export type CaseOutcome = PayloadOf<typeof CaseClosedV1>['outcome'];

export interface OpenCaseCommand {
  personId: string;
  katottg: string;
  category?: CaseCategory;
  channel: CaseChannel;
  reporter?: string;
  crisis?: boolean;
  requestDate: string;
  requestedServices?: string[];
  workerId?: string;
  clientRequestId?: string;
}

export interface PlanServiceInput {
  code: string;
  providerId: string;
  frequency: string;
  periodFrom: string;
  periodTo: string;
}

/** Staff who may appeal on a person's behalf (within their territory); a citizen appeals only their own case. */
export const APPEAL_STAFF_ROLES = [Role.CaseWorker, Role.CaseManager, Role.Officer, Role.Supervisor] as const;

export function assertMayAppeal(principal: Principal, c: Pick<CaseRecord, 'personId' | 'katottg'>): void {
  const ownCase = hasRole(principal, Role.Citizen) && principal.personId !== undefined && principal.personId === c.personId;
  if (ownCase) return;
  if (!hasRole(principal, ...APPEAL_STAFF_ROLES)) {
    throw DomainError.forbidden(CaseErrorCode.CASE_APPEAL_FORBIDDEN, 'only the person of the case or staff of its territory may appeal');
  }
  assertTerritory(principal, c.katottg);
}

/** The social-services case: intake, assessment, decision, plan, contract, provision, monitoring, closure. */
@Injectable()
export class CaseService {
  constructor(
    private readonly cases: CaseRepository,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditLog,
    private readonly calendar: WorkingCalendar,
    private readonly clock: Clock,
  ) {}

  private today(): string {
    return this.clock.today();
  }

  private assertServiceCodes(codes: string[], field: string): void {
    const unknown = codes.filter((c) => !classifiedService(c));
    if (unknown.length > 0)
      throw DomainError.validation(
        CaseErrorCode.CASE_UNKNOWN_SERVICE_CODE,
        `not in the Classifier of social services: ${unknown.join(', ')}`,
        field,
        { unknown },
      );
  }

  /** Loads a case for change, locked, territory-checked. */
  private async load(tx: EntityManager, principal: Principal, id: string): Promise<CaseRecord> {
    const c = await this.cases.findById(tx, id, true);
    if (!c) throw DomainError.notFound(CaseErrorCode.CASE_NOT_FOUND, `case ${id} not found`);
    assertTerritory(principal, c.katottg);
    return c;
  }

  private async move(
    tx: EntityManager,
    principal: Principal,
    c: CaseRecord,
    action: CaseAction,
    set: Record<string, unknown>,
    reason?: string | null,
    data?: Record<string, unknown>,
  ): Promise<CaseRecord> {
    const to = transitionFor(c.status, action);
    const updated = await this.cases.update(tx, c.id, { status: to, ...set });
    await this.cases.journal(tx, { caseId: c.id, action, from: c.status, to, actorId: principal.id, reason, data });
    return updated;
  }

  // ---------- intake ----------

  /** Opens a case on a request, report or identification; idempotent by clientRequestId. */
  async open(principal: Principal, cmd: OpenCaseCommand): Promise<{ case: CaseRecord; created: boolean }> {
    assertTerritory(principal, cmd.katottg);
    this.assertServiceCodes(cmd.requestedServices ?? [], 'requestedServices');
    return this.cases.transaction(async (tx) => {
      if (cmd.clientRequestId) {
        const existing = await this.cases.findByClientRequestId(tx, cmd.clientRequestId);
        if (existing) return { case: this.sameRequest(existing, cmd), created: false };
      }
      const c = await this.insert(tx, principal.id, cmd, null);
      if (!c) {
        const existing = await this.cases.findByClientRequestId(tx, cmd.clientRequestId!);
        return { case: this.sameRequest(existing!, cmd), created: false };
      }
      return { case: c, created: true };
    });
  }

  private sameRequest(existing: CaseRecord, cmd: OpenCaseCommand): CaseRecord {
    if (existing.personId !== cmd.personId) {
      throw DomainError.conflict(
        CaseErrorCode.CASE_CLIENT_ID_CONFLICT,
        'this clientRequestId was used for another request',
        'clientRequestId',
        { caseId: existing.id },
      );
    }
    return existing;
  }

  /** Opens a case from a register status (difficult life circumstances, a child deprived of parental care); once per status. */
  async openFromRegisterStatus(
    tx: EntityManager,
    s: { statusId: string; personId: string; katottg: string | null; type: string; validFrom: string; crisis: boolean },
  ): Promise<CaseRecord | null> {
    if (!s.katottg)
      throw DomainError.unprocessable(
        CaseErrorCode.CASE_TERRITORY_REQUIRED,
        'a status without КАТОТТГ cannot be routed to a registrar body',
        'katottg',
      );
    return this.insert(
      tx,
      'system:social-register',
      {
        personId: s.personId,
        katottg: s.katottg,
        category: s.type === 'child_deprived_of_parental_care' ? 'child_deprived_of_parental_care' : 'adult',
        channel: 'register',
        reporter: `social-register status ${s.statusId}`,
        crisis: s.crisis,
        requestDate: s.validFrom,
      },
      s.statusId,
    );
  }

  private async insert(
    tx: EntityManager,
    actorId: string,
    cmd: OpenCaseCommand,
    sourceStatusId: string | null,
  ): Promise<CaseRecord | null> {
    const deadlines = computeDeadlines(
      { requestDate: cmd.requestDate, crisis: cmd.crisis ?? false, requestedServices: cmd.requestedServices },
      this.calendar,
    );
    const c = await this.cases.insertCase(tx, {
      id: randomUUID(),
      personId: cmd.personId,
      katottg: cmd.katottg,
      category: cmd.category ?? 'adult',
      channel: cmd.channel,
      reporter: cmd.reporter ?? null,
      crisis: cmd.crisis ?? false,
      requestDate: cmd.requestDate,
      requestedServices: cmd.requestedServices ?? [],
      status: 'open',
      ruleSetVersion: deadlines.ruleSetVersion,
      assessmentDue: deadlines.assessmentDue,
      decisionDue: deadlines.decisionDue,
      workerId: cmd.workerId ?? null,
      clientRequestId: cmd.clientRequestId ?? null,
      sourceStatusId,
      createdBy: actorId,
    });
    if (!c) return null;
    await this.cases.journal(tx, {
      caseId: c.id,
      action: 'open',
      to: 'open',
      actorId,
      data: { channel: c.channel, explanation: deadlines.explanation },
    });
    await this.outbox.append(
      tx,
      CaseOpenedV1,
      {
        caseId: c.id,
        personId: c.personId,
        katottg: c.katottg,
        category: c.category,
        channel: cmd.channel,
        crisis: c.crisis,
        requestDate: c.requestDate,
        ruleSetVersion: c.ruleSetVersion,
        assessmentDue: c.assessmentDue,
        decisionDue: c.decisionDue,
      },
      { aggregateId: c.id },
    );
    return c;
  }

  // ---------- reads (territory + audit) ----------

  async list(
    principal: Principal,
    f: { status?: string; workerId?: string; personId?: string; katottg?: string; category?: string; limit: number; offset: number },
  ) {
    return this.cases.transaction(async (tx) => {
      const page = await this.cases.list(tx, { ...f, territory: principal.territory });
      await this.audit.recordRead(tx, principal, 'person', [...new Set(page.items.map((c) => c.personId))], 'case list');
      return page;
    });
  }

  async file(principal: Principal, id: string) {
    return this.cases.transaction(async (tx) => {
      const c = await this.cases.findById(tx, id);
      if (!c) throw DomainError.notFound(CaseErrorCode.CASE_NOT_FOUND, `case ${id} not found`);
      assertTerritory(principal, c.katottg);
      await this.audit.recordRead(tx, principal, 'person', [c.personId], `case ${c.id}`);
      const [acts, contracts, notes, attachments, team, monitoring, appeals, journal, children] = await Promise.all([
        this.cases.actsOf(tx, id),
        this.cases.contractsOf(tx, id),
        this.cases.notesOf(tx, id),
        this.cases.attachmentsOf(tx, id),
        this.cases.teamOf(tx, id),
        this.cases.monitoringOf(tx, id),
        this.cases.appealsOf(tx, id),
        this.cases.journalOf(tx, id),
        c.category === 'child_deprived_of_parental_care' ? this.cases.childrenOf(tx, id) : Promise.resolve(null),
      ]);
      return { ...c, acts, contracts, notes, attachments, team, monitoring, appeals, journal, children };
    });
  }

  /** The printable form of an act (latest version or the one asked for), rendered from the case data; audited. */
  async actForm(principal: Principal, id: string, kind: 'assessment' | 'plan', version?: number): Promise<string> {
    return this.cases.transaction(async (tx) => {
      const c = await this.cases.findById(tx, id);
      if (!c) throw DomainError.notFound(CaseErrorCode.CASE_NOT_FOUND, `case ${id} not found`);
      assertTerritory(principal, c.katottg);
      const acts = (await this.cases.actsOf(tx, id)).filter((a) => a.kind === kind) as unknown as Parameters<typeof renderActForm>[1][];
      const act = version === undefined ? acts[acts.length - 1] : acts.find((a) => a.actVersion === version);
      if (!act)
        throw DomainError.notFound(CaseErrorCode.CASE_ACT_NOT_FOUND, `no ${kind} act${version ? ` version ${version}` : ''} in case ${id}`);
      await this.audit.recordRead(tx, principal, 'person', [c.personId], `case ${c.id} ${kind} form`);
      return renderActForm(c, act);
    });
  }

  async provisions(principal: Principal, id: string, limit: number, offset: number) {
    return this.cases.transaction(async (tx) => {
      const c = await this.cases.findById(tx, id);
      if (!c) throw DomainError.notFound(CaseErrorCode.CASE_NOT_FOUND, `case ${id} not found`);
      assertTerritory(principal, c.katottg);
      await this.audit.recordRead(tx, principal, 'person', [c.personId], `case ${c.id} provisions`);
      return this.cases.provisionsOf(tx, id, limit, offset);
    });
  }

  // ---------- stages ----------

  /** Signs the needs assessment act; a second call is a correction: a new version with a reason. */
  async assess(
    principal: Principal,
    id: string,
    cmd: { assessedOn: string; findings: string; needsIdentified: string[]; crisis?: boolean; correctionReason?: string },
  ): Promise<CaseRecord> {
    this.assertServiceCodes(cmd.needsIdentified, 'needsIdentified');
    return this.cases.transaction(async (tx) => {
      const c = await this.load(tx, principal, id);
      if (cmd.assessedOn < c.requestDate)
        throw DomainError.validation(CaseErrorCode.CASE_DATE_BEFORE_REQUEST, 'the assessment cannot precede the request', 'assessedOn');
      const previous = await this.cases.latestAct(tx, id, 'assessment');
      let updated = c;
      if (previous && c.status !== 'refused') {
        if (!cmd.correctionReason?.trim())
          throw DomainError.validation(
            CaseErrorCode.CASE_CORRECTION_REASON_REQUIRED,
            'a signed assessment is corrected only by a new version with a reason',
            'correctionReason',
          );
        if (c.status === 'closed') transitionFor(c.status, 'assess');
        await this.cases.journal(tx, {
          caseId: id,
          action: 'correct-assessment',
          actorId: principal.id,
          reason: cmd.correctionReason,
          data: { previousVersion: previous.actVersion },
        });
      } else {
        updated = await this.move(tx, principal, c, 'assess', cmd.crisis !== undefined ? { crisis: cmd.crisis } : {});
      }
      const actVersion = (previous?.actVersion ?? 0) + 1;
      await this.cases.insertAct(tx, {
        id: randomUUID(),
        caseId: id,
        kind: 'assessment',
        actVersion,
        actDate: cmd.assessedOn,
        data: { findings: cmd.findings, needsIdentified: cmd.needsIdentified, crisis: cmd.crisis ?? c.crisis },
        correctionReason: previous ? (cmd.correctionReason ?? null) : null,
        signedBy: principal.id,
      });
      await this.outbox.append(
        tx,
        CaseAssessedV1,
        {
          caseId: id,
          personId: c.personId,
          katottg: c.katottg,
          actVersion,
          assessedOn: cmd.assessedOn,
          needsIdentified: cmd.needsIdentified,
          correctionReason: previous ? (cmd.correctionReason ?? null) : null,
        },
        { aggregateId: id },
      );
      return updated;
    });
  }

  async decide(
    principal: Principal,
    id: string,
    cmd: { decision: 'grant' | 'refuse'; decidedOn: string; reasons: string; automated?: boolean },
  ): Promise<CaseRecord> {
    return this.cases.transaction(async (tx) => {
      const c = await this.load(tx, principal, id);
      if (cmd.decidedOn < c.requestDate)
        throw DomainError.validation(CaseErrorCode.CASE_DATE_BEFORE_REQUEST, 'the decision cannot precede the request', 'decidedOn');
      const decision = {
        decision: cmd.decision,
        decidedOn: cmd.decidedOn,
        reasons: cmd.reasons,
        automated: cmd.automated ?? false,
        decidedBy: principal.id,
        onTime: cmd.decidedOn <= c.decisionDue,
      };
      return this.move(
        tx,
        principal,
        c,
        cmd.decision === 'grant' ? 'grant' : 'refuse',
        { decision: JSON.stringify(decision) },
        cmd.reasons,
        decision,
      );
    });
  }

  /** Approves the individual plan; a later call is a correction: a new version with a reason. */
  async approvePlan(
    principal: Principal,
    id: string,
    cmd: { approvedOn: string; goals: string; services: PlanServiceInput[]; correctionReason?: string },
  ): Promise<CaseRecord> {
    this.assertServiceCodes(
      cmd.services.map((s) => s.code),
      'services',
    );
    cmd.services.forEach((s, i) => {
      if (s.periodTo < s.periodFrom)
        throw DomainError.validation(CaseErrorCode.CASE_PERIOD_INVALID, 'periodTo is before periodFrom', `services.${i}.periodTo`);
    });
    return this.cases.transaction(async (tx) => {
      const c = await this.load(tx, principal, id);
      if (cmd.approvedOn < c.requestDate)
        throw DomainError.validation(CaseErrorCode.CASE_DATE_BEFORE_REQUEST, 'the plan cannot precede the request', 'approvedOn');
      const previous = await this.cases.latestAct(tx, id, 'plan');
      const reviewDue = planReviewDue(cmd.approvedOn, c.requestDate);
      let updated: CaseRecord;
      if (previous) {
        if (c.status !== 'plan_approved' && c.status !== 'in_service') transitionFor(c.status, 'approvePlan');
        if (!cmd.correctionReason?.trim())
          throw DomainError.validation(
            CaseErrorCode.CASE_CORRECTION_REASON_REQUIRED,
            'an approved plan is corrected only by a new version with a reason',
            'correctionReason',
          );
        updated = await this.cases.update(tx, id, { review_due: reviewDue });
        await this.cases.journal(tx, {
          caseId: id,
          action: 'correct-plan',
          actorId: principal.id,
          reason: cmd.correctionReason,
          data: { previousVersion: previous.actVersion },
        });
      } else {
        updated = await this.move(tx, principal, c, 'approvePlan', { review_due: reviewDue });
      }
      const services = cmd.services.map((s) => ({ ...s, name: classifiedService(s.code)!.name }));
      const actVersion = (previous?.actVersion ?? 0) + 1;
      const correctionReason = previous ? (cmd.correctionReason ?? null) : null;
      await this.cases.insertAct(tx, {
        id: randomUUID(),
        caseId: id,
        kind: 'plan',
        actVersion,
        actDate: cmd.approvedOn,
        data: { goals: cmd.goals, services },
        correctionReason,
        signedBy: principal.id,
      });
      await this.outbox.append(
        tx,
        CasePlanApprovedV1,
        {
          caseId: id,
          personId: c.personId,
          katottg: c.katottg,
          actVersion,
          approvedOn: cmd.approvedOn,
          reviewDue,
          services,
          correctionReason,
        },
        { aggregateId: id },
      );
      return updated;
    });
  }

  async signContract(
    principal: Principal,
    id: string,
    cmd: { providerId: string; providerName: string; contractNumber: string; signedOn: string; validTo?: string },
  ): Promise<CaseRecord> {
    return this.cases.transaction(async (tx) => {
      const c = await this.load(tx, principal, id);
      if (cmd.validTo && cmd.validTo < cmd.signedOn)
        throw DomainError.validation(CaseErrorCode.CASE_PERIOD_INVALID, 'validTo is before signedOn', 'validTo');
      const plan = await this.cases.latestAct(tx, id, 'plan');
      const planned = (plan?.data?.services ?? []) as PlanServiceInput[];
      if (plan && !planned.some((s) => s.providerId === cmd.providerId)) {
        throw DomainError.unprocessable(
          CaseErrorCode.CASE_SERVICE_NOT_IN_PLAN,
          `provider ${cmd.providerId} has no service in the plan`,
          'providerId',
        );
      }
      const updated =
        c.status === 'in_service' ? c : await this.move(tx, principal, c, 'signContract', {}, null, { contractNumber: cmd.contractNumber });
      await this.cases.insertContract(tx, {
        id: randomUUID(),
        caseId: id,
        providerId: cmd.providerId,
        providerName: cmd.providerName,
        contractNumber: cmd.contractNumber,
        signedOn: cmd.signedOn,
        validTo: cmd.validTo ?? null,
        createdBy: principal.id,
      });
      return updated;
    });
  }

  /** Records a visit with its real date (possibly days later, after work offline); idempotent by clientId. */
  async recordProvision(
    principal: Principal,
    id: string,
    cmd: { clientId: string; serviceCode: string; providedOn: string; durationMinutes?: number; notes?: string },
  ): Promise<{ provision: ProvisionRecord; created: boolean }> {
    this.assertServiceCodes([cmd.serviceCode], 'serviceCode');
    return this.cases.transaction(async (tx) => {
      const c = await this.load(tx, principal, id);
      const existing = await this.cases.findProvision(tx, id, cmd.clientId);
      if (existing) {
        if (existing.serviceCode !== cmd.serviceCode || existing.providedOn !== cmd.providedOn) {
          throw DomainError.conflict(CaseErrorCode.CASE_CLIENT_ID_CONFLICT, 'this clientId was used for another visit', 'clientId', {
            provisionId: existing.id,
          });
        }
        return { provision: existing, created: false };
      }
      if (c.status !== 'in_service')
        throw DomainError.conflict(
          CaseErrorCode.CASE_NO_CONTRACT,
          `services are provided under a signed contract (case is ${c.status})`,
          undefined,
          { status: c.status },
        );
      const plan = await this.cases.latestAct(tx, id, 'plan');
      const planned = ((plan?.data?.services ?? []) as (PlanServiceInput & { name: string })[]).find((s) => s.code === cmd.serviceCode);
      if (!planned)
        throw DomainError.unprocessable(
          CaseErrorCode.CASE_SERVICE_NOT_IN_PLAN,
          `service ${cmd.serviceCode} is not in the individual plan`,
          'serviceCode',
        );
      if (cmd.providedOn < c.requestDate)
        throw DomainError.validation(CaseErrorCode.CASE_DATE_BEFORE_REQUEST, 'a visit cannot precede the request', 'providedOn');
      const p = await this.cases.insertProvision(tx, {
        id: randomUUID(),
        caseId: id,
        clientId: cmd.clientId,
        serviceCode: cmd.serviceCode,
        providerId: planned.providerId,
        providedOn: cmd.providedOn,
        durationMinutes: cmd.durationMinutes ?? null,
        workerId: principal.id,
        notes: cmd.notes ?? null,
        recordedBy: principal.id,
      });
      if (!p) return { provision: (await this.cases.findProvision(tx, id, cmd.clientId))!, created: false };
      await this.outbox.append(
        tx,
        CaseServiceProvidedV1,
        {
          caseId: id,
          personId: c.personId,
          katottg: c.katottg,
          provisionId: p.id,
          serviceCode: p.serviceCode,
          serviceName: planned.name,
          providerId: p.providerId,
          providedOn: p.providedOn,
          durationMinutes: p.durationMinutes,
          recordedAt: p.recordedAt,
        },
        { aggregateId: id },
      );
      return { provision: p, created: true };
    });
  }

  async monitor(
    principal: Principal,
    id: string,
    cmd: { kind: 'monitoring' | 'review'; heldOn: string; findings: string; nextReviewDue?: string },
  ): Promise<CaseRecord> {
    return this.cases.transaction(async (tx) => {
      const c = await this.load(tx, principal, id);
      if (c.status !== 'plan_approved' && c.status !== 'in_service') {
        throw DomainError.conflict(
          CaseErrorCode.CASE_ILLEGAL_TRANSITION,
          `monitoring and review need an approved plan (case is ${c.status})`,
          undefined,
          { from: c.status, to: c.status, action: cmd.kind },
        );
      }
      const next = cmd.kind === 'review' ? (cmd.nextReviewDue ?? planReviewDue(cmd.heldOn, c.requestDate)) : (cmd.nextReviewDue ?? null);
      await this.cases.insertMonitoring(tx, {
        id: randomUUID(),
        caseId: id,
        kind: cmd.kind,
        heldOn: cmd.heldOn,
        findings: cmd.findings,
        nextReviewDue: next,
        actorId: principal.id,
      });
      await this.cases.journal(tx, {
        caseId: id,
        action: cmd.kind,
        actorId: principal.id,
        data: { heldOn: cmd.heldOn, nextReviewDue: next },
      });
      return next ? this.cases.update(tx, id, { review_due: next }) : c;
    });
  }

  async close(
    principal: Principal,
    id: string,
    cmd: { closedOn: string; outcome: CaseOutcome; finalEvaluation: string },
  ): Promise<CaseRecord> {
    return this.cases.transaction(async (tx) => {
      const c = await this.load(tx, principal, id);
      if (cmd.closedOn < c.requestDate)
        throw DomainError.validation(CaseErrorCode.CASE_DATE_BEFORE_REQUEST, 'a case cannot close before its request', 'closedOn');
      const updated = await this.move(
        tx,
        principal,
        c,
        'close',
        { closed_on: cmd.closedOn, outcome: cmd.outcome, final_evaluation: cmd.finalEvaluation },
        cmd.finalEvaluation,
        { outcome: cmd.outcome },
      );
      await this.outbox.append(
        tx,
        CaseClosedV1,
        {
          caseId: id,
          personId: c.personId,
          katottg: c.katottg,
          closedOn: cmd.closedOn,
          outcome: cmd.outcome,
          finalEvaluation: cmd.finalEvaluation,
        },
        { aggregateId: id },
      );
      return updated;
    });
  }

  // ---------- routing and people ----------

  async assign(principal: Principal, id: string, cmd: { workerId: string; reason?: string }): Promise<CaseRecord> {
    return this.cases.transaction(async (tx) => {
      const c = await this.load(tx, principal, id);
      if (c.status === 'closed') transitionFor(c.status, 'close');
      const updated = await this.cases.update(tx, id, { worker_id: cmd.workerId });
      await this.cases.journal(tx, {
        caseId: id,
        action: c.workerId ? 'reassign' : 'assign',
        actorId: principal.id,
        reason: cmd.reason,
        data: { from: c.workerId, to: cmd.workerId },
      });
      return updated;
    });
  }

  /** Returns the case from the wrong registrar body; it keeps everything and waits to be re-routed. */
  async returnCase(principal: Principal, id: string, cmd: { reason: string }): Promise<CaseRecord> {
    return this.cases.transaction(async (tx) => {
      const c = await this.load(tx, principal, id);
      return this.move(tx, principal, c, 'return', { returned_from: c.status }, cmd.reason);
    });
  }

  /** Re-routes a returned case to another body (КАТОТТГ): it comes back in the stage it left, with all its history. */
  async reroute(principal: Principal, id: string, cmd: { katottg: string; reason: string }): Promise<CaseRecord> {
    return this.cases.transaction(async (tx) => {
      const c = await this.load(tx, principal, id);
      if (c.status !== 'returned')
        throw DomainError.conflict(
          CaseErrorCode.CASE_ILLEGAL_TRANSITION,
          `only a returned case is re-routed (case is ${c.status})`,
          undefined,
          { from: c.status, to: 'open', action: 'reroute' },
        );
      if (cmd.katottg === c.katottg)
        throw DomainError.validation(CaseErrorCode.CASE_REROUTE_SAME_BODY, 'the case is already with this body', 'katottg');
      const to: CaseStatus = c.returnedFrom ?? 'open';
      const updated = await this.cases.update(tx, id, { status: to, returned_from: null, katottg: cmd.katottg, worker_id: null });
      await this.cases.journal(tx, {
        caseId: id,
        action: 'reroute',
        from: 'returned',
        to,
        actorId: principal.id,
        reason: cmd.reason,
        data: { fromKatottg: c.katottg, toKatottg: cmd.katottg, previousWorker: c.workerId },
      });
      return updated;
    });
  }

  async addNote(principal: Principal, id: string, cmd: { text: string; notedOn?: string }): Promise<{ id: string }> {
    return this.cases.transaction(async (tx) => {
      await this.load(tx, principal, id);
      const noteId = randomUUID();
      await this.cases.insertNote(tx, {
        id: noteId,
        caseId: id,
        authorId: principal.id,
        text: cmd.text,
        notedOn: cmd.notedOn ?? this.today(),
      });
      return { id: noteId };
    });
  }

  async addAttachment(
    principal: Principal,
    id: string,
    cmd: { uri: string; sha256: string; fileName: string; mediaType: string },
  ): Promise<{ id: string }> {
    return this.cases.transaction(async (tx) => {
      await this.load(tx, principal, id);
      const attachmentId = await this.cases.insertAttachment(tx, {
        id: randomUUID(),
        caseId: id,
        ...cmd,
        sha256: cmd.sha256.toLowerCase(),
        addedBy: principal.id,
      });
      await this.cases.journal(tx, {
        caseId: id,
        action: 'attach',
        actorId: principal.id,
        data: { attachmentId, sha256: cmd.sha256.toLowerCase() },
      });
      return { id: attachmentId };
    });
  }

  async addTeamMember(principal: Principal, id: string, cmd: { memberId: string; role: string; organisation?: string }): Promise<void> {
    await this.cases.transaction(async (tx) => {
      await this.load(tx, principal, id);
      await this.cases.insertTeamMember(tx, {
        caseId: id,
        memberId: cmd.memberId,
        role: cmd.role,
        organisation: cmd.organisation ?? null,
        addedBy: principal.id,
      });
      await this.cases.journal(tx, {
        caseId: id,
        action: 'team-add',
        actorId: principal.id,
        data: { memberId: cmd.memberId, role: cmd.role },
      });
    });
  }

  // ---------- appeals ----------

  /**
   * An appeal is filed by the case's own person (a citizen whose personId is the case's person) or by staff
   * of the case's territory; anyone else is refused (403 CASE_APPEAL_FORBIDDEN, or TERRITORY_FORBIDDEN for
   * staff of another territory) before anything is written.
   */
  async fileAppeal(principal: Principal, id: string, cmd: { subject: string; reason: string }): Promise<{ id: string }> {
    return this.cases.transaction(async (tx) => {
      const c = await this.cases.findById(tx, id, true);
      if (!c) throw DomainError.notFound(CaseErrorCode.CASE_NOT_FOUND, `case ${id} not found`);
      assertMayAppeal(principal, c);
      const appealId = randomUUID();
      await this.cases.insertAppeal(tx, { id: appealId, caseId: id, subject: cmd.subject, reason: cmd.reason, filedBy: principal.id });
      await this.cases.journal(tx, {
        caseId: id,
        action: 'appeal',
        actorId: principal.id,
        reason: cmd.reason,
        data: { appealId, subject: cmd.subject },
      });
      return { id: appealId };
    });
  }

  /** A person reviews an appeal; an upheld appeal against a refusal sends the case back to a new decision. */
  async reviewAppeal(
    principal: Principal,
    appealId: string,
    cmd: { outcome: 'upheld' | 'dismissed'; resolution: string },
  ): Promise<CaseRecord> {
    return this.cases.transaction(async (tx) => {
      const a = await this.cases.findAppeal(tx, appealId);
      if (!a) throw DomainError.notFound(CaseErrorCode.CASE_APPEAL_NOT_FOUND, `appeal ${appealId} not found`);
      if (a.status !== 'open')
        throw DomainError.conflict(CaseErrorCode.CASE_APPEAL_ALREADY_REVIEWED, 'the appeal was already reviewed', undefined, {
          status: a.status,
        });
      const c = await this.load(tx, principal, a.caseId);
      await this.cases.resolveAppeal(tx, appealId, cmd.outcome, principal.id, cmd.resolution);
      await this.cases.journal(tx, {
        caseId: c.id,
        action: 'appeal-reviewed',
        actorId: principal.id,
        reason: cmd.resolution,
        data: { appealId, outcome: cmd.outcome },
      });
      if (cmd.outcome === 'upheld' && a.subject === 'decision' && c.status === 'refused') {
        return this.move(tx, principal, c, 'assess', { decision: null }, cmd.resolution, { appealId });
      }
      return this.cases.findById(tx, c.id) as Promise<CaseRecord>;
    });
  }

  // ---------- children deprived of parental care ----------

  private assertChildCase(c: CaseRecord): void {
    if (c.category !== 'child_deprived_of_parental_care')
      throw DomainError.unprocessable(
        CaseErrorCode.CASE_NOT_A_CHILD_CASE,
        'placements belong to the case of a child deprived of parental care',
        'caseId',
      );
  }

  async addCandidate(
    principal: Principal,
    id: string,
    cmd: { kind: string; candidateName: string; candidateRef?: string },
  ): Promise<{ id: string }> {
    return this.cases.transaction(async (tx) => {
      const c = await this.load(tx, principal, id);
      this.assertChildCase(c);
      const candidateId = randomUUID();
      await this.cases.insertCandidate(tx, {
        id: candidateId,
        caseId: id,
        kind: cmd.kind,
        candidateName: cmd.candidateName,
        candidateRef: cmd.candidateRef ?? null,
        addedBy: principal.id,
      });
      await this.cases.journal(tx, { caseId: id, action: 'candidate-add', actorId: principal.id, data: { candidateId, kind: cmd.kind } });
      return { id: candidateId };
    });
  }

  async place(
    principal: Principal,
    id: string,
    cmd: { candidateId: string; placedOn: string; decisionRef: string },
  ): Promise<{ id: string }> {
    return this.cases.transaction(async (tx) => {
      const c = await this.load(tx, principal, id);
      this.assertChildCase(c);
      const candidate = await this.cases.findCandidate(tx, id, cmd.candidateId);
      if (!candidate)
        throw DomainError.notFound(CaseErrorCode.CASE_CANDIDATE_NOT_FOUND, `candidate ${cmd.candidateId} not found in this case`);
      const active = await this.cases.activePlacement(tx, id);
      if (active)
        throw DomainError.conflict(
          CaseErrorCode.CASE_PLACEMENT_ACTIVE,
          'the child already has an active placement; end it first',
          undefined,
          { placementId: active.id },
        );
      const placementId = randomUUID();
      await this.cases.insertPlacement(tx, {
        id: placementId,
        caseId: id,
        candidateId: cmd.candidateId,
        placedOn: cmd.placedOn,
        decisionRef: cmd.decisionRef,
        createdBy: principal.id,
      });
      await this.cases.setCandidateStatus(tx, cmd.candidateId, 'placed');
      await this.cases.journal(tx, {
        caseId: id,
        action: 'placement',
        actorId: principal.id,
        data: { placementId, candidateId: cmd.candidateId, kind: candidate.kind, placedOn: cmd.placedOn },
      });
      return { id: placementId };
    });
  }

  async endPlacement(principal: Principal, id: string, cmd: { endedOn: string; reason: string }): Promise<void> {
    await this.cases.transaction(async (tx) => {
      const c = await this.load(tx, principal, id);
      this.assertChildCase(c);
      const active = await this.cases.activePlacement(tx, id);
      if (!active) throw DomainError.notFound(CaseErrorCode.CASE_PLACEMENT_NOT_FOUND, 'the child has no active placement');
      await this.cases.endPlacement(tx, active.id, cmd.endedOn, cmd.reason);
      await this.cases.journal(tx, {
        caseId: id,
        action: 'placement-end',
        actorId: principal.id,
        reason: cmd.reason,
        data: { placementId: active.id, endedOn: cmd.endedOn },
      });
    });
  }

  // ---------- deadlines and workload ----------

  async overdue(
    principal: Principal,
    f: { asOf?: string; katottg?: string; workerId?: string; stage?: string; limit: number; offset: number },
  ): Promise<{ asOf: string; items: OverdueRow[]; total: number }> {
    const asOf = f.asOf ?? this.today();
    return this.cases.transaction(async (tx) => {
      const page = await this.cases.overdue(tx, { ...f, asOf, territory: principal.territory });
      await this.audit.recordRead(tx, principal, 'person', [...new Set(page.items.map((i) => i.personId))], 'overdue stages');
      return { asOf, ...page };
    });
  }

  /** Emits `case.deadline-missed` once per case and stage for everything overdue on `asOf`. */
  async scanDeadlines(principal: Principal, asOfInput?: string): Promise<{ asOf: string; overdue: number; emitted: number }> {
    const asOf = asOfInput ?? this.today();
    let emitted = 0;
    let overdue = 0;
    for (let offset = 0; ; offset += 500) {
      const page = await this.cases.overdue(this.cases.db, { territory: principal.territory, asOf, limit: 500, offset });
      overdue += page.items.length;
      for (const row of page.items) {
        const sent = await this.cases.transaction(async (tx) => {
          if (!(await this.cases.recordNotice(tx, row.caseId, row.stage, row.dueDate, asOf))) return false;
          await this.outbox.append(
            tx,
            CaseDeadlineMissedV1,
            {
              caseId: row.caseId,
              katottg: row.katottg,
              stage: row.stage,
              dueDate: row.dueDate,
              detectedOn: asOf,
              workerId: row.workerId,
              ruleSetVersion: row.ruleSetVersion,
            },
            { aggregateId: row.caseId },
          );
          return true;
        });
        if (sent) emitted++;
      }
      if (page.items.length < 500) break;
    }
    return { asOf, overdue, emitted };
  }

  async workload(principal: Principal, asOf?: string) {
    return this.cases.workload(this.cases.db, principal.territory, asOf ?? this.today());
  }
}
