import { TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';

export type DeadlineStage = 'assessment' | 'decision' | 'review';

export interface OverdueRow {
  caseId: string;
  personId: string;
  katottg: string;
  workerId: string | null;
  stage: DeadlineStage;
  dueDate: string;
  status: string;
  ruleSetVersion: string;
}

export interface OverdueFilter {
  territory: string;
  asOf: string;
  katottg?: string;
  workerId?: string;
  stage?: string;
  limit: number;
  offset: number;
  /** false: skip the count (total null). */
  withTotal?: boolean;
}

export interface WorkloadRow {
  katottg: string;
  workerId: string | null;
  activeCases: number;
  crisisCases: number;
  overdueStages: number;
}

interface OverdueDbRow {
  id: string;
  person_id: string;
  katottg: string;
  worker_id: string | null;
  status: string;
  rule_set_version: string;
  stage: DeadlineStage;
  due: string;
}

interface WorkloadDbRow {
  katottg: string;
  worker_id: string | null;
  active: number;
  crisis: number;
  overdue: number;
}

/** The SQL of the statutory deadlines: overdue stages, the once-per-stage notices, the workload. */
@Injectable()
export class DeadlinesRepository {
  constructor(private readonly db: TransactionHost) {}

  /** Stages overdue on `asOf` (due date strictly before it), within a territory. */
  async overdue(f: OverdueFilter): Promise<{ items: OverdueRow[]; total: number | null }> {
    const params: unknown[] = [f.territory, f.asOf];
    const where = [`katottg LIKE $1 || '%'`];
    if (f.katottg) {
      params.push(f.katottg);
      where.push(`katottg LIKE $${params.length} || '%'`);
    }
    if (f.workerId) {
      params.push(f.workerId);
      where.push(`worker_id = $${params.length}`);
    }
    if (f.stage) {
      params.push(f.stage);
      where.push(`stage = $${params.length}`);
    }
    const base = `
      WITH stages AS (
        SELECT id, person_id, katottg, worker_id, status, rule_set_version, 'assessment' AS stage, assessment_due AS due FROM case_management."case" WHERE status = 'open'
        UNION ALL
        SELECT id, person_id, katottg, worker_id, status, rule_set_version, 'decision', decision_due FROM case_management."case" WHERE status IN ('open', 'assessed')
        UNION ALL
        SELECT id, person_id, katottg, worker_id, status, rule_set_version, 'review', review_due FROM case_management."case" WHERE status IN ('plan_approved', 'in_service') AND review_due IS NOT NULL
      )
      SELECT * FROM stages WHERE due < $2::date AND ${where.join(' AND ')}`;
    const total = await this.db.total(f, `SELECT count(*)::int AS total FROM (${base}) s`, params);
    const rows = await this.db.query<OverdueDbRow>(
      `SELECT id, person_id, katottg, worker_id, status, rule_set_version, stage, due::text AS due FROM (${base}) s ORDER BY katottg, worker_id NULLS FIRST, due, id, stage LIMIT ${f.limit} OFFSET ${f.offset}`,
      params,
    );
    return {
      items: rows.map((r) => ({
        caseId: r.id,
        personId: r.person_id,
        katottg: r.katottg,
        workerId: r.worker_id,
        stage: r.stage,
        dueDate: r.due,
        status: r.status,
        ruleSetVersion: r.rule_set_version,
      })),
      total,
    };
  }

  /** True when this (case, stage) had no notice yet (the notice is now recorded, in the caller's transaction). */
  async recordNotice(caseId: string, stage: DeadlineStage, dueDate: string, detectedOn: string): Promise<boolean> {
    this.db.assertActive('recording a deadline notice');
    const rows = await this.db.query<{ case_id: string }>(
      `INSERT INTO case_management.deadline_notice (case_id, stage, due_date, detected_on) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING RETURNING case_id`,
      [caseId, stage, dueDate, detectedOn],
    );
    return rows.length > 0;
  }

  async workload(territory: string, asOf: string): Promise<WorkloadRow[]> {
    const rows = await this.db.query<WorkloadDbRow>(
      `SELECT katottg, worker_id,
              count(*)::int AS active,
              count(*) FILTER (WHERE crisis)::int AS crisis,
              (count(*) FILTER (WHERE status = 'open' AND assessment_due < $2::date)
               + count(*) FILTER (WHERE status IN ('open', 'assessed') AND decision_due < $2::date)
               + count(*) FILTER (WHERE status IN ('plan_approved', 'in_service') AND review_due < $2::date))::int AS overdue
         FROM case_management."case"
        WHERE status NOT IN ('closed', 'returned') AND katottg LIKE $1 || '%'
        GROUP BY katottg, worker_id
        ORDER BY katottg, worker_id NULLS FIRST`,
      [territory, asOf],
    );
    return rows.map((r) => ({
      katottg: r.katottg,
      workerId: r.worker_id,
      activeCases: r.active,
      crisisCases: r.crisis,
      overdueStages: r.overdue,
    }));
  }
}
