import {
  ApplicationDecidedV1,
  AssignmentChangedV2,
  AssignmentGrantedV2,
  AssignmentResumedV2,
  AssignmentSuspendedV2,
  AssignmentTerminatedV2,
  Role,
} from '@eisss/contracts';
import {
  AuditLog,
  Clock,
  DomainError,
  OutboxWriter,
  WorkingCalendar,
  assertTerritory,
  hasRole,
  kyivDate,
  type Principal,
  TransactionHost,
  Transactional,
  type PageRequest,
} from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { ApplicationsRepository, type DecisionRecord } from '../applications/applications.repository';
import type { StoredEvaluationWithFacts } from '../applications/applications.service';
import { AssignmentsRepository, type AssignmentRecord } from '../assignments/assignments.repository';
import { AssignmentsService, assignmentSnapshot } from '../assignments/assignments.service';
import { planRecalculation, toStoredMonths } from '../assignments/recalculation';
import { ParameterTable } from '../rules/parameters';
import { evaluateProgramme, ruleSetByVersion } from '../rules/programmes';
import type { ExplanationNode, Reason } from '../rules/rule-set';
import { appealDueOn, filedWithinTerm } from './appeal-deadline';
import { annulledMonths, appealNode, applyCorrections, withAppealNode, type MemberCorrection } from './appeal-remedy';
import { AppealErrorCode } from './appeals.errors';
import { AppealsRepository, type AppealKind, type AppealRecord, type AppealStatus } from './appeals.repository';
import type { FileAppealDto, ReviewAppealDto } from './dto/appeal.dto';

const STAFF: Role[] = [Role.Officer, Role.Supervisor];
/** Versions that only carry the register's account: decided (and appealed) in the register. */
const ACCOUNT_REASONS = ['ACCOUNT_CHANGED', 'ACCOUNT_REMOVED'];

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function isCitizenOnly(p: Principal): boolean {
  return hasRole(p, Role.Citizen) && !hasRole(p, ...STAFF, Role.System);
}

function kindOfVersion(eventType: string): AppealKind {
  if (eventType === AssignmentGrantedV2.eventType) return 'amount';
  if (eventType === AssignmentSuspendedV2.eventType || eventType === AssignmentTerminatedV2.eventType) return 'stop';
  return 'recalculation';
}

/** The appealed decision, resolved from an application's decision or an assignment's version. */
interface Target {
  kind: AppealKind;
  applicationId: string | null;
  assignmentId: string | null;
  assignmentVersion: number | null;
  personId: string;
  katottg: string;
  decidedBy: string | null;
  approvedBy: string | null;
  decidedOn: string | null;
}

/**
 * Appeals (скарги) of processing's benefit decisions under the Law «Про адміністративну процедуру»:
 * a refusal, the amount granted, a stop or a recalculation — including decisions the rules took alone —
 * filed by the person (Diia), by staff for them or their representative (ЦНАП, office), reviewed by
 * someone who neither took nor approved the decision nor filed the appeal. An upheld refusal is decided
 * again by the programme's rules (a grant creates the assignment); an upheld amount, stop or
 * recalculation makes a new assignment version whose per-month differences carry the arrears. The
 * reviewer is the second person of that act: nothing more is asked.
 */
@Injectable()
export class AppealsService {
  constructor(
    private readonly db: TransactionHost,
    private readonly appeals: AppealsRepository,
    private readonly applications: ApplicationsRepository,
    private readonly assignments: AssignmentsService,
    private readonly assignmentsRepo: AssignmentsRepository,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditLog,
    private readonly params: ParameterTable,
    private readonly clock: Clock,
    private readonly calendar: WorkingCalendar,
  ) {}

  today(): string {
    return this.clock.today();
  }

