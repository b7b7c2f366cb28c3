import { TransactionHost, type PageRequest } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import type { CheckMode, Discretion, Evidence, RecommendedAction } from '../rules/rules';

export type FindingStatus = 'open' | 'accepted' | 'rejected' | 'actioned';

export interface FindingRecord {
  findingId: string;
  personId: string;
  rule: string;
  recommendedAction: RecommendedAction;
  effectiveDate: string | null;
  /** none: the act leaves no discretion (processing acts at once); officer: waits for an accepted decision; null on findings raised before it was recorded. */
  discretion: Discretion | null;
  /** The act and clause of the rule. */
  legalBasis: string | null;
  evidence: Evidence[];
  kind: CheckMode;
  status: FindingStatus;
  katottg: string;
  assignmentIds: string[];
  requestId: string | null;
  runId: string | null;
  periodFrom: string;
  periodTo: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  createdAt: string;
}

export type NewFinding = Omit<FindingRecord, 'decidedBy' | 'decidedAt' | 'decisionReason' | 'createdAt'> & { dedupeKey: string };

interface FindingRow {
  finding_id: string;
  person_id: string;
  rule: string;
  recommended_action: RecommendedAction;
  effective_date: string | null;
  discretion: Discretion | null;
  legal_basis: string | null;
  evidence: Evidence[];
  kind: CheckMode;
  status: FindingStatus;
  katottg: string;
  assignment_ids: string[];
  request_id: string | null;
  run_id: string | null;
  period_from: string;
  period_to: string;
  decided_by: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
  created_at: Date;
}

const COLUMNS = `finding_id, person_id, rule, recommended_action, to_char(effective_date, 'YYYY-MM-DD') AS effective_date, discretion, legal_basis, evidence, kind, status,
  katottg, assignment_ids, request_id, run_id, to_char(period_from, 'YYYY-MM-DD') AS period_from, to_char(period_to, 'YYYY-MM-DD') AS period_to,
  decided_by, decided_at, decision_reason, created_at`;

const toRecord = (r: FindingRow): FindingRecord => ({
  findingId: r.finding_id,
  personId: r.person_id,
  rule: r.rule,
  recommendedAction: r.recommended_action,
  effectiveDate: r.effective_date,
  discretion: r.discretion,
  legalBasis: r.legal_basis,
  evidence: r.evidence,
  kind: r.kind,
  status: r.status,
  katottg: r.katottg,
  assignmentIds: r.assignment_ids,
  requestId: r.request_id,
  runId: r.run_id,
  periodFrom: r.period_from,
  periodTo: r.period_to,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at ? r.decided_at.toISOString() : null,
  decisionReason: r.decision_reason,
  createdAt: r.created_at.toISOString(),
});

export interface FindingFilter {
  territory: string;
  status?: FindingStatus;
  katottg?: string;
  rule?: string;
  personId?: string;
  kind?: CheckMode;
}

@Injectable()
export class FindingsRepository {
  constructor(private readonly db: TransactionHost) {}

  /**
   * Inserts the findings not already known (by dedupe key) in one statement; returns the new ones.
   * Existing ones are returned by `byDedupeKeys`.
   */
  async insertNew(findings: NewFinding[]): Promise<FindingRecord[]> {
    if (findings.length === 0) return [];
    const rows = await this.db.query<FindingRow>(
      `INSERT INTO verification.finding
         (finding_id, person_id, rule, recommended_action, effective_date, discretion, legal_basis, evidence, kind, status, katottg, assignment_ids, request_id, run_id, period_from, period_to, dedupe_key)
       SELECT f.finding_id, f.person_id, f.rule, f.recommended_action, f.effective_date, f.discretion, f.legal_basis, f.evidence, f.kind, f.status, f.katottg,
              ARRAY(SELECT jsonb_array_elements_text(f.assignment_ids))::uuid[], f.request_id, f.run_id, f.period_from, f.period_to, f.dedupe_key
         FROM jsonb_to_recordset($1::jsonb) AS f(
           finding_id uuid, person_id uuid, rule text, recommended_action text, effective_date date, discretion text, legal_basis text, evidence jsonb, kind text, status text,
           katottg char(19), assignment_ids jsonb, request_id uuid, run_id uuid, period_from date, period_to date, dedupe_key text)
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        JSON.stringify(
          findings.map((f) => ({
            finding_id: f.findingId,
            person_id: f.personId,
            rule: f.rule,
            recommended_action: f.recommendedAction,
            effective_date: f.effectiveDate,
            discretion: f.discretion,
            legal_basis: f.legalBasis,
            evidence: f.evidence,
            kind: f.kind,
            status: f.status,
            katottg: f.katottg,
            assignment_ids: f.assignmentIds,
            request_id: f.requestId,
            run_id: f.runId,
            period_from: f.periodFrom,
            period_to: f.periodTo,
            dedupe_key: f.dedupeKey,
          })),
        ),
      ],
    );
    return rows.map(toRecord);
  }

  async byDedupeKeys(keys: string[]): Promise<FindingRecord[]> {
    if (keys.length === 0) return [];
    const rows = await this.db.query<FindingRow>(
      `SELECT ${COLUMNS} FROM verification.finding WHERE dedupe_key = ANY($1::text[]) ORDER BY created_at, finding_id`,
      [keys],
    );
    return rows.map(toRecord);
  }

  async findById(findingId: string, forUpdate = false): Promise<FindingRecord | null> {
    const rows = await this.db.query<FindingRow>(
      `SELECT ${COLUMNS} FROM verification.finding WHERE finding_id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [findingId],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async list(filter: FindingFilter, page: PageRequest): Promise<{ items: FindingRecord[]; total: number | null }> {
    const where: string[] = [`katottg LIKE $1 || '%'`];
    const params: unknown[] = [filter.territory];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.katottg) add(`katottg LIKE ? || '%'`, filter.katottg);
    if (filter.status) add(`status = ?`, filter.status);
    if (filter.rule) add(`rule = ?`, filter.rule);
    if (filter.personId) add(`person_id = ?`, filter.personId);
    if (filter.kind) add(`kind = ?`, filter.kind);
    const whereSql = where.join(' AND ');
    const total = await this.db.total(page, `SELECT count(*)::int AS total FROM verification.finding WHERE ${whereSql}`, params);

    const rows = await this.db.query<FindingRow>(
      `SELECT ${COLUMNS} FROM verification.finding WHERE ${whereSql} ORDER BY created_at, finding_id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, page.limit, page.offset],
    );
    return { items: rows.map(toRecord), total };
  }

  async decide(findingId: string, status: 'accepted' | 'rejected', decidedBy: string, reason: string): Promise<FindingRecord> {
    const rows = await this.db.query<FindingRow>(
      `UPDATE verification.finding SET status = $2, decided_by = $3, decided_at = now(), decision_reason = $4
        WHERE finding_id = $1 RETURNING ${COLUMNS}`,
      [findingId, status, decidedBy, reason],
    );
    return toRecord(rows[0]!);
  }

  /** A decision on a finding in the audit log (who decided, what, why). */
  async auditDecision(
    actor: { id: string; roles: string[] },
    action: 'accept' | 'reject',
    findingId: string,
    reason: string,
    correlationId: string | null,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO verification_audit.audit_log (actor_id, actor_roles, action, subject_type, subject_id, purpose, correlation_id) VALUES ($1, $2, $3, 'finding', $4, $5, $6)`,
      [actor.id, actor.roles, action, findingId, reason, correlationId],
    );
  }
}
