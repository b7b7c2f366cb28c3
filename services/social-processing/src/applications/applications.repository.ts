import type { ProposedAccount } from '@eisss/platform';
import { TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import type { ExplanationNode, Reason } from '../rules/rule-set';

export type ApplicationStatus = 'awaiting_verification' | 'under_review' | 'decided';
export type DecisionStatus = 'awaiting_verification' | 'awaiting_officer' | 'awaiting_approval' | 'granted' | 'refused';

export interface HouseholdMemberSnapshot {
  personId: string;
  role: 'applicant' | 'member';
  relation: string;
  birthDate?: string;
  statuses?: { type: string; validFrom: string; validTo?: string | null; details?: Record<string, unknown> }[];
  mobilised?: boolean;
  fullStateSupport?: boolean;
  stillborn?: boolean;
  parentalRightsDeprived?: boolean;
  studying?: boolean;
}

export interface HistoryEntry {
  status: string;
  at: string;
  by: string;
  note?: string;
}

export interface ApplicationRecord {
  id: string;
  clientRequestId: string;
  requestFingerprint: string;
  channel: string;
  applicantPersonId: string;
  katottg: string;
  programmeCodes: string[];
  household: { members: HouseholdMemberSnapshot[] };
  consents: { type: string; givenOn: string }[];
  /** The account the application proposed (a proposal to the register, never paid to as such): masked and sealed for the register; or null. */
  payment: ProposedAccount | null;
  averageIncomeKopiyky: string | null;
  status: ApplicationStatus;
  submittedOn: string;
  decisionDueOn: string;
  decidedOn: string | null;
  history: HistoryEntry[];
  createdBy: string;
}

/** A stored evaluation: the rules' result with money as decimal strings. */
export interface StoredEvaluation {
  programmeCode: string;
  ruleSetVersion: string;
  eligible: boolean;
  reasons: Reason[];
  recipientPersonId: string;
  memberPersonIds: string[];
  periodFrom: string | null;
  periodTo: string | null;
  months: { month: string; amountKopiyky: string; explanation: string }[];
  explanation: ExplanationNode;
}

export interface DecisionRecord {
  applicationId: string;
  programmeCode: string;
  status: DecisionStatus;
  verificationRequestId: string;
  verification: unknown;
  evaluation: StoredEvaluation | null;
  proposal: { outcome: 'granted' | 'refused'; reasons: Reason[]; proposedBy: string; proposedAt: string } | null;
  reasons: Reason[];
  decidedBy: string | null;
  approvedBy: string | null;
  decidedOn: string | null;
  assignmentId: string | null;
}

const APP_COLUMNS = `id, client_request_id, request_fingerprint, channel, applicant_person_id, katottg, programme_codes, household, consents, payment,
  average_income_kopiyky::text AS average_income_kopiyky, status, submitted_on::text AS submitted_on, decision_due_on::text AS decision_due_on,
  decided_on::text AS decided_on, history, created_by`;

const DEC_COLUMNS = `application_id, programme_code, status, verification_request_id, verification, evaluation, proposal, reasons, decided_by, approved_by,
  decided_on::text AS decided_on, assignment_id`;

/** APP_COLUMNS of the application table aliased `a` (in a join). */
const APP_COLUMNS_OF_A = `a.id, a.client_request_id, a.request_fingerprint, a.channel, a.applicant_person_id, a.katottg, a.programme_codes, a.household,
  a.consents, a.payment, a.average_income_kopiyky::text AS average_income_kopiyky, a.status, a.submitted_on::text AS submitted_on,
  a.decision_due_on::text AS decision_due_on, a.decided_on::text AS decided_on, a.history, a.created_by`;

/** DEC_COLUMNS of the decision table aliased `d` (in a join). */
const DEC_COLUMNS_OF_D = `d.application_id, d.programme_code, d.status, d.verification_request_id, d.verification, d.evaluation, d.proposal, d.reasons,
  d.decided_by, d.approved_by, d.decided_on::text AS decided_on, d.assignment_id`;

interface ApplicationRow {
  id: string;
  client_request_id: string;
  request_fingerprint: string;
  channel: string;
  applicant_person_id: string;
  katottg: string;
  programme_codes: string[];
  household: ApplicationRecord['household'];
  consents: ApplicationRecord['consents'];
  payment: ProposedAccount | null;
  average_income_kopiyky: string | null;
  status: ApplicationStatus;
  submitted_on: string;
  decision_due_on: string;
  decided_on: string | null;
  history: HistoryEntry[];
  created_by: string;
}

function toApp(r: ApplicationRow): ApplicationRecord {
  return {
    id: r.id,
    clientRequestId: r.client_request_id,
    requestFingerprint: r.request_fingerprint,
    channel: r.channel,
    applicantPersonId: r.applicant_person_id,
    katottg: r.katottg,
    programmeCodes: r.programme_codes,
    household: r.household,
    consents: r.consents,
    payment: r.payment ?? null,
    averageIncomeKopiyky: r.average_income_kopiyky ?? null,
    status: r.status,
    submittedOn: r.submitted_on,
    decisionDueOn: r.decision_due_on,
    decidedOn: r.decided_on ?? null,
    history: r.history,
    createdBy: r.created_by,
  };
}

interface DecisionRow {
  application_id: string;
  programme_code: string;
  status: DecisionStatus;
  verification_request_id: string;
  verification: unknown;
  evaluation: StoredEvaluation | null;
  proposal: DecisionRecord['proposal'];
  reasons: Reason[];
  decided_by: string | null;
  approved_by: string | null;
  decided_on: string | null;
  assignment_id: string | null;
}

function toDecision(r: DecisionRow): DecisionRecord {
  return {
    applicationId: r.application_id,
    programmeCode: r.programme_code,
    status: r.status,
    verificationRequestId: r.verification_request_id,
    verification: r.verification ?? null,
    evaluation: r.evaluation ?? null,
    proposal: r.proposal ?? null,
    reasons: r.reasons,
    decidedBy: r.decided_by ?? null,
    approvedBy: r.approved_by ?? null,
    decidedOn: r.decided_on ?? null,
    assignmentId: r.assignment_id ?? null,
  };
}

@Injectable()
export class ApplicationsRepository {
  constructor(private readonly db: TransactionHost) {}

  /**
   * Inserts the application with its decisions (new, one per programme: no verification, no evaluation yet) in one
   * statement, unless the client request id exists; returns false when it does (a concurrent retry: nothing written).
   */
  async insert(
    a: ApplicationRecord,
    decisions: Pick<DecisionRecord, 'programmeCode' | 'status' | 'verificationRequestId'>[],
  ): Promise<boolean> {
    const rows = await this.db.query(
      `WITH created AS (
         INSERT INTO social_processing.application
           (id, client_request_id, request_fingerprint, channel, applicant_person_id, katottg, programme_codes, household, consents, payment,
            average_income_kopiyky, status, submitted_on, decision_due_on, history, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8, $9, $10, $11, $12, $13, $14, $15, $16)
         ON CONFLICT (client_request_id) DO NOTHING RETURNING id),
       decisions AS (
         INSERT INTO social_processing.application_decision (application_id, programme_code, status, verification_request_id, reasons)
         SELECT c.id, d.code, d.status, d.request_id, '[]'::jsonb FROM created c, unnest($17::text[], $18::text[], $19::uuid[]) AS d(code, status, request_id))
       SELECT id FROM created`,
      [
        a.id,
        a.clientRequestId,
        a.requestFingerprint,
        a.channel,
        a.applicantPersonId,
        a.katottg,
        a.programmeCodes,
        JSON.stringify(a.household),
        JSON.stringify(a.consents),
        a.payment ? JSON.stringify(a.payment) : null,
        a.averageIncomeKopiyky,
        a.status,
        a.submittedOn,
        a.decisionDueOn,
        JSON.stringify(a.history),
        a.createdBy,
        decisions.map((d) => d.programmeCode),
        decisions.map((d) => d.status),
        decisions.map((d) => d.verificationRequestId),
      ],
    );
    return rows.length === 1;
  }

  async updateDecision(d: DecisionRecord): Promise<void> {
    await this.db.query(
      `UPDATE social_processing.application_decision SET status = $3, verification = $4, evaluation = $5, proposal = $6, reasons = $7, decided_by = $8, approved_by = $9, decided_on = $10, assignment_id = $11
        WHERE application_id = $1 AND programme_code = $2`,
      [
        d.applicationId,
        d.programmeCode,
        d.status,
        d.verification === null ? null : JSON.stringify(d.verification),
        d.evaluation ? JSON.stringify(d.evaluation) : null,
        d.proposal ? JSON.stringify(d.proposal) : null,
        JSON.stringify(d.reasons),
        d.decidedBy,
        d.approvedBy,
        d.decidedOn,
        d.assignmentId,
      ],
    );
  }

  async updateStatus(id: string, status: ApplicationStatus, decidedOn: string | null, entry: HistoryEntry): Promise<void> {
    await this.db.query(
      `UPDATE social_processing.application SET status = $2, decided_on = $3, history = history || $4::jsonb, updated_at = now() WHERE id = $1`,
      [id, status, decidedOn, JSON.stringify([entry])],
    );
  }

  async findById(id: string): Promise<ApplicationRecord | null> {
    const row = await this.db.one<ApplicationRow>(`SELECT ${APP_COLUMNS} FROM social_processing.application WHERE id = $1`, [id]);
    return row ? toApp(row) : null;
  }

  /** The application locked for a decision in the current transaction. */
  async lockById(id: string): Promise<ApplicationRecord | null> {
    this.db.assertActive('locking an application');
    const row = await this.db.one<ApplicationRow>(`SELECT ${APP_COLUMNS} FROM social_processing.application WHERE id = $1 FOR UPDATE`, [
      id,
    ]);
    return row ? toApp(row) : null;
  }

  async findByClientRequestId(clientRequestId: string): Promise<ApplicationRecord | null> {
    const rows = await this.db.query<ApplicationRow>(
      `SELECT ${APP_COLUMNS} FROM social_processing.application WHERE client_request_id = $1`,
      [clientRequestId],
    );
    return rows[0] ? toApp(rows[0]) : null;
  }

  async decisionsOf(ids: string[]): Promise<DecisionRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.query<DecisionRow>(
      `SELECT ${DEC_COLUMNS} FROM social_processing.application_decision WHERE application_id = ANY($1::uuid[]) ORDER BY programme_code`,
      [ids],
    );
    return rows.map(toDecision);
  }

  /**
   * The decision a verification request belongs to and its application, both locked, with the programme's maker-checker
   * setting (null: none stored): one statement.
   */
  async lockDecisionByRequest(
    requestId: string,
  ): Promise<{ decision: DecisionRecord; application: ApplicationRecord; requiresApproval: boolean | null } | null> {
    this.db.assertActive('locking a decision');
    const rows = await this.db.query<DecisionRow & { requires_approval: boolean | null; app: ApplicationRow }>(
      `SELECT ${DEC_COLUMNS_OF_D}, s.requires_approval, row_to_json(x) AS app
         FROM social_processing.application_decision d
         JOIN social_processing.application a ON a.id = d.application_id
         CROSS JOIN LATERAL (SELECT ${APP_COLUMNS_OF_A}) x
         LEFT JOIN social_processing.programme_setting s ON s.programme_code = d.programme_code
        WHERE d.verification_request_id = $1 FOR UPDATE OF d, a`,
      [requestId],
    );
    const r = rows[0];
    return r ? { decision: toDecision(r), application: toApp(r.app), requiresApproval: r.requires_approval ?? null } : null;
  }

  async lockDecision(applicationId: string, programmeCode: string): Promise<DecisionRecord | null> {
    this.db.assertActive('locking a decision');
    const rows = await this.db.query<DecisionRow>(
      `SELECT ${DEC_COLUMNS} FROM social_processing.application_decision WHERE application_id = $1 AND programme_code = $2 FOR UPDATE`,
      [applicationId, programmeCode],
    );
    return rows[0] ? toDecision(rows[0]) : null;
  }

  /**
   * What stops a new application for a programme, in one statement: the open (not terminated) assignments of the
   * programme that any of the persons holds as recipient or member (`holder`: the index of the person in `personIds`),
   * and an undecided application of the programme that lists any of them (its id, or null).
   * The undecided one is found by one index lookup per person in the members of the open applications
   * (application_open_members_idx), then its decision by key, instead of a scan of every open application (the ids are
   * those of known persons, in the form the projection and the stored households hold them).
   */
  async holdersConflicts(
    personIds: string[],
    programmeCode: string,
  ): Promise<{ open: { holder: number; assignmentId: string }[]; pendingApplicationId: string | null }> {
    if (personIds.length === 0) return { open: [], pendingApplicationId: null };
    const members = [...new Set(personIds)].map((id) => JSON.stringify([{ personId: id }]));
    const anyMember = members.map((_, i) => `x.household->'members' @> $${i + 3}::jsonb`).join(' OR ');
    const row = await this.db.one<{ open: { holder: number; assignmentId: string }[] | null; pending: string | null }>(
      `WITH open_application AS MATERIALIZED (
         SELECT x.id FROM social_processing.application x WHERE x.status <> 'decided' AND (${anyMember}))
       SELECT (SELECT o.id FROM open_application o
                 CROSS JOIN LATERAL (SELECT 1 FROM social_processing.application_decision d
                                      WHERE d.application_id = o.id AND d.programme_code = $1
                                        AND d.status IN ('awaiting_verification', 'awaiting_officer', 'awaiting_approval') LIMIT 1) undecided
                LIMIT 1) AS pending,
              (SELECT json_agg(json_build_object('holder', h.n - 1, 'assignmentId', a.id) ORDER BY h.n, a.id)
                 FROM unnest($2::uuid[]) WITH ORDINALITY h(id, n)
                 JOIN social_processing.assignment a
                   ON a.status <> 'terminated' AND a.programme_code = $1 AND (a.recipient_person_id = h.id OR a.member_person_ids @> ARRAY[h.id])) AS open`,
      [programmeCode, personIds, ...members],
    );
    return { open: row?.open ?? [], pendingApplicationId: row?.pending ?? null };
  }

  async list(filter: {
    territory: string;
    status?: string;
    applicantPersonId?: string;
    katottg?: string;
    limit: number;
    offset: number;
    withTotal?: boolean;
  }): Promise<{ items: ApplicationRecord[]; total: number | null }> {
    const where = `katottg LIKE $1 || '%' AND katottg LIKE $2 || '%' AND ($3::text IS NULL OR status = $3) AND ($4::uuid IS NULL OR applicant_person_id = $4)`;
    const params = [filter.territory, filter.katottg ?? 'UA', filter.status ?? null, filter.applicantPersonId ?? null];
    const total = await this.db.total(filter, `SELECT count(*)::int AS total FROM social_processing.application WHERE ${where}`, params);
    const rows = await this.db.query<ApplicationRow>(
      `SELECT ${APP_COLUMNS} FROM social_processing.application WHERE ${where} ORDER BY submitted_on DESC, id LIMIT $5 OFFSET $6`,
      [...params, filter.limit, filter.offset],
    );
    return { items: rows.map(toApp), total };
  }

  /** Undecided applications due on or before a date, in a territory, earliest first. */
  async dueBy(filter: {
    territory: string;
    katottg?: string;
    dueBy: string;
    limit: number;
    offset: number;
    withTotal?: boolean;
  }): Promise<{ items: ApplicationRecord[]; total: number | null }> {
    const where = `status <> 'decided' AND katottg LIKE $1 || '%' AND katottg LIKE $2 || '%' AND decision_due_on <= $3`;
    const params = [filter.territory, filter.katottg ?? 'UA', filter.dueBy];
    const total = await this.db.total(filter, `SELECT count(*)::int AS total FROM social_processing.application WHERE ${where}`, params);

    const rows = await this.db.query<ApplicationRow>(
      `SELECT ${APP_COLUMNS} FROM social_processing.application WHERE ${where} ORDER BY decision_due_on, id LIMIT $4 OFFSET $5`,
      [...params, filter.limit, filter.offset],
    );
    return { items: rows.map(toApp), total };
  }

  /** Counts of undecided applications at risk and overdue per office (КАТОТТГ). */
  async dueByOffice(filter: {
    territory: string;
    katottg?: string;
    dueBy: string;
    asOf: string;
  }): Promise<{ katottg: string; atRisk: number; overdue: number }[]> {
    const rows: { katottg: string; at_risk: number; overdue: number }[] = await this.db.query(
      `SELECT katottg, count(*) FILTER (WHERE decision_due_on >= $4)::int AS at_risk, count(*) FILTER (WHERE decision_due_on < $4)::int AS overdue
         FROM social_processing.application
        WHERE status <> 'decided' AND katottg LIKE $1 || '%' AND katottg LIKE $2 || '%' AND decision_due_on <= $3
        GROUP BY katottg ORDER BY katottg`,
      [filter.territory, filter.katottg ?? 'UA', filter.dueBy, filter.asOf],
    );
    return rows.map((r) => ({ katottg: r.katottg, atRisk: r.at_risk, overdue: r.overdue }));
  }

  async settings(): Promise<Map<string, boolean>> {
    const rows: { programme_code: string; requires_approval: boolean }[] = await this.db.query(
      `SELECT programme_code, requires_approval FROM social_processing.programme_setting`,
    );
    return new Map(rows.map((r) => [r.programme_code, r.requires_approval]));
  }

  /** Saves a programme's setting as approved by `approvedBy` on the request of `requestedBy` (two-person rule). */
  async saveSetting(programmeCode: string, requiresApproval: boolean, approvedBy: string, requestedBy: string): Promise<void> {
    await this.db.query(
      `INSERT INTO social_processing.programme_setting (programme_code, requires_approval, updated_by, requested_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (programme_code) DO UPDATE SET requires_approval = EXCLUDED.requires_approval, updated_by = EXCLUDED.updated_by, requested_by = EXCLUDED.requested_by, updated_at = now()`,
      [programmeCode, requiresApproval, approvedBy, requestedBy],
    );
  }
}
