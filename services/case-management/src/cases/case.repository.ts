import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
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

type Db = Pick<EntityManager, 'query'>;

const d = (v: unknown): string | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v);

function toCase(r: Record<string, any>): CaseRecord {
  return {
    id: r.id,
    personId: r.person_id,
    katottg: r.katottg,
    category: r.category,
    channel: r.channel,
    reporter: r.reporter,
    crisis: r.crisis,
    requestDate: d(r.request_date)!,
    requestedServices: r.requested_services ?? [],
    status: r.status,
    returnedFrom: r.returned_from,
    ruleSetVersion: r.rule_set_version,
    assessmentDue: d(r.assessment_due)!,
    decisionDue: d(r.decision_due)!,
    reviewDue: d(r.review_due),
    workerId: r.worker_id,
    decision: r.decision,
    outcome: r.outcome,
    finalEvaluation: r.final_evaluation,
    closedOn: d(r.closed_on),
    clientRequestId: r.client_request_id,
    createdAt: new Date(r.created_at).toISOString(),
    version: r.version,
  };
}

const CASE_COLUMNS = `id, person_id, katottg, category, channel, reporter, crisis, request_date::text AS request_date, requested_services, status, returned_from,
  rule_set_version, assessment_due::text AS assessment_due, decision_due::text AS decision_due, review_due::text AS review_due, worker_id, decision,
  outcome, final_evaluation, closed_on::text AS closed_on, client_request_id, created_at, version`;

export interface OverdueRow {
  caseId: string;
  personId: string;
  katottg: string;
  workerId: string | null;
  stage: 'assessment' | 'decision' | 'review';
  dueDate: string;
  status: string;
  ruleSetVersion: string;
}