  /** Files an appeal; a retry with the same client request id returns the same appeal and writes nothing. */
  async file(principal: Principal, dto: FileAppealDto): Promise<{ appeal: AppealRecord; created: boolean }> {
    const fingerprint = createHash('sha256').update(canonical(dto)).digest('hex');
    const existing = await this.appeals.findByClientRequestId(dto.clientRequestId);
    if (existing) return { appeal: this.checkRetry(principal, existing, fingerprint), created: false };
    if (!!dto.applicationId === !!dto.assignmentId)
      throw DomainError.validation(AppealErrorCode.APPEAL_TARGET_REQUIRED, 'give either applicationId or assignmentId', 'applicationId');
    if (dto.version !== undefined && !dto.assignmentId)
      throw DomainError.validation(AppealErrorCode.APPEAL_TARGET_REQUIRED, 'a version is given with assignmentId', 'version');
    const citizen = isCitizenOnly(principal);
    if (citizen && dto.channel !== 'diia')
      throw DomainError.validation(AppealErrorCode.APPEAL_CHANNEL_NOT_ALLOWED, 'a citizen appeals through Diia', 'channel');
    if (!citizen && dto.channel === 'diia')
      throw DomainError.validation(
        AppealErrorCode.APPEAL_CHANNEL_NOT_ALLOWED,
        'staff record appeals received at a ЦНАП (cnap) or an office',
        'channel',
      );
    if (citizen && dto.representative)
      throw DomainError.validation(
        AppealErrorCode.APPEAL_CHANNEL_NOT_ALLOWED,
        "a representative's appeal is recorded by staff with the document of authority",
        'representative',
      );

    const created = await this.db.run(async () => {
      const t = dto.applicationId
        ? await this.targetOfApplication(principal, dto.applicationId, dto.programmeCode)
        : await this.targetOfAssignment(principal, dto.assignmentId!, dto.version, dto.programmeCode);
      const open = await this.appeals.openFor({
        programmeCode: dto.programmeCode,
        applicationId: t.applicationId,
        assignmentId: t.assignmentId,
        assignmentVersion: t.assignmentVersion,
      });
      if (open)
        throw DomainError.conflict(AppealErrorCode.APPEAL_ALREADY_OPEN, 'an appeal of this decision is already being reviewed', undefined, {
          appealId: open,
        });
      const filedOn = this.today();
      const { dueOn, rule } = appealDueOn(filedOn, this.calendar);
      const appeal: AppealRecord = {
        id: randomUUID(),
        clientRequestId: dto.clientRequestId,
        requestFingerprint: fingerprint,
        kind: t.kind,
        programmeCode: dto.programmeCode,
        applicationId: t.applicationId,
        assignmentId: t.assignmentId,
        assignmentVersion: t.assignmentVersion,
        personId: t.personId,
        katottg: t.katottg,
        channel: dto.channel,
        filedBy: principal.id,
        filedAs: citizen ? 'person' : dto.representative ? 'representative' : 'staff',
        representative: dto.representative
          ? { fullName: dto.representative.fullName, authorityDocument: dto.representative.authorityDocument }
          : null,
        grounds: dto.grounds,
        contestedReasons: dto.contestedReasons ?? [],
        decidedBy: t.decidedBy,
        approvedBy: t.approvedBy,
        decidedOn: t.decidedOn,
        filedWithinTerm: filedWithinTerm(t.decidedOn, filedOn),
        status: 'open',
        filedOn,
        dueOn,
        deadlineRule: `${rule.days} ${rule.unit} days${rule.rollToWorkingDay ? ', moved to the next working day' : ''}: ${rule.legalRef}`,
        reviewedBy: null,
        reviewedOn: null,
        reasoning: null,
        result: null,
      };
      if (!(await this.appeals.insert(appeal))) return null; // a concurrent retry won the race
      await this.annotate(appeal);
      await this.audit.recordAction(
        principal,
        'appeal.filed',
        'appeal',
        [appeal.id],
        `${appeal.kind} of ${appeal.programmeCode} for person ${appeal.personId}, filed as ${appeal.filedAs} via ${appeal.channel}`,
      );
      return appeal;
    });
    if (!created) {
      const raced = await this.appeals.findByClientRequestId(dto.clientRequestId);
      return { appeal: this.checkRetry(principal, raced!, fingerprint), created: false };
    }
    return { appeal: created, created: true };
  }

