import { DomainError, TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { CaseErrorCode } from './case.errors';
import type { CaseStatus } from './case.state-machine';

export type CaseCategory = 'adult' | 'child_deprived_of_parental_care';

export interface CaseRecord {
  id: string;
  personId: string;
  katottg: string;
  category: CaseCategory;
  channel: string;
  reporter: string | null;
  crisis: boolean;
  requestDate: string;
  requestedServices: string[];
  status: CaseStatus;
  returnedFrom: CaseStatus | null;
  ruleSetVersion: string;
  assessmentDue: string;
  decisionDue: string;
  reviewDue: string | null;
  workerId: string | null;
  decision: Record<string, unknown> | null;
  outcome: string | null;
  finalEvaluation: string | null;
  closedOn: string | null;
  clientRequestId: string | null;
  createdAt: string;
  version: number;
}

export type NewCase = Omit<
  CaseRecord,
  'createdAt' | 'version' | 'returnedFrom' | 'decision' | 'outcome' | 'finalEvaluation' | 'closedOn' | 'reviewDue'
> & { sourceStatusId: string | null; createdBy: string };

/**
 * What a status change writes besides the status, by name (the repository knows the columns).
 * A property left out keeps its value; `null` clears it.
 */
export interface TransitionChanges {
  crisis?: boolean;
  decision?: Record<string, unknown> | null;
  reviewDue?: string;
  returnedFrom?: CaseStatus | null;
  katottg?: string;
  workerId?: string | null;
  closure?: { closedOn: string; outcome: string; finalEvaluation: string };
}

export interface JournalEntry {
  caseId: string;
  action: string;
  from?: string | null;
  to?: string | null;
  actorId: string;
  reason?: string | null;
  data?: Record<string, unknown>;
}

export interface JournalRecord {
  seq: number;
  action: string;
  from: string | null;
  to: string | null;
  actorId: string;
  reason: string | null;
  data: Record<string, unknown>;
  at: string;
}

export interface NoteRecord {
  id: string;
  authorId: string;
  text: string;
  notedOn: string;
  createdAt: string;
}

export interface AttachmentRecord {
  id: string;
  uri: string;
  sha256: string;
  fileName: string;
  mediaType: string;
  addedBy: string;
  addedAt: string;
}

export interface TeamMemberRecord {
  memberId: string;
  role: string;
  organisation: string | null;
}

export interface CaseListFilter {
  territory: string;
  status?: string;
  workerId?: string;
  personId?: string;
  katottg?: string;
  category?: string;
  limit: number;
  offset: number;
  /** false: skip the count (total null). */
  withTotal?: boolean;
}

interface CaseRow {
  id: string;
  person_id: string;
  katottg: string;
  category: CaseCategory;
  channel: string;
  reporter: string | null;
  crisis: boolean;
  request_date: string;
  requested_services: string[] | null;
  status: CaseStatus;
  returned_from: CaseStatus | null;
  rule_set_version: string;
  assessment_due: string;
  decision_due: string;
  review_due: string | null;
  worker_id: string | null;
  decision: Record<string, unknown> | null;
  outcome: string | null;
  final_evaluation: string | null;
  closed_on: string | null;
  client_request_id: string | null;
  created_at: Date | string;
  version: number;
}

interface JournalRow {
  seq: string | number;
  action: string;
  from_status: string | null;
  to_status: string | null;
  actor_id: string;
  reason: string | null;
  data: Record<string, unknown>;
  at: Date | string;
}

interface NoteRow {
  id: string;
  author_id: string;
  text: string;
  noted_on: string;
  created_at: Date | string;
}

interface AttachmentRow {
  id: string;
  uri: string;
  sha256: string;
  file_name: string;
  media_type: string;
  added_by: string;
  added_at: Date | string;
}

interface TeamMemberRow {
  member_id: string;
  role: string;
  organisation: string | null;
}

const toCase = (r: CaseRow): CaseRecord => ({
  id: r.id,
  personId: r.person_id,
  katottg: r.katottg,
  category: r.category,
  channel: r.channel,
  reporter: r.reporter,
  crisis: r.crisis,
  requestDate: r.request_date,
  requestedServices: r.requested_services ?? [],
  status: r.status,
  returnedFrom: r.returned_from,
  ruleSetVersion: r.rule_set_version,
  assessmentDue: r.assessment_due,
  decisionDue: r.decision_due,
  reviewDue: r.review_due,
  workerId: r.worker_id,
  decision: r.decision,
  outcome: r.outcome,
  finalEvaluation: r.final_evaluation,
  closedOn: r.closed_on,
  clientRequestId: r.client_request_id,
  createdAt: new Date(r.created_at).toISOString(),
  version: r.version,
});

const CASE_COLUMNS = `id, person_id, katottg, category, channel, reporter, crisis, request_date::text AS request_date, requested_services, status, returned_from,
  rule_set_version, assessment_due::text AS assessment_due, decision_due::text AS decision_due, review_due::text AS review_due, worker_id, decision,
  outcome, final_evaluation, closed_on::text AS closed_on, client_request_id, created_at, version`;

/** The SQL of the case itself (its row, journal, notes, attachments and team). */
@Injectable()
export class CaseRepository {
  constructor(private readonly db: TransactionHost) {}

  /** Inserts a case; null when one with the same client request id or register status exists already. */
  async insertCase(c: NewCase): Promise<CaseRecord | null> {
    const row = await this.db.one<CaseRow>(
      `INSERT INTO case_management."case" (id, person_id, katottg, category, channel, reporter, crisis, request_date, requested_services, status, rule_set_version,
         assessment_due, decision_due, worker_id, client_request_id, source_status_id, created_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)
       ON CONFLICT DO NOTHING
       RETURNING ${CASE_COLUMNS}`,
      [
        c.id,
        c.personId,
        c.katottg,
        c.category,
        c.channel,
        c.reporter,
        c.crisis,
        c.requestDate,
        c.requestedServices,
        c.status,
        c.ruleSetVersion,
        c.assessmentDue,
        c.decisionDue,
        c.workerId,
        c.clientRequestId,
        c.sourceStatusId,
        c.createdBy,
      ],
    );
    return row ? toCase(row) : null;
  }

  async findById(id: string): Promise<CaseRecord | null> {
    const row = await this.db.one<CaseRow>(`SELECT ${CASE_COLUMNS} FROM case_management."case" WHERE id = $1`, [id]);
    return row ? toCase(row) : null;
  }

  /** The case, locked for change until the transaction ends. */
  async lockById(id: string): Promise<CaseRecord | null> {
    this.db.assertActive('locking a case');
    const row = await this.db.one<CaseRow>(`SELECT ${CASE_COLUMNS} FROM case_management."case" WHERE id = $1 FOR UPDATE`, [id]);
    return row ? toCase(row) : null;
  }

  async findByClientRequestId(clientRequestId: string): Promise<CaseRecord | null> {
    const row = await this.db.one<CaseRow>(`SELECT ${CASE_COLUMNS} FROM case_management."case" WHERE client_request_id = $1`, [
      clientRequestId,
    ]);
    return row ? toCase(row) : null;
  }

  /**
   * The only writer of a case's status: moves it from `from` to `to` (guarded by the status it has now,
   * so a concurrent change is a 409) with what the step records besides.
   */
  async applyTransition(caseId: string, from: CaseStatus, to: CaseStatus, changes: TransitionChanges = {}): Promise<CaseRecord> {
    const params: unknown[] = [caseId, from, to];
    const set = ['status = $3'];
    const put = (column: string, value: unknown) => {
      params.push(value);
      set.push(`${column} = $${params.length}`);
    };
    if (changes.crisis !== undefined) put('crisis', changes.crisis);
    if (changes.decision !== undefined) put('decision', changes.decision === null ? null : JSON.stringify(changes.decision));
    if (changes.reviewDue !== undefined) put('review_due', changes.reviewDue);
    if (changes.returnedFrom !== undefined) put('returned_from', changes.returnedFrom);
    if (changes.katottg !== undefined) put('katottg', changes.katottg);
    if (changes.workerId !== undefined) put('worker_id', changes.workerId);
    if (changes.closure) {
      put('closed_on', changes.closure.closedOn);
      put('outcome', changes.closure.outcome);
      put('final_evaluation', changes.closure.finalEvaluation);
    }
    const rows = await this.db.query<CaseRow>(
      `UPDATE case_management."case" SET ${set.join(', ')}, updated_at = now(), version = version + 1
        WHERE id = $1 AND status = $2 RETURNING ${CASE_COLUMNS}`,
      params,
    );
    if (!rows[0])
      throw DomainError.conflict(CaseErrorCode.CASE_ILLEGAL_TRANSITION, `the case is no longer ${from}`, undefined, { from, to });
    return toCase(rows[0]);
  }

  async assignWorker(caseId: string, workerId: string): Promise<CaseRecord> {
    return this.updateOne(`worker_id = $2`, [caseId, workerId]);
  }

  async setReviewDue(caseId: string, reviewDue: string): Promise<CaseRecord> {
    return this.updateOne(`review_due = $2`, [caseId, reviewDue]);
  }

  private async updateOne(assignment: string, params: unknown[]): Promise<CaseRecord> {
    const rows = await this.db.query<CaseRow>(
      `UPDATE case_management."case" SET ${assignment}, updated_at = now(), version = version + 1 WHERE id = $1 RETURNING ${CASE_COLUMNS}`,
      params,
    );
    return toCase(rows[0]!);
  }

  async list(f: CaseListFilter): Promise<{ items: CaseRecord[]; total: number | null }> {
    const where = [`katottg LIKE $1 || '%'`];
    const params: unknown[] = [f.territory === 'UA' ? 'UA' : f.territory];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.status) add('status = ?', f.status);
    if (f.workerId) add('worker_id = ?', f.workerId);
    if (f.personId) add('person_id = ?', f.personId);
    if (f.katottg) add(`katottg LIKE ? || '%'`, f.katottg);
    if (f.category) add('category = ?', f.category);
    const w = where.join(' AND ');
    const total = await this.db.total(f, `SELECT count(*)::int AS total FROM case_management."case" WHERE ${w}`, params);
    const rows = await this.db.query<CaseRow>(
      `SELECT ${CASE_COLUMNS} FROM case_management."case" WHERE ${w} ORDER BY request_date DESC, id LIMIT ${f.limit} OFFSET ${f.offset}`,
      params,
    );
    return { items: rows.map(toCase), total };
  }

  async journal(e: JournalEntry): Promise<void> {
    await this.db.query(
      `INSERT INTO case_management.case_journal (case_id, action, from_status, to_status, actor_id, reason, data) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
      [e.caseId, e.action, e.from ?? null, e.to ?? null, e.actorId, e.reason ?? null, JSON.stringify(e.data ?? {})],
    );
  }

  async journalOf(caseId: string): Promise<JournalRecord[]> {
    const rows = await this.db.query<JournalRow>(
      `SELECT seq, action, from_status, to_status, actor_id, reason, data, at FROM case_management.case_journal WHERE case_id = $1 ORDER BY seq`,
      [caseId],
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      action: r.action,
      from: r.from_status,
      to: r.to_status,
      actorId: r.actor_id,
      reason: r.reason,
      data: r.data,
      at: new Date(r.at).toISOString(),
    }));
  }

  async insertNote(n: { id: string; caseId: string; authorId: string; text: string; notedOn: string }): Promise<void> {
    await this.db.query(`INSERT INTO case_management.case_note (id, case_id, author_id, text, noted_on) VALUES ($1,$2,$3,$4,$5)`, [
      n.id,
      n.caseId,
      n.authorId,
      n.text,
      n.notedOn,
    ]);
  }

  async notesOf(caseId: string): Promise<NoteRecord[]> {
    const rows = await this.db.query<NoteRow>(
      `SELECT id, author_id, text, noted_on::text AS noted_on, created_at FROM case_management.case_note WHERE case_id = $1 ORDER BY noted_on, created_at`,
      [caseId],
    );
    return rows.map((r) => ({
      id: r.id,
      authorId: r.author_id,
      text: r.text,
      notedOn: r.noted_on,
      createdAt: new Date(r.created_at).toISOString(),
    }));
  }

  /** Attaches a document; the same checksum twice is one attachment (its id is returned). */
  async insertAttachment(a: {
    id: string;
    caseId: string;
    uri: string;
    sha256: string;
    fileName: string;
    mediaType: string;
    addedBy: string;
  }): Promise<string> {
    const row = await this.db.one<{ id: string }>(
      `INSERT INTO case_management.attachment (id, case_id, uri, sha256, file_name, media_type, added_by) VALUES ($1,$2,$3,$4,$5,$6,$7)
       ON CONFLICT (case_id, sha256) DO UPDATE SET sha256 = EXCLUDED.sha256 RETURNING id`,
      [a.id, a.caseId, a.uri, a.sha256, a.fileName, a.mediaType, a.addedBy],
    );
    return row!.id;
  }

  async attachmentsOf(caseId: string): Promise<AttachmentRecord[]> {
    const rows = await this.db.query<AttachmentRow>(
      `SELECT id, uri, sha256, file_name, media_type, added_by, added_at FROM case_management.attachment WHERE case_id = $1 ORDER BY added_at`,
      [caseId],
    );
    return rows.map((r) => ({
      id: r.id,
      uri: r.uri,
      sha256: r.sha256,
      fileName: r.file_name,
      mediaType: r.media_type,
      addedBy: r.added_by,
      addedAt: new Date(r.added_at).toISOString(),
    }));
  }

  async insertTeamMember(m: {
    caseId: string;
    memberId: string;
    role: string;
    organisation: string | null;
    addedBy: string;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO case_management.team_member (case_id, member_id, role, organisation, added_by) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING`,
      [m.caseId, m.memberId, m.role, m.organisation, m.addedBy],
    );
  }

  async teamOf(caseId: string): Promise<TeamMemberRecord[]> {
    const rows = await this.db.query<TeamMemberRow>(
      `SELECT member_id, role, organisation FROM case_management.team_member WHERE case_id = $1 ORDER BY added_at`,
      [caseId],
    );
    return rows.map((r) => ({ memberId: r.member_id, role: r.role, organisation: r.organisation }));
  }
}
