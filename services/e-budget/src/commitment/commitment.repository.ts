import type { AssignmentGrantedV2, PayloadOf } from '@eisss/contracts';
import { TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';

type Snapshot = PayloadOf<typeof AssignmentGrantedV2>['assignment'];

/** Commitments: the months × amounts of each assignment's current version. */
@Injectable()
export class CommitmentRepository {
  constructor(private readonly db: TransactionHost) {}

  async storedVersion(assignmentId: string): Promise<number | null> {
    const rows = await this.db.query<{ version: number }>(`SELECT version FROM e_budget.commitment WHERE assignment_id = $1 FOR UPDATE`, [
      assignmentId,
    ]);
    return rows[0]?.version ?? null;
  }

  /** Replaces the assignment's commitment lines with `months` (released months simply disappear). */
  async replace(a: Snapshot, months: { month: string; amountKopiyky: string }[]): Promise<void> {
    await this.db.query(
      `INSERT INTO e_budget.commitment (assignment_id, version, programme_code, katottg, status, period_to) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (assignment_id) DO UPDATE SET version = EXCLUDED.version, programme_code = EXCLUDED.programme_code, katottg = EXCLUDED.katottg,
         status = EXCLUDED.status, period_to = EXCLUDED.period_to, updated_at = now()`,
      [a.assignmentId, a.version, a.programmeCode, a.katottg, a.status, a.periodTo],
    );
    await this.db.query(`DELETE FROM e_budget.commitment_line WHERE assignment_id = $1`, [a.assignmentId]);
    if (months.length === 0) return;
    await this.db.query(
      `INSERT INTO e_budget.commitment_line (assignment_id, month, programme_code, region, amount_kopiyky)
       SELECT $1, m.month, $2, left($3, 4), m.amount::bigint FROM unnest($4::text[], $5::text[]) AS m(month, amount)`,
      [a.assignmentId, a.programmeCode, a.katottg, months.map((m) => m.month), months.map((m) => m.amountKopiyky)],
    );
  }

  async regionOf(assignmentId: string): Promise<string | null> {
    const rows = await this.db.query<{ katottg: string }>(`SELECT katottg FROM e_budget.commitment WHERE assignment_id = $1`, [
      assignmentId,
    ]);
    return rows[0] ? rows[0].katottg.slice(0, 4) : null;
  }
}