  private checkRetry(principal: Principal, existing: AppealRecord, fingerprint: string): AppealRecord {
    if (existing.requestFingerprint !== fingerprint)
      throw DomainError.conflict(
        AppealErrorCode.IDEMPOTENCY_KEY_REUSED,
        'this client request id was used for a different appeal',
        'clientRequestId',
        { appealId: existing.id },
      );
    this.checkSee(principal, existing);
    return existing;
  }

  /** A citizen files only about themselves; staff only within their territory. */
  private checkMayFile(principal: Principal, personId: string, katottg: string): void {
    if (isCitizenOnly(principal)) {
      if (!principal.personId || principal.personId !== personId)
        throw DomainError.forbidden(AppealErrorCode.APPEAL_NOT_YOUR_DECISION, 'a citizen may appeal only a decision about themselves');
      return;
    }
    assertTerritory(principal, katottg);
  }

  private async targetOfApplication(principal: Principal, applicationId: string, programmeCode: string): Promise<Target> {
    const app = await this.applications.findById(applicationId);
    if (!app) throw DomainError.notFound(AppealErrorCode.APPEAL_DECISION_NOT_FOUND, `application ${applicationId} not found`);
    this.checkMayFile(principal, app.applicantPersonId, app.katottg);
    const d = await this.applications.lockDecision(applicationId, programmeCode);
    if (!d)
      throw DomainError.notFound(
        AppealErrorCode.APPEAL_DECISION_NOT_FOUND,
        `application ${applicationId} does not ask for ${programmeCode}`,
      );
    if (d.status === 'refused') {
      return {
        kind: 'refusal',
        applicationId,
        assignmentId: null,
        assignmentVersion: null,
        personId: app.applicantPersonId,
        katottg: app.katottg,
        decidedBy: d.decidedBy,
        approvedBy: d.approvedBy,
        decidedOn: d.decidedOn,
      };
    }
    if (d.status === 'granted' && d.assignmentId) {
      return {
        kind: 'amount',
        applicationId,
        assignmentId: d.assignmentId,
        assignmentVersion: 1,
        personId: app.applicantPersonId,
        katottg: app.katottg,
        decidedBy: d.decidedBy,
        approvedBy: d.approvedBy,
        decidedOn: d.decidedOn,
      };
    }
    throw DomainError.conflict(AppealErrorCode.APPEAL_DECISION_NOT_FINAL, `the decision is ${d.status}: nothing to appeal yet`, undefined, {
      status: d.status,
    });
  }

  private async targetOfAssignment(
    principal: Principal,
    assignmentId: string,
    version: number | undefined,
    programmeCode: string,
  ): Promise<Target> {
    const a = await this.assignmentsRepo.findById(assignmentId);
    if (!a) throw DomainError.notFound(AppealErrorCode.APPEAL_DECISION_NOT_FOUND, `assignment ${assignmentId} not found`);
    this.checkMayFile(principal, a.recipientPersonId, a.katottg);
    if (a.programmeCode !== programmeCode)
      throw DomainError.unprocessable(
        AppealErrorCode.APPEAL_PROGRAMME_MISMATCH,
        `the assignment is of ${a.programmeCode}`,
        'programmeCode',
      );
    const v = (await this.assignmentsRepo.versions(assignmentId)).find((x) => x.version === (version ?? a.version));
    if (!v)
      throw DomainError.notFound(
        AppealErrorCode.APPEAL_DECISION_NOT_FOUND,
        `assignment ${assignmentId} has no version ${version}`,
        undefined,
        { field: 'version' },
      );
    if (v.reason && ACCOUNT_REASONS.includes(v.reason.code))
      throw DomainError.unprocessable(
        AppealErrorCode.APPEAL_NOT_A_BENEFIT_DECISION,
        "this version only carries the register's payment account: it is appealed in the social register",
        'version',
      );
    return {
      kind: kindOfVersion(v.eventType),
      applicationId: a.applicationId,
      assignmentId,
      assignmentVersion: v.version,
      personId: a.recipientPersonId,
      katottg: a.katottg,
      decidedBy: v.createdBy,
      approvedBy: v.approvedBy,
      decidedOn: kyivDate(new Date(v.createdAt)),
    };
  }

