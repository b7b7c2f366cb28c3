import { TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import type { StoredMonth } from '../assignments/recalculation';

export type AppealKind = 'refusal' | 'amount' | 'stop' | 'recalculation';
export type AppealStatus = 'open' | 'upheld' | 'dismissed';
export type AppealChannel = 'diia' | 'cnap' | 'office';

export interface AppealRecord {
  id: string;
  clientRequestId: string;
  requestFingerprint: string;
  kind: AppealKind;
  programmeCode: string;
  applicationId: string | null;
  assignmentId: string | null;
  assignmentVersion: number | null;
  personId: string;
  katottg: string;
  channel: AppealChannel;
  filedBy: string;
  filedAs: 'person' | 'representative' | 'staff';
  representative: { fullName: string; authorityDocument: string } | null;
  grounds: string;
  contestedReasons: string[];
  decidedBy: string | null;
  approvedBy: string | null;
  decidedOn: string | null;
  filedWithinTerm: boolean;
  status: AppealStatus;
  filedOn: string;
  dueOn: string;
  deadlineRule: string;
  reviewedBy: string | null;
  reviewedOn: string | null;
  reasoning: string | null;
  result: Record<string, unknown> | null;
}

const COLUMNS = `id, client_request_id, request_fingerprint, kind, programme_code, application_id, assignment_id, assignment_version, person_id, katottg, channel,
  filed_by, filed_as, representative, grounds, contested_reasons, decided_by, approved_by, decided_on::text AS decided_on, filed_within_term, status,
  filed_on::text AS filed_on, due_on::text AS due_on, deadline_rule, reviewed_by, reviewed_on::text AS reviewed_on, reasoning, result`;

interface AppealRow {
  id: string;
  client_request_id: string;
  request_fingerprint: string;
  kind: AppealKind;
  programme_code: string;
  application_id: string | null;
  assignment_id: string | null;
  assignment_version: number | null;
  person_id: string;
  katottg: string;
  channel: AppealChannel;
  filed_by: string;
  filed_as: AppealRecord['filedAs'];
  representative: AppealRecord['representative'];
  grounds: string;
  contested_reasons: string[];
  decided_by: string | null;
  approved_by: string | null;
  decided_on: string | null;
  filed_within_term: boolean;
  status: AppealStatus;
  filed_on: string;
  due_on: string;
  deadline_rule: string;
  reviewed_by: string | null;
  reviewed_on: string | null;
  reasoning: string | null;
  result: Record<string, unknown> | null;
}

function toRecord(r: AppealRow): AppealRecord {
  return {
    id: r.id,
    clientRequestId: r.client_request_id,
    requestFingerprint: r.request_fingerprint,
    kind: r.kind,
    programmeCode: r.programme_code,
    applicationId: r.application_id ?? null,
    assignmentId: r.assignment_id ?? null,
    assignmentVersion: r.assignment_version ?? null,
    personId: r.person_id,
    katottg: r.katottg,
    channel: r.channel,
    filedBy: r.filed_by,
    filedAs: r.filed_as,
    representative: r.representative ?? null,
    grounds: r.grounds,
    contestedReasons: r.contested_reasons,
    decidedBy: r.decided_by ?? null,
    approvedBy: r.approved_by ?? null,
    decidedOn: r.decided_on ?? null,
    filedWithinTerm: r.filed_within_term,
    status: r.status,
    filedOn: r.filed_on,
    dueOn: r.due_on,
    deadlineRule: r.deadline_rule,
    reviewedBy: r.reviewed_by ?? null,
    reviewedOn: r.reviewed_on ?? null,
    reasoning: r.reasoning ?? null,
    result: r.result ?? null,
  };
}

export interface AppealFilter {
  territory: string;
  personId?: string;
  status?: AppealStatus;
  applicationId?: string;
  assignmentId?: string;
  /** Open appeals due before this date (overdue on it). */
  overdueOn?: string;
  limit: number;
  offset: number;
  /** false: skip the count (total null). */
  withTotal?: boolean;
}

@Injectable()
export class AppealsRepository {
  constructor(private readonly db: TransactionHost) {}

  /** Inserts unless the client request id exists (a concurrent retry): false then. */
  async insert(a: AppealRecord): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO social_processing.appeal (id, client_request_id, request_fingerprint, kind, programme_code, application_id, assignment_id, assignment_version, person_id, katottg,
          channel, filed_by, filed_as, representative, grounds, contested_reasons, decided_by, approved_by, decided_on, filed_within_term, status, filed_on, due_on, deadline_rule)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
       ON CONFLICT (client_request_id) DO NOTHING RETURNING id`,
      [
        a.id,
        a.clientRequestId,
        a.requestFingerprint,
        a.kind,
        a.programmeCode,
        a.applicationId,
        a.assignmentId,
        a.assignmentVersion,
        a.personId,
        a.katottg,
        a.channel,
        a.filedBy,
        a.filedAs,
        a.representative ? JSON.stringify(a.representative) : null,
        a.grounds,
        JSON.stringify(a.contestedReasons),
        a.decidedBy,
        a.approvedBy,
        a.decidedOn,
        a.filedWithinTerm,
        a.status,
        a.filedOn,
        a.dueOn,
        a.deadlineRule,
      ],
    );
    return rows.length === 1;
  }

  /** An open appeal of the same decision (application decision, or assignment version), if any. */
  async openFor(t: {
    programmeCode: string;
    applicationId: string | null;
    assignmentId: string | null;
    assignmentVersion: number | null;
  }): Promise<string | null> {
    const rows = await this.db.query(
      `SELECT id FROM social_processing.appeal WHERE status = 'open' AND programme_code = $1 AND application_id IS NOT DISTINCT FROM $2 AND assignment_id IS NOT DISTINCT FROM $3 AND assignment_version IS NOT DISTINCT FROM $4::integer`,
      [t.programmeCode, t.applicationId, t.assignmentId, t.assignmentVersion],
    );
    return (rows[0]?.id as string | undefined) ?? null;
  }

  async review(
    id: string,
    r: { status: AppealStatus; reviewedBy: string; reviewedOn: string; reasoning: string; result: Record<string, unknown> },
  ): Promise<void> {
    await this.db.query(
      `UPDATE social_processing.appeal SET status = $2, reviewed_by = $3, reviewed_on = $4, reasoning = $5, result = $6, updated_at = now() WHERE id = $1`,
      [id, r.status, r.reviewedBy, r.reviewedOn, r.reasoning, JSON.stringify(r.result)],
    );
  }

  async findById(id: string): Promise<AppealRecord | null> {
    const row = await this.db.one<AppealRow>(`SELECT ${COLUMNS} FROM social_processing.appeal WHERE id = $1`, [id]);
    return row ? toRecord(row) : null;
  }

  /** The appeal locked for its review in the current transaction. */
  async lockById(id: string): Promise<AppealRecord | null> {
    this.db.assertActive('locking an appeal');
    const row = await this.db.one<AppealRow>(`SELECT ${COLUMNS} FROM social_processing.appeal WHERE id = $1 FOR UPDATE`, [id]);
    return row ? toRecord(row) : null;
  }

  async findByClientRequestId(clientRequestId: string): Promise<AppealRecord | null> {
    const rows = await this.db.query<AppealRow>(`SELECT ${COLUMNS} FROM social_processing.appeal WHERE client_request_id = $1`, [
      clientRequestId,
    ]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async list(f: AppealFilter): Promise<{ items: AppealRecord[]; total: number | null }> {
    const where = `katottg LIKE $1 || '%' AND ($2::uuid IS NULL OR person_id = $2) AND ($3::text IS NULL OR status = $3) AND ($4::uuid IS NULL OR application_id = $4)
      AND ($5::uuid IS NULL OR assignment_id = $5) AND ($6::date IS NULL OR (status = 'open' AND due_on < $6))`;
    const params = [
      f.territory,
      f.personId ?? null,
      f.status ?? null,
      f.applicationId ?? null,
      f.assignmentId ?? null,
      f.overdueOn ?? null,
    ];
    const total = await this.db.total(f, `SELECT count(*)::int AS total FROM social_processing.appeal WHERE ${where}`, params);

    const order = f.overdueOn ? 'due_on, id' : 'filed_on DESC, id';
    const rows = await this.db.query<AppealRow>(
      `SELECT ${COLUMNS} FROM social_processing.appeal WHERE ${where} ORDER BY ${order} LIMIT $7 OFFSET $8`,
      [...params, f.limit, f.offset],
    );
    return { items: rows.map(toRecord), total };
  }

  /** The published snapshot of one version of an assignment (months, status, period), for annulling a later act. */
  async versionSnapshot(
    assignmentId: string,
    version: number,
  ): Promise<{ months: StoredMonth[]; status: string; periodTo: string } | null> {
    const rows: { snapshot: { months: StoredMonth[]; status: string; periodTo: string } }[] = await this.db.query(
      `SELECT snapshot FROM social_processing.assignment_version WHERE assignment_id = $1 AND version = $2`,
      [assignmentId, version],
    );
    return rows[0] ? { months: rows[0].snapshot.months, status: rows[0].snapshot.status, periodTo: rows[0].snapshot.periodTo } : null;
  }

  /** The first version's period end (the assignment's full term, before any stop shortened it). */
  async grantedPeriodTo(assignmentId: string): Promise<string | null> {
    const rows: { period_to: string }[] = await this.db.query(
      `SELECT snapshot->>'periodTo' AS period_to FROM social_processing.assignment_version WHERE assignment_id = $1 AND version = 1`,
      [assignmentId],
    );
    return rows[0]?.period_to ?? null;
  }
}
