import { FindingRaisedV1, VerificationCompletedV1, type PayloadOf, type VerificationRequestedV1 } from '@eisss/contracts';
import {
  AuditLog,
  Clock,
  DomainError,
  OutboxWriter,
  assertTerritory,
  compareDates,
  firstOfMonth,
  lastOfMonth,
  WorkingCalendar,
  Transactional,
  type Principal,
} from '@eisss/platform';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { FactsRepository } from '../facts/facts.repository';
import { FindingsRepository, type FindingRecord, type FindingStatus, type NewFinding } from '../findings/findings.repository';
import { REGISTER_PULL_ADAPTERS, type PulledFact, type RegisterPullAdapter } from '../pull/register-pull.adapter';
import { RecipientsRepository, type RecipientAssignmentRow } from '../recipients/recipients.repository';
import { RulesRepository } from '../rules/rules.repository';
import {
  checkDeath,
  evaluate,
  rulesOn,
  type CheckMode,
  type Discretion,
  type FindingDraft,
  type RecommendedAction,
  type RuleParameterRow,
} from '../rules/rules';
import { ChecksErrorCode } from './checks.errors';
import { ChecksRepository, type CheckRunRecord } from './checks.repository';
import { CURRENT_RUN_PAGE_SIZE } from './checks.tokens';

type RequestPayload = PayloadOf<typeof VerificationRequestedV1>;
type FindingPayload = PayloadOf<typeof FindingRaisedV1>['finding'];

export interface CurrentRunResult {
  run: CheckRunRecord;
  assignmentsChecked: number;
  findings: FindingRecord[];
}

export interface RetrospectiveCommand {
  personId?: string;
  assignmentId?: string;
  periodFrom: string;
  periodTo: string;
  clientRequestId?: string;
}

export interface RetrospectiveResult {
  run: CheckRunRecord;
  /** All findings for the subject and period: the new ones and those a previous identical check found. */
  findings: FindingRecord[];
  newFindingIds: string[];
}

/**
 * Where a finding goes: one the act leaves no discretion on is carried out by processing at once (actioned); one it
 * leaves to the officer waits in the review queue (open). A review is always the officer's.
 */
export function initialStatus(kind: CheckMode, action: RecommendedAction, discretion: Discretion | null = null): FindingStatus {
  if (action === 'review' || action === 'none') return 'open';
  if (discretion !== null) return discretion === 'none' ? 'actioned' : 'open';
  // Findings without a recorded discretion (rows of the first rule table): as before.
  if (action === 'stop_payment') return 'actioned';
  if (kind === 'preventive') return 'actioned';
  return 'open';
}

export function toFindingPayload(f: FindingRecord): FindingPayload {
  return {
    findingId: f.findingId,
    personId: f.personId,
    rule: f.rule,
    recommendedAction: f.recommendedAction,
    effectiveDate: f.effectiveDate,
    ...(f.discretion ? { discretion: f.discretion } : {}),
    ...(f.legalBasis ? { legalBasis: f.legalBasis } : {}),
    evidence: f.evidence,
  };
}

const uniq = <T>(xs: T[]) => [...new Set(xs)];
/** How long the preventive checks reuse the rule table they read (see ChecksService.ruleTable). */
export const RULE_TABLE_TTL_MS = 30_000;
const personsOf = (a: RecipientAssignmentRow) => uniq([a.recipientPersonId, ...a.memberPersonIds]);

/**
 * Preventive checks (answering processing's requests), the monthly check of all active recipients
 * and retrospective checks of a past period. Rules and their parameters come from the rule table.
 */
@Injectable()
export class ChecksService {
  private readonly logger = new Logger(ChecksService.name);

  constructor(
    private readonly checks: ChecksRepository,
    private readonly facts: FactsRepository,
    private readonly recipients: RecipientsRepository,
    private readonly rules: RulesRepository,
    private readonly findings: FindingsRepository,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly calendar: WorkingCalendar,
    @Inject(REGISTER_PULL_ADAPTERS) private readonly adapters: RegisterPullAdapter[],
    @Inject(CURRENT_RUN_PAGE_SIZE) private readonly pageSize: number,
  ) {}

