import type { Finding } from '@eisss/contracts';
import { TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import type { Static } from '@sinclair/typebox';
import type { Discretion } from './finding-rules';

export type FindingPayload = Static<typeof Finding>;
export type FindingStatus = 'awaiting_decision' | 'acted' | 'rejected';

/** What one finding did to one assignment (or why it did nothing). */
export interface FindingActionRecord {
  assignmentId: string;
  programmeCode: string;
  ruleRowId: string | null;
  outcome: 'changed' | 'terminated' | 'unchanged' | 'no_rule' | 'after_term' | 'not_a_member';
  scope: string | null;
  fromMonth: string | null;
  version: number | null;
  legalRef: string | null;
}

export interface FindingDecision {
  decision: 'accepted' | 'rejected';
  reason: string;
  decidedBy: string;
  decidedAt: string;
}

export interface FindingRecord {
  findingId: string;
  personId: string;
  rule: string;
  kind: string | null;
  discretion: Discretion;
  status: FindingStatus;
  finding: FindingPayload;
  assignmentIds: string[];
  decision: FindingDecision | null;
  actions: FindingActionRecord[];
}

interface FindingRow {
  finding_id: string;
  person_id: string;
  rule: string;
  kind: string | null;
  discretion: Discretion;
  status: FindingStatus;
  finding: FindingPayload;
  assignment_ids: string[];
  decision: FindingDecision | null;
  actions: FindingActionRecord[];
}

function toRecord(r: FindingRow): FindingRecord {
  return {
    findingId: r.finding_id,
    personId: r.person_id,
    rule: r.rule,
    kind: r.kind ?? null,
    discretion: r.discretion,
    status: r.status,
    finding: r.finding,
    assignmentIds: r.assignment_ids,
    decision: r.decision ?? null,
    actions: r.actions,
  };
}

@Injectable()
export class FindingsRepository {
  constructor(private readonly db: TransactionHost) {}

  /**
   * Records a finding the first time it arrives (raised or decided) and returns the stored row locked
   * for this transaction: a second delivery, or the decision after the raise, finds the same row.
   */
  async upsertAndLock(f: {
    finding: FindingPayload;
    kind: string | null;
    discretion: Discretion;
    assignmentIds: string[];
  }): Promise<FindingRecord> {
    this.db.assertActive('locking a finding');
    await this.db.query(
      `INSERT INTO social_processing.finding (finding_id, person_id, rule, kind, discretion, status, finding, assignment_ids)
       VALUES ($1, $2, $3, $4, $5, 'awaiting_decision', $6, $7::uuid[])
       ON CONFLICT (finding_id) DO NOTHING`,
      [f.finding.findingId, f.finding.personId, f.finding.rule, f.kind, f.discretion, JSON.stringify(f.finding), f.assignmentIds],
    );
    const rows = await this.db.query<FindingRow>(`SELECT * FROM social_processing.finding WHERE finding_id = $1 FOR UPDATE`, [
      f.finding.findingId,
    ]);
    return toRecord(rows[0]!);
  }

  async markActed(findingId: string, actions: FindingActionRecord[], actedBy: string, decision: FindingDecision | null): Promise<void> {
    await this.db.query(
      `UPDATE social_processing.finding SET status = 'acted', actions = $2, acted_by = $3, acted_at = now(), decision = COALESCE($4, decision), updated_at = now() WHERE finding_id = $1`,
      [findingId, JSON.stringify(actions), actedBy, decision ? JSON.stringify(decision) : null],
    );
  }

  async markRejected(findingId: string, decision: FindingDecision): Promise<void> {
    await this.db.query(
      `UPDATE social_processing.finding SET status = 'rejected', decision = $2, updated_at = now() WHERE finding_id = $1`,
      [findingId, JSON.stringify(decision)],
    );
  }

  async find(findingId: string): Promise<FindingRecord | null> {
    const rows = await this.db.query<FindingRow>(`SELECT * FROM social_processing.finding WHERE finding_id = $1`, [findingId]);
    return rows[0] ? toRecord(rows[0]) : null;
  }
}