  private nodeOf(a: AppealRecord, children?: ExplanationNode[]): ExplanationNode {
    return appealNode(
      {
        appealId: a.id,
        kind: a.kind,
        status: a.status,
        filedOn: a.filedOn,
        dueOn: a.dueOn,
        channel: a.channel,
        filedAs: a.filedAs,
        grounds: a.grounds,
        assignmentId: a.assignmentId,
        assignmentVersion: a.assignmentVersion,
        ...(a.status !== 'open'
          ? { outcome: a.status, reviewedBy: a.reviewedBy!, reviewedOn: a.reviewedOn!, reasoning: a.reasoning!, result: a.result ?? {} }
          : {}),
      },
      children,
    );
  }

  /** Puts the appeal (as it is now) into the application decision's explanation (the notice shows it) and the assignment's. */
  private async annotate(a: AppealRecord, children?: ExplanationNode[], skipAssignment = false): Promise<void> {
    const n = this.nodeOf(a, children);
    if (a.applicationId) {
      const d = await this.applications.lockDecision(a.applicationId, a.programmeCode);
      if (d?.evaluation)
        await this.applications.updateDecision({
          ...d,
          evaluation: { ...d.evaluation, explanation: withAppealNode(d.evaluation.explanation, n) },
        });
    }
    if (a.assignmentId && !skipAssignment) {
      const asg = await this.assignmentsRepo.lockById(a.assignmentId);
      if (asg) await this.assignmentsRepo.update({ ...asg, explanation: withAppealNode(asg.explanation, n) });
    }
  }

  /**
   * Reviews an appeal. Not by the person who took or approved the appealed decision, nor by the appellant
   * or the one who filed it (403). Dismissed: nothing changes but the appeal and the explanation. Upheld:
   * a refusal is decided again; an amount, stop or recalculation gets a new assignment version.
   */
  @Transactional()
  async review(principal: Principal, id: string, dto: ReviewAppealDto): Promise<AppealRecord> {
    const appeal = await this.appeals.lockById(id);
    if (!appeal) throw DomainError.notFound(AppealErrorCode.APPEAL_NOT_FOUND, `appeal ${id} not found`);
    assertTerritory(principal, appeal.katottg);
    if (appeal.status !== 'open')
      throw DomainError.conflict(AppealErrorCode.APPEAL_ALREADY_REVIEWED, `the appeal was already ${appeal.status}`, undefined, {
        status: appeal.status,
      });
    if (principal.id === appeal.decidedBy || principal.id === appeal.approvedBy)
      throw DomainError.forbidden(
        AppealErrorCode.APPEAL_REVIEWER_DECIDED,
        'the person who took or approved the appealed decision may not review the appeal',
      );
    if (principal.id === appeal.filedBy || (principal.personId && principal.personId === appeal.personId))
      throw DomainError.forbidden(
        AppealErrorCode.APPEAL_REVIEWER_IS_APPELLANT,
        'the appellant (or who filed the appeal) may not review it',
      );
    const reviewedOn = this.today();
    let result: Record<string, unknown> = { outcome: dto.outcome };
    let children: ExplanationNode[] | undefined;
    let assignmentWritten = false;
    if (dto.outcome === 'upheld') {
      const upheld =
        appeal.kind === 'refusal' ? await this.redecide(principal, appeal, dto) : await this.newVersion(principal, appeal, dto);
      result = { outcome: 'upheld', ...upheld.result };
      children = upheld.explanation ? [upheld.explanation] : undefined;
      assignmentWritten = upheld.assignmentWritten;
    }
    const status: AppealStatus = dto.outcome;
    await this.appeals.review(id, { status, reviewedBy: principal.id, reviewedOn, reasoning: dto.reasoning, result });
    const reviewed: AppealRecord = { ...appeal, status, reviewedBy: principal.id, reviewedOn, reasoning: dto.reasoning, result };
    await this.annotate(reviewed, children, assignmentWritten);
    await this.audit.recordAction(
      principal,
      `appeal.${status}`,
      'appeal',
      [id],
      `${appeal.kind} of ${appeal.programmeCode}: ${dto.reasoning}`,
    );
    return reviewed;
  }