  /**
   * The rule table for the preventive checks, read at most every RULE_TABLE_TTL_MS: it changes only by a
   * migration (a new redaction of an act, effective from a date), which a rollout follows; every request
   * no longer reads the whole table. The current and retrospective runs still read it afresh.
   */
  private async ruleTable(): Promise<RuleParameterRow[]> {
    const now = performance.now();
    if (this.ruleCache && now - this.ruleCache.at < RULE_TABLE_TTL_MS) return this.ruleCache.rows;
    const rows = await this.rules.all();
    this.ruleCache = { at: now, rows };
    return rows;
  }
  private ruleCache?: { at: number; rows: RuleParameterRow[] };

  /** Answers a verification request with VerificationCompletedV1 (a request id already answered is a no-op). */
  @Transactional()
  async answerRequest(req: RequestPayload): Promise<void> {
    if (compareDates(req.periodFrom, req.periodTo) > 0) {
      throw DomainError.unprocessable(ChecksErrorCode.VERIFICATION_REQUEST_INVALID, 'periodFrom is after periodTo', 'periodFrom');
    }
    if (await this.checks.requestExists(req.requestId)) return;
    const personIds = uniq(req.persons.map((p) => p.personId));
    const subject = req.persons.find((p) => p.role === 'applicant')?.personId ?? personIds[0]!;
    const [facts, assignments, ruleRows] = await Promise.all([
      this.facts.forPersons(personIds),
      this.recipients.ofPersons(personIds),
      this.ruleTable(),
    ]);
    const mode: CheckMode = req.kind;
    const drafts = evaluate({
      mode,
      subjectPersonId: subject,
      personIds,
      persons: req.persons.map((p) => ({ personId: p.personId, birthDate: p.birthDate, statuses: p.statuses })),
      period: { from: req.periodFrom, to: req.periodTo },
      asOf: req.periodTo,
      facts,
      assignments,
      rules: rulesOn(ruleRows, req.periodTo),
      candidate:
        mode === 'preventive'
          ? { programmeCode: req.programmeCode, katottg: req.katottg, reference: req.applicationId ?? req.requestId }
          : undefined,
      calendar: this.calendar,
    });
    const assignmentIds = req.assignmentId ? [req.assignmentId] : [];
    const rows = drafts.map((d) =>
      this.newFinding(d, mode, `request:${req.requestId}`, {
        katottg: req.katottg,
        assignmentIds,
        requestId: req.requestId,
        runId: null,
        period: { from: req.periodFrom, to: req.periodTo },
      }),
    );
    await this.findings.insertNew(rows);
    const stored = await this.findings.byDedupeKeys(rows.map((r) => r.dedupeKey));
    const checkedOn = this.clock.today();
    const outcome = stored.length > 0 ? 'findings' : 'passed';
    await this.checks.insertRequest({
      requestId: req.requestId,
      kind: req.kind,
      applicationId: req.applicationId,
      assignmentId: req.assignmentId,
      programmeCode: req.programmeCode,
      katottg: req.katottg,
      periodFrom: req.periodFrom,
      periodTo: req.periodTo,
      personIds,
      outcome,
      checkedOn,
    });
    await this.outbox.append(
      VerificationCompletedV1,
      {
        requestId: req.requestId,
        applicationId: req.applicationId,
        assignmentId: req.assignmentId,
        outcome,
        checkedOn,
        findings: stored.map(toFindingPayload),
      },
      { aggregateId: req.requestId },
    );
  }