/** All SQL of cases. */
@Injectable()
export class CaseRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  get db(): EntityManager {
    return this.dataSource.manager;
  }

  async insertCase(
    tx: Db,
    c: Omit<
      CaseRecord,
      'createdAt' | 'version' | 'returnedFrom' | 'decision' | 'outcome' | 'finalEvaluation' | 'closedOn' | 'reviewDue'
    > & { sourceStatusId: string | null; createdBy: string },
  ): Promise<CaseRecord | null> {
    const rows = await tx.query(
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
    return rows[0] ? toCase(rows[0]) : null;
  }

  async findById(tx: Db, id: string, lock = false): Promise<CaseRecord | null> {
    const rows = await tx.query(`SELECT ${CASE_COLUMNS} FROM case_management."case" WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ? toCase(rows[0]) : null;
  }

  async findByClientRequestId(tx: Db, clientRequestId: string): Promise<CaseRecord | null> {
    const rows = await tx.query(`SELECT ${CASE_COLUMNS} FROM case_management."case" WHERE client_request_id = $1`, [clientRequestId]);
    return rows[0] ? toCase(rows[0]) : null;
  }

  async update(tx: Db, id: string, set: Partial<Record<string, unknown>>): Promise<CaseRecord> {
    const cols = Object.keys(set);
    const assignments = cols.map((c, i) => `${c} = $${i + 2}`).join(', ');
    const rows = await tx.query(
      `UPDATE case_management."case" SET ${assignments}, updated_at = now(), version = version + 1 WHERE id = $1 RETURNING ${CASE_COLUMNS}`,
      [id, ...cols.map((c) => set[c])],
    );
    // UPDATE … RETURNING through EntityManager.query gives [rows, count]
    const list = Array.isArray(rows[0]) ? rows[0] : rows;
    return toCase(list[0]);
  }

  async list(
    tx: Db,
    f: {
      territory: string;
      status?: string;
      workerId?: string;
      personId?: string;
      katottg?: string;
      category?: string;
      limit: number;
      offset: number;
    },
  ): Promise<{ items: CaseRecord[]; total: number }> {
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
    const [{ total }] = await tx.query(`SELECT count(*)::int AS total FROM case_management."case" WHERE ${w}`, params);
    const rows = await tx.query(
      `SELECT ${CASE_COLUMNS} FROM case_management."case" WHERE ${w} ORDER BY request_date DESC, id LIMIT ${f.limit} OFFSET ${f.offset}`,
      params,
    );
    return { items: rows.map(toCase), total };
  }

  journal(
    tx: Db,
    e: {
      caseId: string;
      action: string;
      from?: string | null;
      to?: string | null;
      actorId: string;
      reason?: string | null;
      data?: Record<string, unknown>;
    },
  ): Promise<unknown> {
    return tx.query(
      `INSERT INTO case_management.case_journal (case_id, action, from_status, to_status, actor_id, reason, data) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
      [e.caseId, e.action, e.from ?? null, e.to ?? null, e.actorId, e.reason ?? null, JSON.stringify(e.data ?? {})],
    );
  }

  async journalOf(tx: Db, caseId: string): Promise<Record<string, unknown>[]> {
    const rows = await tx.query(
      `SELECT seq, action, from_status, to_status, actor_id, reason, data, at FROM case_management.case_journal WHERE case_id = $1 ORDER BY seq`,
      [caseId],
    );
    return rows.map((r: any) => ({
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

  async latestAct(
    tx: Db,
    caseId: string,
    kind: 'assessment' | 'plan',
  ): Promise<{ id: string; actVersion: number; actDate: string; data: any; correctionReason: string | null } | null> {
    const rows = await tx.query(
      `SELECT id, act_version, act_date::text AS act_date, data, correction_reason FROM case_management.case_act WHERE case_id = $1 AND kind = $2 ORDER BY act_version DESC LIMIT 1`,
      [caseId, kind],
    );
    const r = rows[0];
    return r ? { id: r.id, actVersion: r.act_version, actDate: r.act_date, data: r.data, correctionReason: r.correction_reason } : null;
  }

  insertAct(
    tx: Db,
    a: {
      id: string;
      caseId: string;
      kind: 'assessment' | 'plan';
      actVersion: number;
      actDate: string;
      data: unknown;
      correctionReason: string | null;
      signedBy: string;
    },
  ): Promise<unknown> {
    return tx.query(
      `INSERT INTO case_management.case_act (id, case_id, kind, act_version, act_date, data, correction_reason, signed_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [a.id, a.caseId, a.kind, a.actVersion, a.actDate, JSON.stringify(a.data), a.correctionReason, a.signedBy],
    );
  }

  async actsOf(tx: Db, caseId: string): Promise<Record<string, unknown>[]> {
    const rows = await tx.query(
      `SELECT id, kind, act_version, act_date::text AS act_date, data, correction_reason, signed_by, signed_at FROM case_management.case_act WHERE case_id = $1 ORDER BY kind, act_version`,
      [caseId],
    );
    return rows.map((r: any) => ({
      id: r.id,
      kind: r.kind,
      actVersion: r.act_version,
      actDate: r.act_date,
      data: r.data,
      correctionReason: r.correction_reason,
      signedBy: r.signed_by,
      signedAt: new Date(r.signed_at).toISOString(),
    }));
  }

  insertContract(
    tx: Db,
    c: {
      id: string;
      caseId: string;
      providerId: string;
      providerName: string;
      contractNumber: string;
      signedOn: string;
      validTo: string | null;
      createdBy: string;
    },
  ): Promise<unknown> {
    return tx.query(
      `INSERT INTO case_management.case_contract (id, case_id, provider_id, provider_name, contract_number, signed_on, valid_to, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
       ON CONFLICT (case_id, contract_number) DO NOTHING`,
      [c.id, c.caseId, c.providerId, c.providerName, c.contractNumber, c.signedOn, c.validTo, c.createdBy],
    );
  }

  async contractsOf(
    tx: Db,
    caseId: string,
  ): Promise<{ id: string; providerId: string; providerName: string; contractNumber: string; signedOn: string; validTo: string | null }[]> {
    const rows = await tx.query(
      `SELECT id, provider_id, provider_name, contract_number, signed_on::text AS signed_on, valid_to::text AS valid_to FROM case_management.case_contract WHERE case_id = $1 ORDER BY signed_on, created_at`,
      [caseId],
    );
    return rows.map((r: any) => ({
      id: r.id,
      providerId: r.provider_id,
      providerName: r.provider_name,
      contractNumber: r.contract_number,
      signedOn: r.signed_on,
      validTo: r.valid_to,
    }));
  }

  async findProvision(tx: Db, caseId: string, clientId: string): Promise<ProvisionRecord | null> {
    const rows = await tx.query(`SELECT ${PROVISION_COLUMNS} FROM case_management.provision WHERE case_id = $1 AND client_id = $2`, [
      caseId,
      clientId,
    ]);
    return rows[0] ? toProvision(rows[0]) : null;
  }

  async insertProvision(tx: Db, p: Omit<ProvisionRecord, 'recordedAt'> & { recordedBy: string }): Promise<ProvisionRecord | null> {
    const rows = await tx.query(
      `INSERT INTO case_management.provision (id, case_id, client_id, service_code, provider_id, provided_on, duration_minutes, worker_id, notes, recorded_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT (case_id, client_id) DO NOTHING RETURNING ${PROVISION_COLUMNS}`,
      [p.id, p.caseId, p.clientId, p.serviceCode, p.providerId, p.providedOn, p.durationMinutes, p.workerId, p.notes, p.recordedBy],
    );
    return rows[0] ? toProvision(rows[0]) : null;
  }

  async provisionsOf(tx: Db, caseId: string, limit: number, offset: number): Promise<{ items: ProvisionRecord[]; total: number }> {
    const [{ total }] = await tx.query(`SELECT count(*)::int AS total FROM case_management.provision WHERE case_id = $1`, [caseId]);
    const rows = await tx.query(
      `SELECT ${PROVISION_COLUMNS} FROM case_management.provision WHERE case_id = $1 ORDER BY provided_on, recorded_at LIMIT $2 OFFSET $3`,
      [caseId, limit, offset],
    );
    return { items: rows.map(toProvision), total };
  }

  insertNote(tx: Db, n: { id: string; caseId: string; authorId: string; text: string; notedOn: string }): Promise<unknown> {
    return tx.query(`INSERT INTO case_management.case_note (id, case_id, author_id, text, noted_on) VALUES ($1,$2,$3,$4,$5)`, [
      n.id,
      n.caseId,
      n.authorId,
      n.text,
      n.notedOn,
    ]);
  }

  async notesOf(tx: Db, caseId: string): Promise<Record<string, unknown>[]> {
    const rows = await tx.query(
      `SELECT id, author_id, text, noted_on::text AS noted_on, created_at FROM case_management.case_note WHERE case_id = $1 ORDER BY noted_on, created_at`,
      [caseId],
    );
    return rows.map((r: any) => ({
      id: r.id,
      authorId: r.author_id,
      text: r.text,
      notedOn: r.noted_on,
      createdAt: new Date(r.created_at).toISOString(),
    }));
  }

  async insertAttachment(
    tx: Db,
    a: { id: string; caseId: string; uri: string; sha256: string; fileName: string; mediaType: string; addedBy: string },
  ): Promise<string> {
    const rows = await tx.query(
      `INSERT INTO case_management.attachment (id, case_id, uri, sha256, file_name, media_type, added_by) VALUES ($1,$2,$3,$4,$5,$6,$7)
       ON CONFLICT (case_id, sha256) DO UPDATE SET sha256 = EXCLUDED.sha256 RETURNING id`,
      [a.id, a.caseId, a.uri, a.sha256, a.fileName, a.mediaType, a.addedBy],
    );
    return rows[0].id;
  }

  async attachmentsOf(tx: Db, caseId: string): Promise<Record<string, unknown>[]> {
    const rows = await tx.query(
      `SELECT id, uri, sha256, file_name, media_type, added_by, added_at FROM case_management.attachment WHERE case_id = $1 ORDER BY added_at`,
      [caseId],
    );
    return rows.map((r: any) => ({
      id: r.id,
      uri: r.uri,
      sha256: r.sha256,
      fileName: r.file_name,
      mediaType: r.media_type,
      addedBy: r.added_by,
      addedAt: new Date(r.added_at).toISOString(),
    }));
  }

  insertTeamMember(
    tx: Db,
    m: { caseId: string; memberId: string; role: string; organisation: string | null; addedBy: string },
  ): Promise<unknown> {
    return tx.query(
      `INSERT INTO case_management.team_member (case_id, member_id, role, organisation, added_by) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING`,
      [m.caseId, m.memberId, m.role, m.organisation, m.addedBy],
    );
  }

  async teamOf(tx: Db, caseId: string): Promise<Record<string, unknown>[]> {
    const rows = await tx.query(
      `SELECT member_id, role, organisation FROM case_management.team_member WHERE case_id = $1 ORDER BY added_at`,
      [caseId],
    );
    return rows.map((r: any) => ({ memberId: r.member_id, role: r.role, organisation: r.organisation }));
  }

  insertMonitoring(
    tx: Db,
    m: { id: string; caseId: string; kind: string; heldOn: string; findings: string; nextReviewDue: string | null; actorId: string },
  ): Promise<unknown> {
    return tx.query(
      `INSERT INTO case_management.monitoring (id, case_id, kind, held_on, findings, next_review_due, actor_id) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
      [m.id, m.caseId, m.kind, m.heldOn, m.findings, m.nextReviewDue, m.actorId],
    );
  }

  async monitoringOf(tx: Db, caseId: string): Promise<Record<string, unknown>[]> {
    const rows = await tx.query(
      `SELECT id, kind, held_on::text AS held_on, findings, next_review_due::text AS next_review_due, actor_id FROM case_management.monitoring WHERE case_id = $1 ORDER BY held_on, created_at`,
      [caseId],
    );
    return rows.map((r: any) => ({
      id: r.id,
      kind: r.kind,
      heldOn: r.held_on,
      findings: r.findings,
      nextReviewDue: r.next_review_due,
      actorId: r.actor_id,
    }));
  }

  insertAppeal(tx: Db, a: { id: string; caseId: string; subject: string; reason: string; filedBy: string }): Promise<unknown> {
    return tx.query(`INSERT INTO case_management.appeal (id, case_id, subject, reason, filed_by) VALUES ($1,$2,$3,$4,$5)`, [
      a.id,
      a.caseId,
      a.subject,
      a.reason,
      a.filedBy,
    ]);
  }

  async findAppeal(tx: Db, id: string): Promise<{ id: string; caseId: string; subject: string; status: string } | null> {
    const rows = await tx.query(`SELECT id, case_id, subject, status FROM case_management.appeal WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ? { id: rows[0].id, caseId: rows[0].case_id, subject: rows[0].subject, status: rows[0].status } : null;
  }

  resolveAppeal(tx: Db, id: string, status: string, reviewerId: string, resolution: string): Promise<unknown> {
    return tx.query(`UPDATE case_management.appeal SET status = $2, reviewer_id = $3, resolution = $4, reviewed_at = now() WHERE id = $1`, [
      id,
      status,
      reviewerId,
      resolution,
    ]);
  }

  async appealsOf(tx: Db, caseId: string): Promise<Record<string, unknown>[]> {
    const rows = await tx.query(
      `SELECT id, subject, reason, filed_by, filed_at, status, reviewer_id, resolution, reviewed_at FROM case_management.appeal WHERE case_id = $1 ORDER BY filed_at`,
      [caseId],
    );
    return rows.map((r: any) => ({
      id: r.id,
      subject: r.subject,
      reason: r.reason,
      filedBy: r.filed_by,
      filedAt: new Date(r.filed_at).toISOString(),
      status: r.status,
      reviewerId: r.reviewer_id,
      resolution: r.resolution,
      reviewedAt: r.reviewed_at ? new Date(r.reviewed_at).toISOString() : null,
    }));
  }

  insertCandidate(
    tx: Db,
    c: { id: string; caseId: string; kind: string; candidateName: string; candidateRef: string | null; addedBy: string },
  ): Promise<unknown> {
    return tx.query(
      `INSERT INTO case_management.placement_candidate (id, case_id, kind, candidate_name, candidate_ref, added_by) VALUES ($1,$2,$3,$4,$5,$6)`,
      [c.id, c.caseId, c.kind, c.candidateName, c.candidateRef, c.addedBy],
    );
  }

  async findCandidate(tx: Db, caseId: string, id: string): Promise<{ id: string; kind: string; status: string } | null> {
    const rows = await tx.query(`SELECT id, kind, status FROM case_management.placement_candidate WHERE case_id = $1 AND id = $2`, [
      caseId,
      id,
    ]);
    return rows[0] ?? null;
  }

  setCandidateStatus(tx: Db, id: string, status: string): Promise<unknown> {
    return tx.query(`UPDATE case_management.placement_candidate SET status = $2 WHERE id = $1`, [id, status]);
  }

  async activePlacement(tx: Db, caseId: string): Promise<{ id: string; candidateId: string } | null> {
    const rows = await tx.query(`SELECT id, candidate_id FROM case_management.placement WHERE case_id = $1 AND ended_on IS NULL`, [caseId]);
    return rows[0] ? { id: rows[0].id, candidateId: rows[0].candidate_id } : null;
  }

  insertPlacement(
    tx: Db,
    p: { id: string; caseId: string; candidateId: string; placedOn: string; decisionRef: string; createdBy: string },
  ): Promise<unknown> {
    return tx.query(
      `INSERT INTO case_management.placement (id, case_id, candidate_id, placed_on, decision_ref, created_by) VALUES ($1,$2,$3,$4,$5,$6)`,
      [p.id, p.caseId, p.candidateId, p.placedOn, p.decisionRef, p.createdBy],
    );
  }

  endPlacement(tx: Db, id: string, endedOn: string, reason: string): Promise<unknown> {
    return tx.query(`UPDATE case_management.placement SET ended_on = $2, end_reason = $3 WHERE id = $1`, [id, endedOn, reason]);
  }

  async childrenOf(tx: Db, caseId: string): Promise<{ candidates: Record<string, unknown>[]; placements: Record<string, unknown>[] }> {
    const c = await tx.query(
      `SELECT id, kind, candidate_name, candidate_ref, status FROM case_management.placement_candidate WHERE case_id = $1 ORDER BY added_at`,
      [caseId],
    );
    const p = await tx.query(
      `SELECT id, candidate_id, placed_on::text AS placed_on, ended_on::text AS ended_on, end_reason, decision_ref FROM case_management.placement WHERE case_id = $1 ORDER BY placed_on`,
      [caseId],
    );
    return {
      candidates: c.map((r: any) => ({
        id: r.id,
        kind: r.kind,
        candidateName: r.candidate_name,
        candidateRef: r.candidate_ref,
        status: r.status,
      })),
      placements: p.map((r: any) => ({
        id: r.id,
        candidateId: r.candidate_id,
        placedOn: r.placed_on,
        endedOn: r.ended_on,
        endReason: r.end_reason,
        decisionRef: r.decision_ref,
      })),
    };
  }

  /** Stages overdue on `asOf` (due date strictly before it), within a territory. */
  async overdue(
    tx: Db,
    f: { territory: string; asOf: string; katottg?: string; workerId?: string; stage?: string; limit: number; offset: number },
  ): Promise<{ items: OverdueRow[]; total: number }> {
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
    const [{ total }] = await tx.query(`SELECT count(*)::int AS total FROM (${base}) s`, params);
    const rows = await tx.query(
      `SELECT id, person_id, katottg, worker_id, status, rule_set_version, stage, due::text AS due FROM (${base}) s ORDER BY katottg, worker_id NULLS FIRST, due, id, stage LIMIT ${f.limit} OFFSET ${f.offset}`,
      params,
    );
    return {
      items: rows.map((r: any) => ({
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

  /** True when this (case, stage) had no notice yet (the notice is now recorded). */
  async recordNotice(tx: Db, caseId: string, stage: string, dueDate: string, detectedOn: string): Promise<boolean> {
    const rows = await tx.query(
      `INSERT INTO case_management.deadline_notice (case_id, stage, due_date, detected_on) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING RETURNING case_id`,
      [caseId, stage, dueDate, detectedOn],
    );
    return rows.length > 0;
  }

  async workload(
    tx: Db,
    territory: string,
    asOf: string,
  ): Promise<{ katottg: string; workerId: string | null; activeCases: number; crisisCases: number; overdueStages: number }[]> {
    const rows = await tx.query(
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
    return rows.map((r: any) => ({
      katottg: r.katottg,
      workerId: r.worker_id,
      activeCases: r.active,
      crisisCases: r.crisis,
      overdueStages: r.overdue,
    }));
  }
}

export interface ProvisionRecord {
  id: string;
  caseId: string;
  clientId: string;
  serviceCode: string;
  providerId: string;
  providedOn: string;
  durationMinutes: number | null;
  workerId: string | null;
  notes: string | null;
  recordedAt: string;
}

const PROVISION_COLUMNS = `id, case_id, client_id, service_code, provider_id, provided_on::text AS provided_on, duration_minutes, worker_id, notes, recorded_at`;

function toProvision(r: any): ProvisionRecord {
  return {
    id: r.id,
    caseId: r.case_id,
    clientId: r.client_id,
    serviceCode: r.service_code,
    providerId: r.provider_id,
    providedOn: r.provided_on,
    durationMinutes: r.duration_minutes,
    workerId: r.worker_id,
    notes: r.notes,
    recordedAt: new Date(r.recorded_at).toISOString(),
  };
}
