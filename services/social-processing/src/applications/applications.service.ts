import {
  ApplicationDecidedV1,
  ApplicationPaymentAccountProposedV2,
  ApplicationSubmittedV1,
  Role,
  VerificationRequestedV1,
  type PayloadOf,
  type VerificationCompletedV1,
} from '@eisss/contracts';
import {
  AuditLog,
  Clock,
  DomainError,
  DualControl,
  OutboxWriter,
  WorkingCalendar,
  addMonths,
  assertTerritory,
  hasRole,
  isValidUaIban,
  type DualControlRequest,
  type PlainAccount,
  type Principal,
  type ProposedAccount,
  TransactionHost,
  Transactional,
  type PageRequest,
} from '@eisss/platform';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { AssignmentsService, type ActOutcome, type ProgrammeRecalculationResult } from '../assignments/assignments.service';
import { toStoredMonths } from '../assignments/recalculation';
import { EmploymentRepository } from '../employment/employment.repository';
import { PersonProjectionRepository, statusesOn, type KnownPerson } from '../person-projection/person-projection.repository';
import { familyIncomeFromTax, incomeLookBack, LOW_INCOME_PROGRAMME_CODE } from '../rules/low-income-family.rules';
import { ParameterTable } from '../rules/parameters';
import { evaluateProgramme, programmeOf, PROGRAMMES } from '../rules/programmes';
import type { ApplicationFacts, ExplanationNode, MemberFact, Reason, Relation } from '../rules/rule-set';
import { PaymentSealing } from '../shared/payment-sealing';
import { TerritoriesService } from '../territories/territories.service';
import { ApplicationErrorCode } from './applications.errors';
import {
  ApplicationsRepository,
  type ApplicationRecord,
  type ApplicationStatus,
  type DecisionRecord,
  type HistoryEntry,
  type StoredEvaluation,
} from './applications.repository';
import { ConsentTypes, type SubmitApplicationDto } from './dto/application.dto';
import { renderNotice, type Notice } from './notice';

export const DECISION_DEADLINE_WORKING_DAYS = 10;
/** Changing a programme's settings (maker-checker on or off): national scope, a second national supervisor approves. */
export const PROGRAMME_SETTINGS_ACT = 'programme.settings';
/** Maker-checker is on for every programme unless its settings say otherwise. */
export const REQUIRES_APPROVAL_BY_DEFAULT = true;
/** Who decided when the rules decided alone (no officer involved): recorded as decidedBy. */
export const SYSTEM_ACTOR = 'system';
type Completed = PayloadOf<typeof VerificationCompletedV1>;
export type StoredEvaluationWithFacts = StoredEvaluation & { facts: ApplicationFacts };

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
  return hasRole(p, Role.Citizen) && !hasRole(p, Role.Officer, Role.Supervisor, Role.System);
}