  /** Upheld refusal: the programme's rules run again (on corrected facts, ignoring the reasons the reviewer disregards); a grant creates the assignment. */
  private async redecide(principal: Principal, appeal: AppealRecord, dto: ReviewAppealDto) {
    const app = (await this.applications.lockById(appeal.applicationId!))!;
    const d = (await this.applications.lockDecision(appeal.applicationId!, appeal.programmeCode))!;
    if (d.status !== 'refused' || !d.evaluation)
      throw DomainError.conflict(AppealErrorCode.APPEAL_DECISION_CHANGED, `the decision is ${d.status} now`, undefined, {
        status: d.status,
      });
    const stored = d.evaluation as StoredEvaluationWithFacts;
    const facts = applyCorrections(stored.facts, dto.corrections as MemberCorrection[] | undefined);
    const e = evaluateProgramme(appeal.programmeCode, facts, this.params);
    const disregard = new Set(dto.disregardReasons ?? []);
    if (!e.eligible) {
      throw DomainError.unprocessable(
        AppealErrorCode.APPEAL_RULES_STILL_REFUSE,
        "the programme's rules still refuse on these facts (a rule's reason is lifted only by corrected facts)",
        'corrections',
        { reasons: e.reasons },
      );
    }
    // Reasons of the refusal that were not the rules' own (verification findings, an officer's reason) stand unless disregarded.
    const stands = d.reasons.filter((r) => !stored.reasons.some((x) => x.code === r.code) && !disregard.has(r.code));
    if (stands.length)
      throw DomainError.unprocessable(
        AppealErrorCode.APPEAL_REFUSAL_STANDS,
        'a reason of the refusal is not disregarded by the review',
        'disregardReasons',
        { reasons: stands },
      );
    const holders =
      appeal.programmeCode === 'birth-assistance' ? e.memberPersonIds.filter((p) => p !== e.recipientPersonId) : e.memberPersonIds;
    for (const personId of holders) {
      const open = await this.assignmentsRepo.findOpenByPerson(personId, appeal.programmeCode);
      if (open.length)
        throw DomainError.conflict(
          AppealErrorCode.APPEAL_BENEFIT_ALREADY_ASSIGNED,
          `a person already holds ${appeal.programmeCode}`,
          undefined,
          { personId, assignmentId: open[0]!.id },
        );
    }
    const redecided: ExplanationNode = {
      rule: 'appeal.re-decision',
      title: `Re-decision on appeal: ${appeal.programmeCode}`,
      legalRef: 'Закон України «Про адміністративну процедуру»',
      outcome: 'passed',
      facts: { disregarded: [...disregard], corrections: dto.corrections?.length ?? 0 },
      parameters: [],
      children: [e.explanation],
    };
    const explanation = withAppealNode(
      stored.explanation,
      this.nodeOf(
        { ...appeal, status: 'upheld', reviewedBy: principal.id, reviewedOn: this.today(), reasoning: dto.reasoning, result: {} },
        [redecided],
      ),
    );
    const evaluation: StoredEvaluationWithFacts = { ...e, months: toStoredMonths(e.months), explanation, facts };
    const assignment = await this.assignments.grant({
      applicationId: app.id,
      evaluation,
      facts,
      katottg: app.katottg,
      actor: { by: principal.id, approvedBy: null },
    });
    const today = this.today();
    const next: DecisionRecord = {
      ...d,
      status: 'granted',
      evaluation,
      reasons: [],
      decidedBy: principal.id,
      approvedBy: null,
      decidedOn: today,
      assignmentId: assignment.id,
    };
    await this.applications.updateDecision(next);
    await this.applications.updateStatus(app.id, app.status, app.decidedOn, {
      status: app.status,
      at: this.clock.now().toISOString(),
      by: principal.id,
      note: `appeal ${appeal.id} upheld: ${appeal.programmeCode} granted (assignment ${assignment.id})`,
    });
    const decisions = await this.applications.decisionsOf([app.id]);
    if (decisions.every((x) => x.status === 'granted' || x.status === 'refused')) {
      await this.outbox.append(
        ApplicationDecidedV1,
        {
          applicationId: app.id,
          applicantPersonId: app.applicantPersonId,
          decidedOn: today,
          decisions: decisions.map((x) => ({
            programmeCode: x.programmeCode,
            outcome: x.status as 'granted' | 'refused',
            reasons: x.reasons,
            assignmentId: x.assignmentId,
          })),
        },
        { aggregateId: app.id },
      );
    }
    return {
      result: {
        granted: true,
        assignmentId: assignment.id,
        version: assignment.version,
        ruleSetVersion: e.ruleSetVersion,
        disregarded: [...disregard],
      },
      explanation: redecided,
      assignmentWritten: false,
    };
  }