  /**
   * Raises a death finding at once when a death of a person in an assignment not yet terminated is
   * registered (processing stops payment without waiting for the monthly check).
   */
  @Transactional()
  async raiseDeathNow(personId: string, deathDate: string): Promise<FindingRecord | null> {
    const assignments = (await this.recipients.ofPersons([personId])).filter((a) => a.status !== 'terminated');
    if (assignments.length === 0) return null;
    const rules = rulesOn(await this.rules.all(), deathDate);
    if (!rules.death) return null;
    const facts = await this.facts.forPersons([personId]);
    const [draft] = checkDeath(personId, facts, rules.death, 'current', { from: deathDate, to: deathDate });
    if (!draft) return null;
    const row = this.newFinding(draft, 'current', 'current', {
      katottg: assignments[0]!.katottg,
      assignmentIds: assignments.map((a) => a.assignmentId),
      requestId: null,
      runId: null,
      period: { from: deathDate, to: deathDate },
    });
    const [created] = await this.findings.insertNew([row]);
    if (!created) return null;
    await this.outbox.append(
      FindingRaisedV1,
      { finding: toFindingPayload(created), assignmentIds: created.assignmentIds, kind: 'current' },
      { aggregateId: personId },
    );
    return created;
  }

  /**
   * The monthly check: every active assignment in the principal's territory whose period covers the
   * month, all rules over its persons for the period from its start to the end of the month.
   * Set-based, a page of assignments at a time: one query each for the page's facts and the
   * assignments of its persons. Each new finding raises FindingRaisedV1; a finding already raised
   * (same rule, person and evidence) is not raised again, so a rerun raises nothing new.
   */
  async runCurrent(principal: Principal, month: string, clientRequestId?: string): Promise<CurrentRunResult> {
    if (!/^[0-9]{4}-(0[1-9]|1[0-2])$/.test(month))
      throw DomainError.validation(ChecksErrorCode.MONTH_INVALID, 'month must be YYYY-MM', 'month');
    return this.checkCurrent(principal, month, lastOfMonth(month), clientRequestId);
  }

  /** The monthly check's transaction (the client request id lock is held until it commits). */
  @Transactional()
  private async checkCurrent(principal: Principal, month: string, asOf: string, clientRequestId?: string): Promise<CurrentRunResult> {
    if (clientRequestId) {
      await this.checks.lockClientRequestId(clientRequestId);
      const previous = await this.checks.runByClientRequestId(clientRequestId);
      if (previous) return { run: previous, assignmentsChecked: 0, findings: [] };
    }
    const rules = rulesOn(await this.rules.all(), asOf);
    const runId = randomUUID();
    const checkedPersons = new Set<string>();
    const created: FindingRecord[] = [];
    let assignmentsChecked = 0;
    for (let after: string | null = null; ;) {
      const page = await this.recipients.activeInMonth(principal.territory, month, after, this.pageSize);
      if (page.length === 0) break;
      after = page.at(-1)!.assignmentId;
      assignmentsChecked += page.length;
      const personIds = uniq(page.flatMap(personsOf));
      personIds.forEach((p) => checkedPersons.add(p));
      const [facts, assignmentsOfPersons] = await Promise.all([this.facts.forPersons(personIds), this.recipients.ofPersons(personIds)]);
      const activeOf = (p: string) =>
        assignmentsOfPersons
          .filter((a) => a.status === 'active' && a.periodFrom <= month && a.periodTo >= month && personsOf(a).includes(p))
          .map((a) => a.assignmentId);
      const rows = new Map<string, NewFinding>();
      for (const a of page) {
        const period = { from: firstOfMonth(a.periodFrom), to: asOf };
        const drafts = evaluate({
          mode: 'current',
          subjectPersonId: a.recipientPersonId,
          personIds: personsOf(a),
          period,
          asOf,
          facts,
          assignments: assignmentsOfPersons,
          rules,
          calendar: this.calendar,
        });
        for (const d of drafts) {
          const row = this.newFinding(d, 'current', 'current', {
            katottg: a.katottg,
            assignmentIds: activeOf(d.personId),
            requestId: null,
            runId,
            period,
          });
          if (!rows.has(row.dedupeKey)) rows.set(row.dedupeKey, row);
        }
      }
      const inserted = await this.findings.insertNew([...rows.values()]);
      for (const f of inserted) {
        await this.outbox.append(
          FindingRaisedV1,
          { finding: toFindingPayload(f), assignmentIds: f.assignmentIds, kind: 'current' },
          { aggregateId: f.personId },
        );
      }
      created.push(...inserted);
    }
    const run = await this.checks.insertRun({
      runId,
      kind: 'current',
      month,
      personId: null,
      assignmentId: null,
      periodFrom: firstOfMonth(month),
      periodTo: asOf,
      territory: principal.territory,
      startedBy: principal.id,
      personsChecked: checkedPersons.size,
      findingsRaised: created.length,
      clientRequestId: clientRequestId ?? null,
    });
    this.logger.log(
      `current check ${month}: ${assignmentsChecked} assignments, ${checkedPersons.size} persons, ${created.length} new findings`,
    );
    return { run, assignmentsChecked, findings: created };
  }