function findingReasonCode(rule: string): string {
  return `FINDING_${rule.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

/** Applications (звернення): submission, preventive verification, decision by the rules, maker-checker, deadlines. */
@Injectable()
export class ApplicationsService implements OnModuleInit {
  constructor(
    private readonly db: TransactionHost,
    private readonly applications: ApplicationsRepository,
    private readonly persons: PersonProjectionRepository,
    private readonly assignments: AssignmentsService,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditLog,
    private readonly dual: DualControl,
    private readonly params: ParameterTable,
    private readonly clock: Clock,
    private readonly calendar: WorkingCalendar,
    private readonly territories: TerritoriesService,
    private readonly employment: EmploymentRepository,
    private readonly sealing: PaymentSealing,
  ) {}

  onModuleInit(): void {
    this.dual.register(PROGRAMME_SETTINGS_ACT, {
      roles: [Role.Supervisor],
      nationalOnly: true,
      execute: async (req, approver) => {
        const { requiresApproval } = req.payload as { requiresApproval: boolean };
        if (!programmeOf(req.subjectId))
          throw DomainError.notFound(ApplicationErrorCode.PROGRAMME_UNKNOWN, `programme ${req.subjectId} is not known`);
        const before = (await this.applications.settings()).get(req.subjectId) ?? REQUIRES_APPROVAL_BY_DEFAULT;
        await this.applications.saveSetting(req.subjectId, requiresApproval, approver.id, req.requestedBy);
        await this.audit.recordAction(
          approver,
          'programme.settings.changed',
          'programme',
          [req.subjectId],
          `requiresApproval ${before} → ${requiresApproval}; requested by ${req.requestedBy}: ${req.reason}`,
        );
        return { programmeCode: req.subjectId, requiresApproval, previous: before };
      },
    });
  }

  private today(): string {
    return this.clock.today();
  }

  /**
   * Submits an application; a retry with the same client request id returns the same application and writes nothing.
   * A new application comes back with its decisions as written, and the read of the members' register data the answer
   * shows (the application card) is audited in the same transaction: the caller needs no second read (`get`).
   */
  async submit(
    principal: Principal,
    dto: SubmitApplicationDto,
  ): Promise<
    { application: ApplicationRecord; created: true; decisions: DecisionRecord[] } | { application: ApplicationRecord; created: false }
  > {
    // The fingerprint is of the request as sent (sealing is randomised: the sealed account differs on every retry).
    const fingerprint = createHash('sha256').update(canonical(dto)).digest('hex');
    // The retry check and the persons' register data are read together (two connections, one round trip of waiting).
    const [existing, knownPersons] = await Promise.all([
      this.applications.findByClientRequestId(dto.clientRequestId),
      this.persons.findKnown([...new Set(dto.household.members.map((m) => m.personId))]),
    ]);
    if (existing) return { application: this.checkRetry(principal, existing, fingerprint), created: false };

    const today = this.today();
    if (isCitizenOnly(principal)) {
      if (dto.channel !== 'diia')
        throw DomainError.validation(ApplicationErrorCode.CHANNEL_NOT_ALLOWED, 'a citizen applies through Diia', 'channel');
      if (principal.personId !== dto.applicantPersonId)
        throw DomainError.forbidden(ApplicationErrorCode.CITIZEN_MAY_APPLY_ONLY_FOR_SELF, 'a citizen may apply only as the applicant');
    } else {
      assertTerritory(principal, dto.katottg);
    }
    const submittedOn = dto.receivedOn && !isCitizenOnly(principal) ? dto.receivedOn : today;
    if (submittedOn > today)
      throw DomainError.validation(
        ApplicationErrorCode.RECEIVED_ON_IN_FUTURE,
        'the application cannot be received in the future',
        'receivedOn',
      );

    const seenCodes = new Set<string>();
    dto.programmeCodes.forEach((code, i) => {
      if (!programmeOf(code))
        throw DomainError.unprocessable(ApplicationErrorCode.PROGRAMME_UNKNOWN, `programme ${code} is not known`, `programmeCodes[${i}]`, {
          known: Object.keys(PROGRAMMES),
        });
      if (seenCodes.has(code))
        throw DomainError.validation(ApplicationErrorCode.PROGRAMME_DUPLICATE, `programme ${code} is listed twice`, `programmeCodes[${i}]`);
      seenCodes.add(code);
    });
    const consentTypes = new Set(dto.consents.map((c) => c.type));
    const missing = ConsentTypes.filter((t) => !consentTypes.has(t));
    if (missing.length)
      throw DomainError.unprocessable(ApplicationErrorCode.CONSENT_REQUIRED, `consents required: ${missing.join(', ')}`, 'consents', {
        missing,
      });

    const members = dto.household.members;
    const applicants = members.filter((m) => m.role === 'applicant');
    if (applicants.length !== 1 || applicants[0]!.personId !== dto.applicantPersonId) {
      throw DomainError.validation(
        ApplicationErrorCode.APPLICANT_NOT_IN_HOUSEHOLD,
        'the household must list the applicant once with role applicant',
        'household.members',
      );
    }
    const seen = new Set<string>();
    members.forEach((m, i) => {
      if (seen.has(m.personId))
        throw DomainError.validation(
          ApplicationErrorCode.HOUSEHOLD_MEMBER_DUPLICATE,
          'a person is listed twice',
          `household.members[${i}].personId`,
        );
      seen.add(m.personId);
    });
    const known = new Map(knownPersons.map((p) => [p.personId, p]));
    members.forEach((m, i) => {
      if (!known.has(m.personId))
        throw DomainError.unprocessable(
          ApplicationErrorCode.PERSON_UNKNOWN,
          'the person is not known to the social register',
          `household.members[${i}].personId`,
          { personId: m.personId },
        );
    });
    members.forEach((m, i) => {
      if (m.birthDate && m.birthDate !== known.get(m.personId)!.birthDate) {
        throw DomainError.unprocessable(
          ApplicationErrorCode.BIRTH_DATE_MISMATCH,
          'the birth date differs from the social register',
          `household.members[${i}].birthDate`,
        );
      }
    });
    const applicant = known.get(dto.applicantPersonId)!;
    if (applicant.deathDate !== null && applicant.deathDate <= submittedOn)
      throw DomainError.unprocessable(
        ApplicationErrorCode.APPLICANT_DECEASED,
        'the applicant is recorded as deceased',
        'applicantPersonId',
      );
    if (dto.applicantRnokpp && applicant.rnokppMasked && applicant.rnokppMasked.slice(-4) !== dto.applicantRnokpp.slice(-4)) {
      throw DomainError.unprocessable(
        ApplicationErrorCode.RNOKPP_MISMATCH,
        'the РНОКПП does not match the applicant in the register',
        'applicantRnokpp',
      );
    }
    const proposed = await this.proposedAccount(dto);

    const id = randomUUID();
    const requests = dto.programmeCodes.map((code) => ({ code, requestId: randomUUID() }));
    const result = await this.db.run(async () => {
      // Serialise concurrent applications about the same persons, so the "already holds" check below holds.
      await this.persons.lockPersons([...seen]);
      for (const code of dto.programmeCodes) {
        const holders = code === 'birth-assistance' ? members.filter((m) => m.relation === 'child').map((m) => m.personId) : [...seen];
        // One statement per programme for all the holders (not one per person).
        const { open, pendingApplicationId: pending } = await this.applications.holdersConflicts(holders, code);
        const held = open[0]; // the first holder in order with an open assignment, its lowest assignment id
        if (held)
          throw DomainError.conflict(ApplicationErrorCode.BENEFIT_ALREADY_ASSIGNED, `a person already holds ${code}`, 'household.members', {
            personId: holders[held.holder]!,
            assignmentId: held.assignmentId,
          });
        if (pending)
          throw DomainError.conflict(
            ApplicationErrorCode.BENEFIT_ALREADY_ASSIGNED,
            `an application for ${code} is already being processed`,
            'household.members',
            { applicationId: pending },
          );
      }
      const history: HistoryEntry[] = [
        { status: 'registered', at: this.clock.now().toISOString(), by: principal.id },
        { status: 'awaiting_verification', at: this.clock.now().toISOString(), by: SYSTEM_ACTOR },
      ];
      const app: ApplicationRecord = {
        id,
        clientRequestId: dto.clientRequestId,
        requestFingerprint: fingerprint,
        channel: dto.channel,
        applicantPersonId: dto.applicantPersonId,
        katottg: dto.katottg,
        programmeCodes: dto.programmeCodes,
        household: { members: members.map((m) => ({ ...m, birthDate: known.get(m.personId)!.birthDate })) },
        consents: dto.consents.map((c) => ({ type: c.type, givenOn: c.givenOn })),
        payment: proposed,
        averageIncomeKopiyky: dto.averageMonthlyIncomePerPersonKopiyky ?? null,
        status: 'awaiting_verification',
        submittedOn,
        decisionDueOn: this.calendar.addWorkingDays(submittedOn, DECISION_DEADLINE_WORKING_DAYS),
        decidedOn: null,
        history,
        createdBy: principal.id,
      };
      const decisions: DecisionRecord[] = requests.map((r) => ({
        applicationId: id,
        programmeCode: r.code,
        status: 'awaiting_verification',
        verificationRequestId: r.requestId,
        verification: null,
        evaluation: null,
        proposal: null,
        reasons: [],
        decidedBy: null,
        approvedBy: null,
        decidedOn: null,
        assignmentId: null,
      }));
      if (!(await this.applications.insert(app, decisions))) return null; // a concurrent retry won the race
      await this.outbox.append(
        ApplicationSubmittedV1,
        {
          applicationId: id,
          channel: dto.channel,
          applicantPersonId: dto.applicantPersonId,
          programmeCodes: dto.programmeCodes,
          katottg: dto.katottg,
          submittedOn,
          decisionDueOn: app.decisionDueOn,
        },
        { aggregateId: id },
      );
      // The application's account is only a proposal: the register opens a change request (a second person
      // decides there) and the assignment carries the register's approved account until it publishes the new one.
      // Processing cannot compare it with the register's account (it can read neither): it always sends it, and
      // the register does nothing when it already holds that account.
      if (proposed) {
        await this.outbox.append(
          ApplicationPaymentAccountProposedV2,
          {
            applicationId: id,
            personId: dto.applicantPersonId,
            account: proposed,
            proposedBy: principal.id,
            channel: dto.channel,
            katottg: dto.katottg,
            proposedAt: this.clock.now().toISOString(),
          },
          { aggregateId: id },
        );
      }
      for (const r of requests) {
        await this.outbox.append(
          VerificationRequestedV1,
          {
            requestId: r.requestId,
            kind: 'preventive',
            applicationId: id,
            assignmentId: null,
            programmeCode: r.code,
            katottg: dto.katottg,
            periodFrom: addMonths(submittedOn, -3),
            periodTo: submittedOn,
            persons: members.map((m) => {
              const p = known.get(m.personId)!;
              // The statuses on the check date (the date of application) let verification apply exemptions (orphans, disability…).
              return {
                personId: m.personId,
                role: m.role,
                birthDate: p.birthDate,
                lastName: p.lastName,
                firstName: p.firstName,
                statuses: statusesOn(p, submittedOn),
              };
            }),
          },
          { aggregateId: r.requestId },
        );
      }
      await this.audit.recordRead(principal, 'person', [...seen], 'application card');
      return {
        app,
        decisions: decisions.sort((x, y) => (x.programmeCode < y.programmeCode ? -1 : x.programmeCode > y.programmeCode ? 1 : 0)),
      };
    });
    if (!result) {
      const raced = await this.applications.findByClientRequestId(dto.clientRequestId);
      return { application: this.checkRetry(principal, raced!, fingerprint), created: false };
    }
    return { application: result.app, created: true, decisions: result.decisions };
  }

  /**
   * The account the application proposes (validated), sealed for the register at once: processing keeps
   * and sends only the masked and sealed form. Null when it proposes none.
   */
  private async proposedAccount(dto: SubmitApplicationDto): Promise<ProposedAccount | null> {
    const p = dto.payment;
    if (!p) return null;
    let plain: PlainAccount;
    if (p.method === 'bank') {
      if (!isValidUaIban(p.iban))
        throw DomainError.validation(
          ApplicationErrorCode.PAYMENT_DETAILS_INVALID,
          'a valid Ukrainian IBAN (UA, check digits, 27 characters) is required',
          'payment.iban',
        );
      plain = { method: 'bank', iban: p.iban };
    } else {
      if (!p.postcode || !/^[0-9]{5}$/.test(p.postcode))
        throw DomainError.validation(ApplicationErrorCode.PAYMENT_DETAILS_INVALID, 'a postcode is required', 'payment.postcode');
      plain = { method: 'post', postcode: p.postcode };
    }
    return this.sealing.proposal(plain);
  }

  private checkRetry(principal: Principal, existing: ApplicationRecord, fingerprint: string): ApplicationRecord {
    if (existing.requestFingerprint !== fingerprint) {
      throw DomainError.conflict(
        ApplicationErrorCode.IDEMPOTENCY_KEY_REUSED,
        'this client request id was used for a different application',
        'clientRequestId',
        { applicationId: existing.id },
      );
    }
    this.checkAccess(principal, existing);
    return existing;
  }

  private checkAccess(principal: Principal, app: ApplicationRecord): void {
    if (isCitizenOnly(principal)) {
      if (principal.personId !== app.applicantPersonId)
        throw DomainError.notFound(ApplicationErrorCode.APPLICATION_NOT_FOUND, `application ${app.id} not found`);
      return;
    }
    assertTerritory(principal, app.katottg);
  }

  /**
   * The facts the rules see: the register projection (birth, death, statuses) plus what the application declares;
   * for the low-income family assistance also the family's income from the tax service's income facts
   * (income_fact) over the look-back, preferred by the rules to the declared income.
   */
  private async facts(app: ApplicationRecord): Promise<ApplicationFacts> {
    const known = new Map<string, KnownPerson>(
      (await this.persons.findKnown(app.household.members.map((m) => m.personId))).map((p) => [p.personId, p]),
    );
    const members: MemberFact[] = app.household.members.map((m) => {
      const p = known.get(m.personId);
      const registered = (p?.statuses ?? []).map((s) => ({
        statusId: s.statusId,
        type: s.type,
        validFrom: s.validFrom,
        validTo: s.validTo,
        details: s.details,
      }));
      const declared = (m.statuses ?? [])
        .filter((s) => !registered.some((r) => r.type === s.type))
        .map((s) => ({ statusId: null, type: s.type, validFrom: s.validFrom, validTo: s.validTo ?? null, details: s.details ?? {} }));
      return {
        personId: m.personId,
        role: m.role,
        relation: m.relation as Relation,
        birthDate: p!.birthDate,
        deathDate: p!.deathDate,
        statuses: [...registered, ...declared],
        mobilised: m.mobilised,
        fullStateSupport: m.fullStateSupport,
        stillborn: m.stillborn,
        parentalRightsDeprived: m.parentalRightsDeprived,
        studying: m.studying,
      };
    });
    const familyIncomeFacts = app.programmeCodes.includes(LOW_INCOME_PROGRAMME_CODE)
      ? await this.familyIncomeFacts(app.submittedOn, members)
      : undefined;
    // The community of origin's rows of the official list of territories (the IDP rules decide on them).
    return this.territories.withOriginTerritory({
      applicationDate: app.submittedOn,
      applicantPersonId: app.applicantPersonId,
      members,
      averageMonthlyIncomePerPersonKopiyky: app.averageIncomeKopiyky,
      ...(familyIncomeFacts !== undefined ? { familyIncomeFacts } : {}),
    });
  }

  /** The family's income from the tax facts of its members over the low-income look-back (null: no fact of anyone). */
  private async familyIncomeFacts(applicationDate: string, members: MemberFact[]): Promise<ApplicationFacts['familyIncomeFacts']> {
    const months = incomeLookBack(applicationDate);
    const lines = await this.employment.incomeFactsOf(
      members.map((m) => m.personId),
      months[0]!,
      months[months.length - 1]!,
    );
    return familyIncomeFromTax({ applicationDate, members, lines });
  }

  /** The preventive verification answered: refuse on a 'refuse' finding, hold for an officer on 'review', else the rules decide. */
  async onVerificationCompleted(payload: Completed): Promise<void> {
    const locked = await this.applications.lockDecisionByRequest(payload.requestId);
    if (!locked || locked.decision.status !== 'awaiting_verification') return;
    const { decision, application: app, requiresApproval } = locked;
    const facts = await this.facts(app);
    const e = evaluateProgramme(decision.programmeCode, facts, this.params);
    const refuse = payload.findings.filter((f) => f.recommendedAction === 'refuse');
    const review = payload.findings.filter((f) => ['review', 'suspend', 'stop_payment'].includes(f.recommendedAction));
    const verificationNode: ExplanationNode = {
      rule: 'verification.preventive',
      title: 'Preventive verification against the state registers',
      legalRef: "КМУ № 332, п. 7; Закон «Про державну допомогу сім'ям з дітьми», ст. 5",
      outcome: refuse.length ? 'failed' : review.length ? 'info' : 'passed',
      facts: {
        requestId: payload.requestId,
        outcome: payload.outcome,
        checkedOn: payload.checkedOn,
        findings: payload.findings.map((f) => ({
          findingId: f.findingId,
          personId: f.personId,
          rule: f.rule,
          recommendedAction: f.recommendedAction,
        })),
      },
      parameters: [],
    };
    const evaluation: StoredEvaluationWithFacts = {
      ...e,
      months: toStoredMonths(e.months),
      explanation: {
        rule: 'decision',
        title: `Decision on ${decision.programmeCode}`,
        legalRef: '',
        outcome: refuse.length ? 'failed' : e.eligible ? 'passed' : 'failed',
        facts: { applicationId: app.id },
        parameters: [],
        children: [verificationNode, e.explanation],
      },
      facts,
    };
    const next: DecisionRecord = { ...decision, verification: payload, evaluation };
    let written: DecisionRecord;
    if (refuse.length) {
      written = await this.finalize(
        app,
        next,
        'refused',
        refuse.map((f) => ({ code: findingReasonCode(f.rule), text: `verification finding ${f.findingId}: ${f.rule}` })),
        SYSTEM_ACTOR,
        null,
      );
    } else if (review.length || (requiresApproval ?? REQUIRES_APPROVAL_BY_DEFAULT)) {
      written = { ...next, status: 'awaiting_officer' };
      await this.applications.updateDecision(written);
    } else {
      // The rules decide alone (verification passed, no officer involved): recorded as the system's decision.
      written = await this.finalize(app, next, e.eligible ? 'granted' : 'refused', e.eligible ? [] : e.reasons, SYSTEM_ACTOR, null);
    }
    // An application for one programme has only this decision (locked above): its status follows without reading it back.
    await this.refreshStatus(app, SYSTEM_ACTOR, app.programmeCodes.length === 1 ? [written] : undefined);
  }

  private async finalize(
    app: ApplicationRecord,
    d: DecisionRecord,
    outcome: 'granted' | 'refused',
    reasons: Reason[],
    decidedBy: string,
    approvedBy: string | null,
  ): Promise<DecisionRecord> {
    let assignmentId: string | null = null;
    if (outcome === 'granted') {
      const ev = d.evaluation as StoredEvaluationWithFacts;
      const a = await this.assignments.grant({
        applicationId: app.id,
        evaluation: ev,
        facts: ev.facts,
        katottg: app.katottg,
        actor: { by: decidedBy, approvedBy },
      });
      assignmentId = a.id;
    }
    const written: DecisionRecord = {
      ...d,
      status: outcome,
      reasons,
      decidedBy,
      approvedBy,
      decidedOn: this.today(),
      assignmentId,
    };
    await this.applications.updateDecision(written);
    return written;
  }

  /** The application's status from its decisions (read unless the caller holds all of them, as written in this transaction). */
  private async refreshStatus(app: ApplicationRecord, actor: string, known?: DecisionRecord[]): Promise<void> {
    const decisions = known ?? (await this.applications.decisionsOf([app.id]));
    const status: ApplicationStatus = decisions.every((d) => d.status === 'granted' || d.status === 'refused')
      ? 'decided'
      : decisions.some((d) => d.status === 'awaiting_verification')
        ? 'awaiting_verification'
        : 'under_review';
    if (status === app.status) return;
    const decidedOn = status === 'decided' ? this.today() : null;
    await this.applications.updateStatus(app.id, status, decidedOn, { status, at: this.clock.now().toISOString(), by: actor });
    if (status === 'decided') {
      await this.outbox.append(
        ApplicationDecidedV1,
        {
          applicationId: app.id,
          applicantPersonId: app.applicantPersonId,
          decidedOn: decidedOn!,
          decisions: decisions.map((d) => ({
            programmeCode: d.programmeCode,
            outcome: d.status as 'granted' | 'refused',
            reasons: d.reasons,
            assignmentId: d.assignmentId,
          })),
        },
        { aggregateId: app.id },
      );
    }
  }

  private async loadDecision(
    principal: Principal,
    applicationId: string,
    programmeCode: string,
  ): Promise<{ app: ApplicationRecord; decision: DecisionRecord }> {
    const app = await this.applications.lockById(applicationId);
    if (!app) throw DomainError.notFound(ApplicationErrorCode.APPLICATION_NOT_FOUND, `application ${applicationId} not found`);
    assertTerritory(principal, app.katottg);
    const decision = await this.applications.lockDecision(applicationId, programmeCode);
    if (!decision)
      throw DomainError.notFound(ApplicationErrorCode.DECISION_NOT_FOUND, `application ${applicationId} does not ask for ${programmeCode}`);
    return { app, decision };
  }

  /**
   * An officer proposes a grant or a refusal (maker); a supervisor other than the officer approves it
   * (checker). A manual decision always needs the second person, whatever the programme's settings.
   */
  @Transactional()
  async propose(
    principal: Principal,
    applicationId: string,
    programmeCode: string,
    outcome: 'granted' | 'refused',
    reasons: Reason[] | undefined,
  ): Promise<void> {
    const { app, decision } = await this.loadDecision(principal, applicationId, programmeCode);
    if (decision.status !== 'awaiting_officer')
      throw DomainError.conflict(ApplicationErrorCode.DECISION_NOT_AWAITING_OFFICER, `the decision is ${decision.status}`);
    const ev = decision.evaluation!;
    if (outcome === 'granted' && !ev.eligible)
      throw DomainError.unprocessable(
        ApplicationErrorCode.RULES_DO_NOT_GRANT,
        'the rules refuse this programme; it cannot be granted',
        'outcome',
        { reasons: ev.reasons },
      );
    const finalReasons = outcome === 'refused' ? (reasons?.length ? reasons : ev.eligible ? [] : ev.reasons) : [];
    if (outcome === 'refused' && finalReasons.length === 0)
      throw DomainError.validation(ApplicationErrorCode.REFUSAL_REASON_REQUIRED, 'a refusal needs a reason', 'reasons');
    await this.applications.updateDecision({
      ...decision,
      status: 'awaiting_approval',
      proposal: { outcome, reasons: finalReasons, proposedBy: principal.id, proposedAt: this.clock.now().toISOString() },
    });
    await this.refreshStatus(app, principal.id);
  }

  /** A supervisor approves (checker) or returns the proposal; never the officer who proposed it. */
  @Transactional()
  async approve(principal: Principal, applicationId: string, programmeCode: string, approve: boolean, comment?: string): Promise<void> {
    const { app, decision } = await this.loadDecision(principal, applicationId, programmeCode);
    if (decision.status !== 'awaiting_approval' || !decision.proposal)
      throw DomainError.conflict(ApplicationErrorCode.DECISION_NOT_AWAITING_APPROVAL, `the decision is ${decision.status}`);
    if (decision.proposal.proposedBy === principal.id)
      throw DomainError.forbidden(ApplicationErrorCode.MAKER_CHECKER_SAME_PERSON, 'the proposal must be approved by another person');
    if (approve) {
      await this.finalize(app, decision, decision.proposal.outcome, decision.proposal.reasons, decision.proposal.proposedBy, principal.id);
      await this.refreshStatus(app, principal.id);
    } else {
      await this.applications.updateDecision({ ...decision, status: 'awaiting_officer', proposal: null });
      await this.applications.updateStatus(app.id, app.status, null, {
        status: app.status,
        at: this.clock.now().toISOString(),
        by: principal.id,
        note: `proposal returned: ${comment ?? ''}`,
      });
    }
  }

  async get(principal: Principal, id: string): Promise<{ application: ApplicationRecord; decisions: DecisionRecord[] }> {
    const app = await this.applications.findById(id);
    if (!app) throw DomainError.notFound(ApplicationErrorCode.APPLICATION_NOT_FOUND, `application ${id} not found`);
    this.checkAccess(principal, app);
    await this.audit.recordRead(principal, 'person', [...new Set(app.household.members.map((m) => m.personId))], 'application card');
    return { application: app, decisions: await this.applications.decisionsOf([id]) };
  }

  async notice(principal: Principal, id: string): Promise<Notice> {
    const { application, decisions } = await this.get(principal, id);
    return renderNotice(application, decisions);
  }

  async list(
    principal: Principal,
    q: { status?: string; applicantPersonId?: string; katottg?: string } & PageRequest,
  ): Promise<{ items: { application: ApplicationRecord; decisions: DecisionRecord[] }[]; total: number | null }> {
    const citizen = isCitizenOnly(principal);
    if (citizen && !principal.personId) return { items: [], total: q.withTotal === false ? null : 0 };
    const page = await this.applications.list({
      ...q,
      territory: citizen ? 'UA' : principal.territory,
      applicantPersonId: citizen ? principal.personId : q.applicantPersonId,
    });
    const decisions = await this.applications.decisionsOf(page.items.map((a) => a.id));
    await this.audit.recordRead(principal, 'person', [...new Set(page.items.map((a) => a.applicantPersonId))], 'application list');
    return {
      items: page.items.map((a) => ({ application: a, decisions: decisions.filter((d) => d.applicationId === a.id) })),
      total: page.total,
    };
  }

  /** Undecided applications at risk (due within N working days) or overdue, per office territory. */
  async deadlines(principal: Principal, q: { asOf?: string; withinWorkingDays?: number; katottg?: string } & PageRequest) {
    const asOf = q.asOf ?? this.today();
    const within = q.withinWorkingDays ?? 2;
    const dueBy = this.calendar.addWorkingDays(asOf, within);
    const page = await this.applications.dueBy({
      territory: principal.territory,
      katottg: q.katottg,
      dueBy,
      limit: q.limit,
      offset: q.offset,
      withTotal: q.withTotal,
    });
    const byOffice = await this.applications.dueByOffice({ territory: principal.territory, katottg: q.katottg, dueBy, asOf });
    return {
      asOf,
      total: page.total,
      byOffice,
      items: page.items.map((a) => {
        const overdue = a.decisionDueOn < asOf;
        return {
          applicationId: a.id,
          katottg: a.katottg,
          status: a.status,
          submittedOn: a.submittedOn,
          decisionDueOn: a.decisionDueOn,
          workingDaysLeft: overdue
            ? -this.calendar.workingDaysBetween(a.decisionDueOn, asOf)
            : this.calendar.workingDaysBetween(asOf, a.decisionDueOn),
          state: overdue ? ('overdue' as const) : ('at_risk' as const),
        };
      }),
    };
  }

  async programmes() {
    const settings = await this.applications.settings();
    return Object.values(PROGRAMMES).map((p) => ({
      code: p.code,
      title: p.title,
      versionSelectedBy: p.selectorName,
      requiresApproval: settings.get(p.code) ?? REQUIRES_APPROVAL_BY_DEFAULT,
      ruleSets: p.ruleSets.map((r) => ({
        version: r.version,
        effectiveFrom: r.effectiveFrom,
        effectiveTo: r.effectiveTo,
        rules: r.rules,
        sourceNotes: r.sourceNotes,
      })),
    }));
  }

  async recalculateProgramme(principal: Principal, code: string, reason: Reason): Promise<ActOutcome<ProgrammeRecalculationResult>> {
    if (!programmeOf(code)) throw DomainError.notFound(ApplicationErrorCode.PROGRAMME_UNKNOWN, `programme ${code} is not known`);
    return this.assignments.recalculateProgramme(principal, code, reason);
  }

  /**
   * Asks to change a programme's settings (maker-checker on or off): of national scope (territory UA),
   * a second national supervisor's approval applies it (audited). Nothing changes until then.
   */
  async requestSettings(principal: Principal, code: string, requiresApproval: boolean, reason: string): Promise<DualControlRequest> {
    if (!programmeOf(code)) throw DomainError.notFound(ApplicationErrorCode.PROGRAMME_UNKNOWN, `programme ${code} is not known`);
    return this.dual.request(principal, {
      action: PROGRAMME_SETTINGS_ACT,
      subjectType: 'programme',
      subjectId: code,
      katottg: null,
      payload: { requiresApproval },
      reason,
    });
  }
}
