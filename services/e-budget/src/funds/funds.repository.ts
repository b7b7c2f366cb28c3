import { TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';

@Injectable()
export class FundsRepository {
  constructor(private readonly db: TransactionHost) {}

  async lock(programmeCode: string, month: string): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtext('funds:' || $1 || ':' || $2))`, [programmeCode, month]);
  }

  async alreadyChecked(submissionId: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM e_budget.funds_check WHERE submission_id = $1`, [submissionId]);
    return rows.length > 0;
  }

  async programmeExists(code: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM e_budget.programme WHERE code = $1`, [code]);
    return rows.length > 0;
  }

  /** Σ appropriations of the programme for the month over all regions (null when none is set). */
  async appropriation(programmeCode: string, month: string): Promise<bigint | null> {
    const [r] = await this.db.query<{ total: string | null }>(
      `SELECT sum(amount_kopiyky)::text AS total FROM e_budget.appropriation WHERE programme_code = $1 AND month = $2`,
      [programmeCode, month],
    );
    return r!.total === null ? null : BigInt(r!.total);
  }

  async reserved(programmeCode: string, month: string): Promise<bigint> {
    const [r] = await this.db.query<{ total: string }>(
      `SELECT coalesce(sum(requested_kopiyky), 0)::text AS total FROM e_budget.funds_check WHERE programme_code = $1 AND month = $2 AND outcome = 'reserved'`,
      [programmeCode, month],
    );
    return BigInt(r!.total);
  }

  async record(
    c: {
      submissionId: string;
      payrollId: string;
      programmeCode: string;
      month: string;
      requested: bigint;
      available: bigint;
      outcome: 'reserved' | 'rejected';
      reservationId: string | null;
      reasonCode: string | null;
      reason: string | null;
    },
    regions: { region: string; totalKopiyky: string }[],
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO e_budget.funds_check (submission_id, payroll_id, programme_code, month, requested_kopiyky, available_kopiyky, outcome, reservation_id, reason_code, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        c.submissionId,
        c.payrollId,
        c.programmeCode,
        c.month,
        c.requested.toString(),
        c.available.toString(),
        c.outcome,
        c.reservationId,
        c.reasonCode,
        c.reason,
      ],
    );
    if (c.reservationId && regions.length) {
      await this.db.query(
        `INSERT INTO e_budget.reservation_region (reservation_id, region, amount_kopiyky) SELECT $1, r.region, r.amount::bigint FROM unnest($2::text[], $3::text[]) AS r(region, amount)`,
        [c.reservationId, regions.map((r) => r.region), regions.map((r) => r.totalKopiyky)],
      );
    }
  }

  async recordPaid(p: {
    paymentId: string;
    assignmentId: string;
    programmeCode: string;
    month: string;
    region: string | null;
    amount: string;
    settledOn: string;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO e_budget.paid (payment_id, assignment_id, programme_code, month, region, amount_kopiyky, settled_on) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (payment_id) DO NOTHING`,
      [p.paymentId, p.assignmentId, p.programmeCode, p.month, p.region, p.amount, p.settledOn],
    );
  }

  async recordReturned(paymentId: string, on: string): Promise<void> {
    await this.db.query(`UPDATE e_budget.paid SET returned_on = $2 WHERE payment_id = $1`, [paymentId, on]);
  }
}