  /** A check of one person or assignment over a past period; facts are pulled on demand first where adapters are configured. */
  async runRetrospective(principal: Principal, cmd: RetrospectiveCommand): Promise<RetrospectiveResult> {
    if (!cmd.personId && !cmd.assignmentId)
      throw DomainError.validation(ChecksErrorCode.CHECK_SUBJECT_REQUIRED, 'personId or assignmentId is required', 'personId');
    if (compareDates(cmd.periodFrom, cmd.periodTo) > 0)
      throw DomainError.validation(ChecksErrorCode.PERIOD_INVALID, 'periodFrom is after periodTo', 'periodFrom');
    const today = this.clock.today();
    if (compareDates(cmd.periodTo, today) > 0)
      throw DomainError.validation(ChecksErrorCode.PERIOD_IN_FUTURE, 'a retrospective check covers a past period', 'periodTo');

    const { assignments, personIds, subject } = await this.resolveSubject(principal, cmd);
    await this.pullFacts(personIds, { from: cmd.periodFrom, to: cmd.periodTo });
    return this.checkRetrospective(principal, cmd, assignments, personIds, subject);
  }

  /** The retrospective check's transaction, after the facts were pulled (no register is called inside it). */
  @Transactional()
  private async checkRetrospective(
    principal: Principal,
    cmd: RetrospectiveCommand,
    assignments: RecipientAssignmentRow[],
    personIds: string[],
    subject: string,
  ): Promise<RetrospectiveResult> {
    if (cmd.clientRequestId) {
      await this.checks.lockClientRequestId(cmd.clientRequestId);
      const previous = await this.checks.runByClientRequestId(cmd.clientRequestId);
      if (previous) {
        const all = await this.findings.list(
          { territory: principal.territory, personId: previous.personId ?? undefined, kind: 'retrospective' },
          { limit: 1000, offset: 0 },
        );
        return { run: previous, findings: all.items.filter((f) => f.runId === previous.runId), newFindingIds: [] };
      }
    }
    const [facts, allAssignments, ruleRows] = await Promise.all([
      this.facts.forPersons(personIds),
      this.recipients.ofPersons(personIds),
      this.rules.all(),
    ]);
    const period = { from: cmd.periodFrom, to: cmd.periodTo };
    const drafts = evaluate({
      mode: 'retrospective',
      subjectPersonId: subject,
      personIds,
      period,
      asOf: cmd.periodTo,
      facts,
      assignments: allAssignments,
      rules: rulesOn(ruleRows, cmd.periodTo),
      calendar: this.calendar,
    });
    const runId = randomUUID();
    const ofPerson = (p: string) => assignments.filter((a) => personsOf(a).includes(p)).map((a) => a.assignmentId);
    const rows = new Map<string, NewFinding>();
    for (const d of drafts) {
      const row = this.newFinding(d, 'retrospective', `retrospective:${cmd.periodFrom}:${cmd.periodTo}`, {
        katottg: assignments[0]!.katottg,
        assignmentIds: ofPerson(d.personId),
        requestId: null,
        runId,
        period,
      });
      rows.set(row.dedupeKey, row);
    }
    const created = await this.findings.insertNew([...rows.values()]);
    for (const f of created) {
      await this.outbox.append(
        FindingRaisedV1,
        { finding: toFindingPayload(f), assignmentIds: f.assignmentIds, kind: 'retrospective' },
        { aggregateId: f.personId },
      );
    }
    const run = await this.checks.insertRun({
      runId,
      kind: 'retrospective',
      month: null,
      personId: cmd.personId ?? subject,
      assignmentId: cmd.assignmentId ?? null,
      periodFrom: cmd.periodFrom,
      periodTo: cmd.periodTo,
      territory: principal.territory,
      startedBy: principal.id,
      personsChecked: personIds.length,
      findingsRaised: created.length,
      clientRequestId: cmd.clientRequestId ?? null,
    });
    await this.audit.recordRead(principal, 'person', personIds, 'retrospective check');
    const findings = await this.findings.byDedupeKeys([...rows.keys()]);
    return { run, findings, newFindingIds: created.map((f) => f.findingId) };
  }

