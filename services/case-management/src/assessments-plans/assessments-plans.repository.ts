import { TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';

export type ActKind = 'assessment' | 'plan';

export interface ActRecord {
  id: string;
  kind: ActKind;
  actVersion: number;
  actDate: string;
  data: Record<string, any>;
  correctionReason: string | null;
  signedBy: string;
  signedAt: string;
}

export interface NewAct {
  id: string;
  caseId: string;
  kind: ActKind;
  actVersion: number;
  actDate: string;
  data: unknown;
  correctionReason: string | null;
  signedBy: string;
}

export interface MonitoringRecord {
  id: string;
  kind: string;
  heldOn: string;
  findings: string;
  nextReviewDue: string | null;
  actorId: string;
}

interface ActRow {
  id: string;
  kind: ActKind;
  act_version: number;
  act_date: string;
  data: Record<string, any>;
  correction_reason: string | null;
  signed_by: string;
  signed_at: Date | string;
}

interface MonitoringRow {
  id: string;
  kind: string;
  held_on: string;
  findings: string;
  next_review_due: string | null;
  actor_id: string;
}

const ACT_COLUMNS = `id, kind, act_version, act_date::text AS act_date, data, correction_reason, signed_by, signed_at`;

const toAct = (r: ActRow): ActRecord => ({
  id: r.id,
  kind: r.kind,
  actVersion: r.act_version,
  actDate: r.act_date,
  data: r.data,
  correctionReason: r.correction_reason,
  signedBy: r.signed_by,
  signedAt: new Date(r.signed_at).toISOString(),
});

/** The SQL of the signed acts (needs assessment, individual plan; versioned) and of monitoring. */
@Injectable()
export class AssessmentsPlansRepository {
  constructor(private readonly db: TransactionHost) {}

  async latestAct(caseId: string, kind: ActKind): Promise<ActRecord | null> {
    const row = await this.db.one<ActRow>(
      `SELECT ${ACT_COLUMNS} FROM case_management.case_act WHERE case_id = $1 AND kind = $2 ORDER BY act_version DESC LIMIT 1`,
      [caseId, kind],
    );
    return row ? toAct(row) : null;
  }

  async insertAct(a: NewAct): Promise<void> {
    await this.db.query(
      `INSERT INTO case_management.case_act (id, case_id, kind, act_version, act_date, data, correction_reason, signed_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [a.id, a.caseId, a.kind, a.actVersion, a.actDate, JSON.stringify(a.data), a.correctionReason, a.signedBy],
    );
  }

  async actsOf(caseId: string): Promise<ActRecord[]> {
    const rows = await this.db.query<ActRow>(
      `SELECT ${ACT_COLUMNS} FROM case_management.case_act WHERE case_id = $1 ORDER BY kind, act_version`,
      [caseId],
    );
    return rows.map(toAct);
  }

  async insertMonitoring(m: {
    id: string;
    caseId: string;
    kind: string;
    heldOn: string;
    findings: string;
    nextReviewDue: string | null;
    actorId: string;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO case_management.monitoring (id, case_id, kind, held_on, findings, next_review_due, actor_id) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
      [m.id, m.caseId, m.kind, m.heldOn, m.findings, m.nextReviewDue, m.actorId],
    );
  }

  async monitoringOf(caseId: string): Promise<MonitoringRecord[]> {
    const rows = await this.db.query<MonitoringRow>(
      `SELECT id, kind, held_on::text AS held_on, findings, next_review_due::text AS next_review_due, actor_id FROM case_management.monitoring WHERE case_id = $1 ORDER BY held_on, created_at`,
      [caseId],
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      heldOn: r.held_on,
      findings: r.findings,
      nextReviewDue: r.next_review_due,
      actorId: r.actor_id,
    }));
  }
}
