import { CaseAssessedV1, CasePlanApprovedV1 } from '@eisss/contracts';
import { AuditLog, DomainError, OutboxWriter, Transactional, type Principal } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CaseAccess } from '../cases/case-access.service';
import { CaseErrorCode } from '../cases/case.errors';
import type { CaseRecord } from '../cases/case.repository';
import { assertServiceCodes, classifiedService } from '../cases/service-classifier';
import { planReviewDue } from '../deadlines/deadline-rules';
import { AssessmentsPlansRepository, type ActKind, type ActRecord, type MonitoringRecord } from './assessments-plans.repository';
import { renderActForm } from './case.forms';

export interface PlanServiceInput {
  code: string;
  providerId: string;
  frequency: string;
  periodFrom: string;
  periodTo: string;
}

/** A service of the approved plan, with its Classifier name. */
export type PlannedService = PlanServiceInput & { name: string };

/** The needs assessment act, the individual plan (both versioned by correction) and their monitoring and review. */
@Injectable()
export class AssessmentsPlansService {
  constructor(
    private readonly acts: AssessmentsPlansRepository,
    private readonly access: CaseAccess,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditLog,
  ) {}

  /** Signs the needs assessment act; a second call is a correction: a new version with a reason. */
  @Transactional()
  async assess(
    principal: Principal,
    id: string,
    cmd: { assessedOn: string; findings: string; needsIdentified: string[]; crisis?: boolean; correctionReason?: string },
  ): Promise<CaseRecord> {
    assertServiceCodes(cmd.needsIdentified, 'needsIdentified');
    const c = await this.access.forChange(principal, id);
    if (cmd.assessedOn < c.requestDate)
      throw DomainError.validation(CaseErrorCode.CASE_DATE_BEFORE_REQUEST, 'the assessment cannot precede the request', 'assessedOn');
    const previous = await this.acts.latestAct(id, 'assessment');
    let result = c;
    if (previous && c.status !== 'refused') {
      if (!cmd.correctionReason?.trim())
        throw DomainError.validation(
          CaseErrorCode.CASE_CORRECTION_REASON_REQUIRED,
          'a signed assessment is corrected only by a new version with a reason',
          'correctionReason',
        );
      // A closed case's assessment is not corrected any more.
      if (c.status === 'closed') this.access.assertAllowed(c, 'assess');
      await this.access.journal({
        caseId: id,
        action: 'correct-assessment',
        actorId: principal.id,
        reason: cmd.correctionReason,
        data: { previousVersion: previous.actVersion },
      });
    } else {
      result = await this.access.move(principal, c, 'assess', cmd.crisis !== undefined ? { crisis: cmd.crisis } : {});
    }
    const actVersion = (previous?.actVersion ?? 0) + 1;
    const correctionReason = previous ? (cmd.correctionReason ?? null) : null;
    await this.acts.insertAct({
      id: randomUUID(),
      caseId: id,
      kind: 'assessment',
      actVersion,
      actDate: cmd.assessedOn,
      data: { findings: cmd.findings, needsIdentified: cmd.needsIdentified, crisis: cmd.crisis ?? c.crisis },
      correctionReason,
      signedBy: principal.id,
    });
    await this.outbox.append(
      CaseAssessedV1,
      {
        caseId: id,
        personId: c.personId,
        katottg: c.katottg,
        actVersion,
        assessedOn: cmd.assessedOn,
        needsIdentified: cmd.needsIdentified,
        correctionReason,
      },
      { aggregateId: id },
    );
    return result;
  }