  /**
   * Upheld amount, stop or recalculation: a new assignment version. With corrected facts the rules recompute
   * the months for the whole term; without, the appealed act is annulled (the previous version's months from
   * the month it took effect, its status). The differences per month carry the arrears.
   */
  private async newVersion(principal: Principal, appeal: AppealRecord, dto: ReviewAppealDto) {
    const a = await this.assignmentsRepo.lockById(appeal.assignmentId!);
    if (!a) throw DomainError.notFound(AppealErrorCode.APPEAL_DECISION_NOT_FOUND, `assignment ${appeal.assignmentId} not found`);
    const ruleSet = ruleSetByVersion(a.programmeCode, a.ruleSetVersion);
    if (!ruleSet) throw DomainError.unprocessable(AppealErrorCode.APPEAL_NOTHING_TO_CHANGE, `rule set ${a.ruleSetVersion} is not known`);
    const version = appeal.assignmentVersion!;
    const versions = await this.assignmentsRepo.versions(a.id);
    const appealed = versions.find((v) => v.version === version)!;
    let facts = a.facts;
    let target;
    let status: AssignmentRecord['status'] = a.status;
    let method: 'recomputed' | 'annulled';
    let computedExplanation: ExplanationNode | null = null;
    const corrections = (dto.corrections ?? []) as MemberCorrection[];
    if (corrections.length || version === 1) {
      facts = applyCorrections(a.facts, corrections);
      const periodTo =
        a.status === 'terminated' || appeal.kind === 'stop' ? ((await this.appeals.grantedPeriodTo(a.id)) ?? a.periodTo) : a.periodTo;
      const computed = ruleSet.recalculate(facts, { from: a.periodFrom, to: periodTo }, this.params);
      target = toStoredMonths(computed.months);
      computedExplanation = computed.explanation;
      if (appeal.kind === 'stop') status = 'active';
      method = 'recomputed';
    } else {
      const previous = await this.appeals.versionSnapshot(a.id, version - 1);
      if (!previous) throw DomainError.unprocessable(AppealErrorCode.APPEAL_NOTHING_TO_CHANGE, `no version ${version - 1} to restore`);
      target = annulledMonths(a.months, previous.months, appealed.effectiveFrom);
      if (appeal.kind === 'stop') status = previous.status as AssignmentRecord['status'];
      method = 'annulled';
    }
    const plan = planRecalculation(a, target);
    if (plan.terminated) status = 'terminated';
    if (plan.differences.length === 0 && status === a.status) {
      throw DomainError.unprocessable(
        AppealErrorCode.APPEAL_NOTHING_TO_CHANGE,
        'the re-decision gives the same months and status: give the corrected facts',
        'corrections',
      );
    }
    const reason: Reason = {
      code: 'APPEAL_UPHELD',
      text: `appeal ${appeal.id} of version ${version} upheld by ${principal.id}: ${dto.reasoning}`,
    };
    const result = { assignmentId: a.id, version: a.version + 1, method, differences: plan.differences, status };
    const redecided: ExplanationNode = {
      rule: 'appeal.new-version',
      title: `Appeal upheld: version ${a.version + 1} (${method})`,
      legalRef: 'Закон України «Про адміністративну процедуру»',
      outcome: 'amount',
      facts: {
        appealedVersion: version,
        method,
        arrearsKopiyky: plan.differences.reduce((s, d) => s + BigInt(d.differenceKopiyky), 0n).toString(),
      },
      parameters: [],
      ...(computedExplanation ? { children: [computedExplanation] } : {}),
    };
    const reviewed: AppealRecord = {
      ...appeal,
      status: 'upheld',
      reviewedBy: principal.id,
      reviewedOn: this.today(),
      reasoning: dto.reasoning,
      result: { outcome: 'upheld', ...result },
    };
    const next: AssignmentRecord = {
      ...a,
      version: a.version + 1,
      facts,
      months: plan.months,
      periodTo: plan.periodTo,
      status,
      explanation: withAppealNode(a.explanation, this.nodeOf(reviewed, [redecided])),
    };
    await this.assignmentsRepo.update(next);
    const contract =
      status === 'terminated'
        ? AssignmentTerminatedV2
        : a.status === 'suspended' && status === 'active'
          ? AssignmentResumedV2
          : AssignmentChangedV2;
    const snapshot = assignmentSnapshot(next);
    const effectiveFrom = plan.differences[0]?.month ?? appealed.effectiveFrom;
    await this.assignmentsRepo.insertVersion(next, {
      eventType: contract.eventType,
      snapshot,
      reason,
      effectiveFrom,
      differences: plan.differences,
      createdBy: principal.id,
      approvedBy: null,
    });
    await this.outbox.append(
      contract,
      { assignment: snapshot, reason, effectiveFrom, differences: plan.differences },
      { aggregateId: a.id },
    );
    return { result, explanation: redecided, assignmentWritten: true };
  }

