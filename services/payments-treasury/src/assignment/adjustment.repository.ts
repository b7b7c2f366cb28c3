import { TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';

export interface AdjustmentRow {
  id: string;
  assignmentId: string;
  recipientPersonId: string;
  programmeCode: string;
  month: string;
  kind: 'arrears' | 'overpayment';
  amountKopiyky: string;
  settledKopiyky: string;
  voluntary: boolean;
  explanation: string;
}

export interface AdjustmentInTerritory extends AdjustmentRow {
  katottg: string;
}

const COLUMNS = `j.id, j.assignment_id AS "assignmentId", j.recipient_person_id AS "recipientPersonId", j.programme_code AS "programmeCode", j.month, j.kind,
  j.amount_kopiyky::text AS "amountKopiyky", j.settled_kopiyky::text AS "settledKopiyky", j.voluntary, j.explanation`;
const FROM = `payments_treasury.adjustment j JOIN payments_treasury.assignment a ON a.assignment_id = j.assignment_id`;

/** Arrears and overpayments of assignments, as the adjustment acts read and change them. */
@Injectable()
export class AdjustmentRepository {
  constructor(private readonly db: TransactionHost) {}

  /** Makes the transaction open in this call chain REPEATABLE READ (must be its first statement). */
  async repeatableRead(): Promise<void> {
    await this.db.query(`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`);
  }

  /** Adjustments whose assignment lies in the territory (`territoryPrefix` '' = national), with the total. */
  async list(f: {
    assignmentId?: string;
    kind?: string;
    open?: boolean;
    territoryPrefix: string;
    limit: number;
    offset: number;
    withTotal?: boolean;
  }): Promise<{ items: AdjustmentRow[]; total: number | null }> {
    const where = `WHERE ($1::uuid IS NULL OR j.assignment_id = $1) AND ($2::text IS NULL OR j.kind = $2) AND (NOT $3::boolean OR j.settled_kopiyky < j.amount_kopiyky)
        AND a.katottg LIKE $4 || '%'`;
    const params = [f.assignmentId ?? null, f.kind ?? null, f.open ?? false, f.territoryPrefix];
    const items = await this.db.query<AdjustmentRow>(
      `SELECT ${COLUMNS} FROM ${FROM} ${where} ORDER BY j.created_at, j.id LIMIT $5 OFFSET $6`,
      [...params, f.limit, f.offset],
    );
    const total = await this.db.total(f, `SELECT count(*)::int AS total FROM ${FROM} ${where}`, params);

    return { items, total };
  }

  /** An adjustment whose assignment lies in the territory, or null. */
  async findVisible(id: string, territoryPrefix: string): Promise<AdjustmentInTerritory | null> {
    const rows = await this.db.query<AdjustmentInTerritory>(
      `SELECT ${COLUMNS}, a.katottg FROM ${FROM} WHERE j.id = $1 AND a.katottg LIKE $2 || '%'`,
      [id, territoryPrefix],
    );
    return rows[0] ?? null;
  }

  /** An adjustment, locked for the change that follows. */
  async findForUpdate(id: string): Promise<AdjustmentRow | null> {
    const rows = await this.db.query<AdjustmentRow>(`SELECT ${COLUMNS} FROM payments_treasury.adjustment j WHERE j.id = $1 FOR UPDATE`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  /** The recipient agreed to a recovery above the limit (document `evidenceRef`). */
  async markVoluntary(id: string, evidenceRef: string): Promise<void> {
    await this.db.query(
      `UPDATE payments_treasury.adjustment SET voluntary = true, explanation = explanation || '; voluntary recovery agreed (' || $2 || ')' WHERE id = $1`,
      [id, evidenceRef],
    );
  }

  /** Books `amount` kopiyky of the overpayment as recovered. */
  async settle(id: string, amount: bigint): Promise<void> {
    await this.db.query(`UPDATE payments_treasury.adjustment SET settled_kopiyky = settled_kopiyky + $2 WHERE id = $1`, [
      id,
      amount.toString(),
    ]);
  }
}
