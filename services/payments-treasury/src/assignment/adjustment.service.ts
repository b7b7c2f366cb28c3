import { AuditLog, DomainError, type Principal } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { LedgerRepository } from '../ledger/ledger.repository';
import { AdjustmentErrorCode } from './adjustment.errors';

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

const COLUMNS = `id, assignment_id AS "assignmentId", recipient_person_id AS "recipientPersonId", programme_code AS "programmeCode", month, kind,
  amount_kopiyky::text AS "amountKopiyky", settled_kopiyky::text AS "settledKopiyky", voluntary, explanation`;

/**
 * Arrears and overpayments. Recovery rule: an overpayment is deducted from the monthly amounts at
 * most TREASURY_DEDUCTION_LIMIT_PERCENT (20 %) of each monthly amount, unless the recipient agreed to
 * a voluntary recovery (then up to the whole amount) or returns the money voluntarily.
 */
@Injectable()
export class AdjustmentService {
  constructor(private readonly dataSource: DataSource, private readonly ledger: LedgerRepository, private readonly audit: AuditLog) {}

  async list(principal: Principal, f: { assignmentId?: string; kind?: string; open?: boolean; limit: number; offset: number }): Promise<{ items: AdjustmentRow[]; total: number }> {
    return this.dataSource.transaction(async (tx) => {
      const where = `WHERE ($1::uuid IS NULL OR assignment_id = $1) AND ($2::text IS NULL OR kind = $2) AND (NOT $3::boolean OR settled_kopiyky < amount_kopiyky)`;
      const params = [f.assignmentId ?? null, f.kind ?? null, f.open ?? false];
      const items: AdjustmentRow[] = await tx.query(`SELECT ${COLUMNS} FROM payments_treasury.adjustment ${where} ORDER BY created_at LIMIT $4 OFFSET $5`, [...params, f.limit, f.offset]);
      const [{ total }] = await tx.query(`SELECT count(*)::int AS total FROM payments_treasury.adjustment ${where}`, params);
      await this.audit.recordRead(tx, principal, 'person', [...new Set(items.map((i) => i.recipientPersonId))], 'adjustments');
      return { items, total };
    });
  }

  private async openOverpayment(tx: EntityManager, id: string): Promise<AdjustmentRow> {
    const rows: AdjustmentRow[] = await tx.query(`SELECT ${COLUMNS} FROM payments_treasury.adjustment WHERE id = $1 FOR UPDATE`, [id]);
    const a = rows[0];
    if (!a) throw DomainError.notFound(AdjustmentErrorCode.ADJUSTMENT_NOT_FOUND, `adjustment ${id} not found`);
    if (a.kind !== 'overpayment') throw DomainError.conflict(AdjustmentErrorCode.ADJUSTMENT_NOT_OVERPAYMENT, `adjustment ${id} is ${a.kind}`);
    if (BigInt(a.settledKopiyky) >= BigInt(a.amountKopiyky)) throw DomainError.conflict(AdjustmentErrorCode.ADJUSTMENT_SETTLED, `overpayment ${id} is recovered`);
    return a;
  }

  /** The recipient agreed to a voluntary recovery: deductions may then exceed the 20 % limit. */
  async consent(principal: Principal, id: string): Promise<AdjustmentRow> {
    void principal;
    return this.dataSource.transaction(async (tx) => {
      const a = await this.openOverpayment(tx, id);
      await tx.query(`UPDATE payments_treasury.adjustment SET voluntary = true, explanation = explanation || '; voluntary recovery agreed' WHERE id = $1`, [id]);
      return { ...a, voluntary: true, explanation: `${a.explanation}; voluntary recovery agreed` };
    });
  }

  /** The recipient paid back (part of) an overpayment. */
  async voluntaryReturn(principal: Principal, id: string, amount: bigint): Promise<AdjustmentRow> {
    void principal;
    return this.dataSource.transaction(async (tx) => {
      const a = await this.openOverpayment(tx, id);
      const remaining = BigInt(a.amountKopiyky) - BigInt(a.settledKopiyky);
      if (amount > remaining) throw DomainError.unprocessable(AdjustmentErrorCode.RETURN_EXCEEDS_OVERPAYMENT, `only ${remaining} kopiyky of the overpayment remain`, 'amountKopiyky');
      await tx.query(`UPDATE payments_treasury.adjustment SET settled_kopiyky = settled_kopiyky + $2 WHERE id = $1`, [id, amount.toString()]);
      await this.ledger.post(tx, { kind: 'voluntary_return', amount, recipientPersonId: a.recipientPersonId, programmeCode: a.programmeCode, assignmentId: a.assignmentId, month: a.month, refId: a.id });
      return { ...a, settledKopiyky: (BigInt(a.settledKopiyky) + amount).toString() };
    });
  }
}
