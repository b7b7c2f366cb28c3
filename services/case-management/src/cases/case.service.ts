import { CaseClosedV1, CaseOpenedV1, type PayloadOf } from '@eisss/contracts';
import {
  AuditLog,
  Clock,
  DomainError,
  OutboxWriter,
  Transactional,
  WorkingCalendar,
  assertTerritory,
  type Principal,
} from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { computeDeadlines } from '../deadlines/deadline-rules';
import { CaseAccess } from './case-access.service';
import { CaseErrorCode } from './case.errors';
import {
  CaseRepository,
  type AttachmentRecord,
  type CaseCategory,
  type CaseListFilter,
  type CaseRecord,
  type JournalRecord,
  type NoteRecord,
  type TeamMemberRecord,
} from './case.repository';
import { assertServiceCodes } from './service-classifier';

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

/** The register status a case is opened from (difficult life circumstances, a child deprived of parental care). */
export interface RegisterStatusIntake {
  statusId: string;
  personId: string;
  katottg: string | null;
  type: string;
  validFrom: string;
  crisis: boolean;
}

/** The sections of the case file the case itself keeps. */
export interface CaseRecords {
  notes: NoteRecord[];
  attachments: AttachmentRecord[];
  team: TeamMemberRecord[];
  journal: JournalRecord[];
}

/**
 * The life of the case: intake, decision, routing (assign, return, re-route), closure, and its notes,
 * attachments and team. Every status change goes through the state machine (CaseAccess.move).
 */
@Injectable()
export class CaseService {
  constructor(
    private readonly cases: CaseRepository,
    private readonly access: CaseAccess,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditLog,
    private readonly calendar: WorkingCalendar,
    private readonly clock: Clock,
  ) {}

  // ---------- intake ----------