  @Transactional()
  private async resolveSubject(principal: Principal, cmd: RetrospectiveCommand) {
    let assignments: RecipientAssignmentRow[];
    if (cmd.assignmentId) {
      const a = await this.recipients.findById(cmd.assignmentId);
      if (!a)
        throw DomainError.notFound(ChecksErrorCode.RECIPIENT_NOT_FOUND, `assignment ${cmd.assignmentId} is not known to verification`);
      if (cmd.personId && !personsOf(a).includes(cmd.personId)) {
        throw DomainError.validation(ChecksErrorCode.ASSIGNMENT_PERSON_MISMATCH, 'the person is not in this assignment', 'personId');
      }
      assignments = [a];
    } else {
      assignments = await this.recipients.ofPersons([cmd.personId!]);
      if (assignments.length === 0)
        throw DomainError.notFound(ChecksErrorCode.RECIPIENT_NOT_FOUND, `person ${cmd.personId} is in no assignment known to verification`);
    }
    for (const a of assignments) assertTerritory(principal, a.katottg);
    const personIds = cmd.assignmentId ? personsOf(assignments[0]!) : [cmd.personId!];
    const subject = cmd.assignmentId ? assignments[0]!.recipientPersonId : cmd.personId!;
    return { assignments, personIds, subject };
  }

  private async pullFacts(personIds: string[], period: { from: string; to: string }): Promise<void> {
    if (this.adapters.length === 0) return;
    const pulled: PulledFact[] = [];
    for (const adapter of this.adapters) {
      for (const personId of personIds) {
        try {
          pulled.push(...(await adapter.pullFacts(personId, period)));
        } catch (err) {
          throw new DomainError(
            ChecksErrorCode.REGISTER_UNAVAILABLE,
            `register ${adapter.name} is unavailable: ${(err as Error).message}`,
            'unavailable',
            undefined,
            { register: adapter.name },
          );
        }
      }
    }
    await this.storePulledFacts(pulled);
  }

  @Transactional()
  private async storePulledFacts(pulled: PulledFact[]): Promise<void> {
    for (const f of pulled) await this.facts.upsert({ ...f, eventId: null });
  }

  private newFinding(
    d: FindingDraft,
    kind: CheckMode,
    scope: string,
    ctx: { katottg: string; assignmentIds: string[]; requestId: string | null; runId: string | null; period: { from: string; to: string } },
  ): NewFinding {
    return {
      findingId: randomUUID(),
      personId: d.personId,
      rule: d.rule,
      recommendedAction: d.recommendedAction,
      effectiveDate: d.effectiveDate,
      discretion: d.discretion,
      legalBasis: d.legalBasis,
      evidence: d.evidence,
      kind,
      status: initialStatus(kind, d.recommendedAction, d.discretion),
      katottg: ctx.katottg,
      assignmentIds: ctx.assignmentIds,
      requestId: ctx.requestId,
      runId: ctx.runId,
      periodFrom: ctx.period.from,
      periodTo: ctx.period.to,
      dedupeKey: createHash('sha256').update(`${scope}:${d.rule}:${d.personId}:${d.dedupeRef}`).digest('hex'),
    };
  }
}
