import { TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';

export interface CandidateRef {
  id: string;
  kind: string;
  status: string;
}

export interface CandidateRecord extends CandidateRef {
  candidateName: string;
  candidateRef: string | null;
}

export interface PlacementRecord {
  id: string;
  candidateId: string;
  placedOn: string;
  endedOn: string | null;
  endReason: string | null;
  decisionRef: string;
}

interface CandidateRow {
  id: string;
  kind: string;
  candidate_name: string;
  candidate_ref: string | null;
  status: string;
}

interface PlacementRow {
  id: string;
  candidate_id: string;
  placed_on: string;
  ended_on: string | null;
  end_reason: string | null;
  decision_ref: string;
}

/** The SQL of a child's placement: candidates (guardian, foster, adoptive) and placements. */
@Injectable()
export class PlacementsRepository {
  constructor(private readonly db: TransactionHost) {}

  async insertCandidate(c: {
    id: string;
    caseId: string;
    kind: string;
    candidateName: string;
    candidateRef: string | null;
    addedBy: string;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO case_management.placement_candidate (id, case_id, kind, candidate_name, candidate_ref, added_by) VALUES ($1,$2,$3,$4,$5,$6)`,
      [c.id, c.caseId, c.kind, c.candidateName, c.candidateRef, c.addedBy],
    );
  }

  async findCandidate(caseId: string, id: string): Promise<CandidateRef | null> {
    const row = await this.db.one<CandidateRef>(
      `SELECT id, kind, status FROM case_management.placement_candidate WHERE case_id = $1 AND id = $2`,
      [caseId, id],
    );
    return row ?? null;
  }

  async markCandidatePlaced(id: string): Promise<void> {
    await this.db.query(`UPDATE case_management.placement_candidate SET status = 'placed' WHERE id = $1`, [id]);
  }

  async activePlacement(caseId: string): Promise<{ id: string; candidateId: string } | null> {
    const row = await this.db.one<{ id: string; candidate_id: string }>(
      `SELECT id, candidate_id FROM case_management.placement WHERE case_id = $1 AND ended_on IS NULL`,
      [caseId],
    );
    return row ? { id: row.id, candidateId: row.candidate_id } : null;
  }

  async insertPlacement(p: {
    id: string;
    caseId: string;
    candidateId: string;
    placedOn: string;
    decisionRef: string;
    createdBy: string;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO case_management.placement (id, case_id, candidate_id, placed_on, decision_ref, created_by) VALUES ($1,$2,$3,$4,$5,$6)`,
      [p.id, p.caseId, p.candidateId, p.placedOn, p.decisionRef, p.createdBy],
    );
  }

  async endPlacement(id: string, endedOn: string, reason: string): Promise<void> {
    await this.db.query(`UPDATE case_management.placement SET ended_on = $2, end_reason = $3 WHERE id = $1`, [id, endedOn, reason]);
  }

  async childrenOf(caseId: string): Promise<{ candidates: CandidateRecord[]; placements: PlacementRecord[] }> {
    const c = await this.db.query<CandidateRow>(
      `SELECT id, kind, candidate_name, candidate_ref, status FROM case_management.placement_candidate WHERE case_id = $1 ORDER BY added_at`,
      [caseId],
    );
    const p = await this.db.query<PlacementRow>(
      `SELECT id, candidate_id, placed_on::text AS placed_on, ended_on::text AS ended_on, end_reason, decision_ref FROM case_management.placement WHERE case_id = $1 ORDER BY placed_on`,
      [caseId],
    );
    return {
      candidates: c.map((r) => ({
        id: r.id,
        kind: r.kind,
        candidateName: r.candidate_name,
        candidateRef: r.candidate_ref,
        status: r.status,
      })),
      placements: p.map((r) => ({
        id: r.id,
        candidateId: r.candidate_id,
        placedOn: r.placed_on,
        endedOn: r.ended_on,
        endReason: r.end_reason,
        decisionRef: r.decision_ref,
      })),
    };
  }
}