  /** Opens a case on a request, report or identification; idempotent by clientRequestId. */
  @Transactional()
  async open(principal: Principal, cmd: OpenCaseCommand): Promise<{ case: CaseRecord; created: boolean }> {
    assertTerritory(principal, cmd.katottg);
    assertServiceCodes(cmd.requestedServices ?? [], 'requestedServices');
    if (cmd.clientRequestId) {
      const existing = await this.cases.findByClientRequestId(cmd.clientRequestId);
      if (existing) return { case: this.sameRequest(existing, cmd), created: false };
    }
    const c = await this.insert(principal.id, cmd, null);
    if (!c) {
      const existing = await this.cases.findByClientRequestId(cmd.clientRequestId!);
      return { case: this.sameRequest(existing!, cmd), created: false };
    }
    return { case: c, created: true };
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
  @Transactional()
  async openFromRegisterStatus(s: RegisterStatusIntake): Promise<CaseRecord | null> {
    if (!s.katottg)
      throw DomainError.unprocessable(
        CaseErrorCode.CASE_TERRITORY_REQUIRED,
        'a status without КАТОТТГ cannot be routed to a registrar body',
        'katottg',
      );
    return this.insert(
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

  private async insert(actorId: string, cmd: OpenCaseCommand, sourceStatusId: string | null): Promise<CaseRecord | null> {
    const deadlines = computeDeadlines(
      { requestDate: cmd.requestDate, crisis: cmd.crisis ?? false, requestedServices: cmd.requestedServices },
      this.calendar,
    );
    const c = await this.cases.insertCase({
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
    await this.cases.journal({
      caseId: c.id,
      action: 'open',
      to: 'open',
      actorId,
      data: { channel: c.channel, explanation: deadlines.explanation },
    });
    await this.outbox.append(
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

  @Transactional()
  async list(principal: Principal, f: Omit<CaseListFilter, 'territory'>): Promise<{ items: CaseRecord[]; total: number | null }> {
    const page = await this.cases.list({ ...f, territory: principal.territory });
    await this.audit.recordRead(principal, 'person', [...new Set(page.items.map((c) => c.personId))], 'case list');
    return page;
  }

  /** The notes, attachments, team and journal of a case (for the case file; the caller checked access). */
  async recordsOf(caseId: string): Promise<CaseRecords> {
    const [notes, attachments, team, journal] = await Promise.all([
      this.cases.notesOf(caseId),
      this.cases.attachmentsOf(caseId),
      this.cases.teamOf(caseId),
      this.cases.journalOf(caseId),
    ]);
    return { notes, attachments, team, journal };
  }

  // ---------- decision and closure ----------

  @Transactional()
  async decide(
    principal: Principal,
    id: string,
    cmd: { decision: 'grant' | 'refuse'; decidedOn: string; reasons: string; automated?: boolean },
  ): Promise<CaseRecord> {
    const c = await this.access.forChange(principal, id);
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
    return this.access.move(principal, c, cmd.decision === 'grant' ? 'grant' : 'refuse', { decision }, cmd.reasons, decision);
  }

  @Transactional()
  async close(
    principal: Principal,
    id: string,
    cmd: { closedOn: string; outcome: CaseOutcome; finalEvaluation: string },
  ): Promise<CaseRecord> {
    const c = await this.access.forChange(principal, id);
    if (cmd.closedOn < c.requestDate)
      throw DomainError.validation(CaseErrorCode.CASE_DATE_BEFORE_REQUEST, 'a case cannot close before its request', 'closedOn');
    const closed = await this.access.move(
      principal,
      c,
      'close',
      { closure: { closedOn: cmd.closedOn, outcome: cmd.outcome, finalEvaluation: cmd.finalEvaluation } },
      cmd.finalEvaluation,
      { outcome: cmd.outcome },
    );
    await this.outbox.append(
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
    return closed;
  }

  // ---------- routing and people ----------

  @Transactional()
  async assign(principal: Principal, id: string, cmd: { workerId: string; reason?: string }): Promise<CaseRecord> {
    const c = await this.access.forChange(principal, id);
    // A closed case takes no worker: the same 409 as any other move out of closure.
    if (c.status === 'closed') this.access.assertAllowed(c, 'close');
    const assigned = await this.cases.assignWorker(id, cmd.workerId);
    await this.cases.journal({
      caseId: id,
      action: c.workerId ? 'reassign' : 'assign',
      actorId: principal.id,
      reason: cmd.reason,
      data: { from: c.workerId, to: cmd.workerId },
    });
    return assigned;
  }

  /** Returns the case from the wrong registrar body; it keeps everything and waits to be re-routed. */
  @Transactional()
  async returnCase(principal: Principal, id: string, cmd: { reason: string }): Promise<CaseRecord> {
    const c = await this.access.forChange(principal, id);
    return this.access.move(principal, c, 'return', { returnedFrom: c.status }, cmd.reason);
  }

  /** Re-routes a returned case to another body (КАТОТТГ): it comes back in the stage it left, with all its history. */
  @Transactional()
  async reroute(principal: Principal, id: string, cmd: { katottg: string; reason: string }): Promise<CaseRecord> {
    const c = await this.access.forChange(principal, id);
    this.access.assertAllowed(c, 'reroute');
    if (cmd.katottg === c.katottg)
      throw DomainError.validation(CaseErrorCode.CASE_REROUTE_SAME_BODY, 'the case is already with this body', 'katottg');
    return this.access.move(principal, c, 'reroute', { returnedFrom: null, katottg: cmd.katottg, workerId: null }, cmd.reason, {
      fromKatottg: c.katottg,
      toKatottg: cmd.katottg,
      previousWorker: c.workerId,
    });
  }

  @Transactional()
  async addNote(principal: Principal, id: string, cmd: { text: string; notedOn?: string }): Promise<{ id: string }> {
    await this.access.forChange(principal, id);
    const noteId = randomUUID();
    await this.cases.insertNote({
      id: noteId,
      caseId: id,
      authorId: principal.id,
      text: cmd.text,
      notedOn: cmd.notedOn ?? this.clock.today(),
    });
    return { id: noteId };
  }

  @Transactional()
  async addAttachment(
    principal: Principal,
    id: string,
    cmd: { uri: string; sha256: string; fileName: string; mediaType: string },
  ): Promise<{ id: string }> {
    await this.access.forChange(principal, id);
    const attachmentId = await this.cases.insertAttachment({
      id: randomUUID(),
      caseId: id,
      ...cmd,
      sha256: cmd.sha256.toLowerCase(),
      addedBy: principal.id,
    });
    await this.cases.journal({
      caseId: id,
      action: 'attach',
      actorId: principal.id,
      data: { attachmentId, sha256: cmd.sha256.toLowerCase() },
    });
    return { id: attachmentId };
  }

  @Transactional()
  async addTeamMember(principal: Principal, id: string, cmd: { memberId: string; role: string; organisation?: string }): Promise<void> {
    await this.access.forChange(principal, id);
    await this.cases.insertTeamMember({
      caseId: id,
      memberId: cmd.memberId,
      role: cmd.role,
      organisation: cmd.organisation ?? null,
      addedBy: principal.id,
    });
    await this.cases.journal({
      caseId: id,
      action: 'team-add',
      actorId: principal.id,
      data: { memberId: cmd.memberId, role: cmd.role },
    });
  }
}