  /** Approves the individual plan; a later call is a correction: a new version with a reason. */
  @Transactional()
  async approvePlan(
    principal: Principal,
    id: string,
    cmd: { approvedOn: string; goals: string; services: PlanServiceInput[]; correctionReason?: string },
  ): Promise<CaseRecord> {
    assertServiceCodes(
      cmd.services.map((s) => s.code),
      'services',
    );
    cmd.services.forEach((s, i) => {
      if (s.periodTo < s.periodFrom)
        throw DomainError.validation(CaseErrorCode.CASE_PERIOD_INVALID, 'periodTo is before periodFrom', `services.${i}.periodTo`);
    });
    const c = await this.access.forChange(principal, id);
    if (cmd.approvedOn < c.requestDate)
      throw DomainError.validation(CaseErrorCode.CASE_DATE_BEFORE_REQUEST, 'the plan cannot precede the request', 'approvedOn');
    const previous = await this.acts.latestAct(id, 'plan');
    const reviewDue = planReviewDue(cmd.approvedOn, c.requestDate);
    let result: CaseRecord;
    if (previous) {
      // A plan is corrected while it is in force; anywhere else it is the same 409 as approving it there.
      if (c.status !== 'plan_approved' && c.status !== 'in_service') this.access.assertAllowed(c, 'approvePlan');
      if (!cmd.correctionReason?.trim())
        throw DomainError.validation(
          CaseErrorCode.CASE_CORRECTION_REASON_REQUIRED,
          'an approved plan is corrected only by a new version with a reason',
          'correctionReason',
        );
      result = await this.access.setReviewDue(id, reviewDue);
      await this.access.journal({
        caseId: id,
        action: 'correct-plan',
        actorId: principal.id,
        reason: cmd.correctionReason,
        data: { previousVersion: previous.actVersion },
      });
    } else {
      result = await this.access.move(principal, c, 'approvePlan', { reviewDue });
    }
    const services: PlannedService[] = cmd.services.map((s) => ({ ...s, name: classifiedService(s.code)!.name }));
    const actVersion = (previous?.actVersion ?? 0) + 1;
    const correctionReason = previous ? (cmd.correctionReason ?? null) : null;
    await this.acts.insertAct({
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
    return result;
  }

  /** The services of the latest plan version, or null when no plan was approved. */
  async currentPlan(caseId: string): Promise<{ services: PlannedService[] } | null> {
    const plan = await this.acts.latestAct(caseId, 'plan');
    return plan ? { services: (plan.data?.services ?? []) as PlannedService[] } : null;
  }

  /** The printable form of an act (latest version or the one asked for), rendered from the case data; audited. */
  @Transactional()
  async actForm(principal: Principal, id: string, kind: ActKind, version?: number): Promise<string> {
    const c = await this.access.forRead(principal, id);
    const acts = (await this.acts.actsOf(id)).filter((a) => a.kind === kind);
    const act = version === undefined ? acts[acts.length - 1] : acts.find((a) => a.actVersion === version);
    if (!act)
      throw DomainError.notFound(CaseErrorCode.CASE_ACT_NOT_FOUND, `no ${kind} act${version ? ` version ${version}` : ''} in case ${id}`);
    await this.audit.recordRead(principal, 'person', [c.personId], `case ${c.id} ${kind} form`);
    return renderActForm(c, act);
  }

  @Transactional()
  async monitor(
    principal: Principal,
    id: string,
    cmd: { kind: 'monitoring' | 'review'; heldOn: string; findings: string; nextReviewDue?: string },
  ): Promise<CaseRecord> {
    const c = await this.access.forChange(principal, id);
    if (c.status !== 'plan_approved' && c.status !== 'in_service') {
      throw DomainError.conflict(
        CaseErrorCode.CASE_ILLEGAL_TRANSITION,
        `monitoring and review need an approved plan (case is ${c.status})`,
        undefined,
        { from: c.status, to: c.status, action: cmd.kind },
      );
    }
    const next = cmd.kind === 'review' ? (cmd.nextReviewDue ?? planReviewDue(cmd.heldOn, c.requestDate)) : (cmd.nextReviewDue ?? null);
    await this.acts.insertMonitoring({
      id: randomUUID(),
      caseId: id,
      kind: cmd.kind,
      heldOn: cmd.heldOn,
      findings: cmd.findings,
      nextReviewDue: next,
      actorId: principal.id,
    });
    await this.access.journal({
      caseId: id,
      action: cmd.kind,
      actorId: principal.id,
      data: { heldOn: cmd.heldOn, nextReviewDue: next },
    });
    return next ? this.access.setReviewDue(id, next) : c;
  }

  /** The acts and monitoring of a case (for the case file; the caller checked access). */
  async recordsOf(caseId: string): Promise<{ acts: ActRecord[]; monitoring: MonitoringRecord[] }> {
    const [acts, monitoring] = await Promise.all([this.acts.actsOf(caseId), this.acts.monitoringOf(caseId)]);
    return { acts, monitoring };
  }
}