  private checkSee(principal: Principal, a: AppealRecord): void {
    if (isCitizenOnly(principal)) {
      if (!principal.personId || principal.personId !== a.personId)
        throw DomainError.notFound(AppealErrorCode.APPEAL_NOT_FOUND, `appeal ${a.id} not found`);
      return;
    }
    assertTerritory(principal, a.katottg);
  }

  async get(principal: Principal, id: string): Promise<AppealRecord> {
    const a = await this.appeals.findById(id);
    if (!a) throw DomainError.notFound(AppealErrorCode.APPEAL_NOT_FOUND, `appeal ${id} not found`);
    this.checkSee(principal, a);
    await this.audit.recordRead(principal, 'person', [a.personId], 'appeal card');
    return a;
  }

  async list(
    principal: Principal,
    q: { status?: AppealStatus; applicationId?: string; assignmentId?: string; personId?: string } & PageRequest,
  ) {
    const citizen = isCitizenOnly(principal);
    if (citizen && !principal.personId) return { items: [], total: q.withTotal === false ? null : 0 };
    const page = await this.appeals.list({
      ...q,
      territory: citizen ? 'UA' : principal.territory,
      personId: citizen ? principal.personId : q.personId,
    });
    await this.audit.recordRead(principal, 'person', [...new Set(page.items.map((a) => a.personId))], 'appeal list');
    return page;
  }

  /** Open appeals past their due date on `asOf` (default today), in the caller's territory, earliest first. */
  async overdue(principal: Principal, q: { asOf?: string } & PageRequest) {
    const asOf = q.asOf ?? this.today();
    const page = await this.appeals.list({
      territory: principal.territory,
      overdueOn: asOf,
      limit: q.limit,
      offset: q.offset,
      withTotal: q.withTotal,
    });

    await this.audit.recordRead(principal, 'person', [...new Set(page.items.map((a) => a.personId))], 'overdue appeals');
    return { asOf, ...page };
  }
}
