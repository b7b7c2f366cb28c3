import type { AssignmentGrantedV2, PayloadOf } from '@eisss/contracts';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

type Snapshot = PayloadOf<typeof AssignmentGrantedV2>['assignment'];

/** Commitments: the months × amounts of each assignment's current version. */
@Injectable()
export class CommitmentRepository {
  async storedVersion(tx: EntityManager, assignmentId: string): Promise<number | null> {
    const rows: { version: number }[] = await tx.query(`SELECT version FROM e_budget.commitment WHERE assignment_id = $1 FOR UPDATE`, [
      assignmentId,
    ]);
    return rows[0]?.version ?? null;
  }

  /** Replaces the assignment's commitment lines with `months` (released months simply disappear). */
  async replace(tx: EntityManager, a: Snapshot, months: { month: string; amountKopiyky: string }[]): Promise<void> {
    await tx.query(
      `INSERT INTO e_budget.commitment (assignment_id, version, programme_code, katottg, status, period_to) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (assignment_id) DO UPDATE SET version = EXCLUDED.version, programme_code = EXCLUDED.programme_code, katottg = EXCLUDED.katottg,
         status = EXCLUDED.status, period_to = EXCLUDED.period_to, updated_at = now()`,
      [a.assignmentId, a.version, a.programmeCode, a.katottg, a.status, a.periodTo],
    );
    await tx.query(`DELETE FROM e_budget.commitment_line WHERE assignment_id = $1`, [a.assignmentId]);
    if (months.length === 0) return;
    await tx.query(
      `INSERT INTO e_budget.commitment_line (assignment_id, month, programme_code, region, amount_kopiyky)
       SELECT $1, m.month, $2, left($3, 4), m.amount::bigint FROM unnest($4::text[], $5::text[]) AS m(month, amount)`,
      [a.assignmentId, a.programmeCode, a.katottg, months.map((m) => m.month), months.map((m) => m.amountKopiyky)],
    );
  }

  async regionOf(tx: EntityManager, assignmentId: string): Promise<string | null> {
    const rows: { katottg: string }[] = await tx.query(`SELECT katottg FROM e_budget.commitment WHERE assignment_id = $1`, [assignmentId]);
    return rows[0] ? rows[0].katottg.slice(0, 4) : null;
  }
}
