import { Role } from '@eisss/contracts';
import { AuditLog, DomainError, DualControl, type DualControlRequest, type Principal } from '@eisss/platform';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { LedgerRepository } from '../ledger/ledger.repository';
import { territoryPrefix } from '../shared/territory';
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

interface AdjustmentInTerritory extends AdjustmentRow {
  katottg: string;
}

const COLUMNS = `j.id, j.assignment_id AS "assignmentId", j.recipient_person_id AS "recipientPersonId", j.programme_code AS "programmeCode", j.month, j.kind,
  j.amount_kopiyky::text AS "amountKopiyky", j.settled_kopiyky::text AS "settledKopiyky", j.voluntary, j.explanation`;
const FROM = `payments_treasury.adjustment j JOIN payments_treasury.assignment a ON a.assignment_id = j.assignment_id`;

/** Acts on overpayments that need a second treasurer and a document (DualControl actions). */
export const AdjustmentActs = {
  voluntaryConsent: 'adjustment.voluntary-consent',
  voluntaryReturn: 'adjustment.voluntary-return',
} as const;

export interface EvidencedAct {
  evidenceRef: string;
  reason: string;
}

/**
 * Arrears and overpayments. Recovery rule: an overpayment is deducted from the monthly amounts at
 * most TREASURY_DEDUCTION_LIMIT_PERCENT (20 %) of each monthly amount, unless the recipient agreed to
 * a voluntary recovery (then up to the whole amount) or returns the money voluntarily. Consent and a
 * voluntary return (which writes the overpayment off as recovered) need the document and a second
 * treasurer of the territory.
 */
@Injectable()
export class AdjustmentService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerRepository,
    private readonly audit: AuditLog,
    private readonly dual: DualControl,
  ) {}

  onModuleInit(): void {
    this.dual.register(AdjustmentActs.voluntaryConsent, {
      roles: [Role.Treasurer],
      execute: async (tx, req) => {
        await this.openOverpayment(tx, req.subjectId);
        await tx.query(
          `UPDATE payments_treasury.adjustment SET voluntary = true, explanation = explanation || '; voluntary recovery agreed (' || $2 || ')' WHERE id = $1`,
          [req.subjectId, req.evidenceRef ?? ''],
        );
        return { adjustmentId: req.subjectId, voluntary: true };
      },
    });
    this.dual.register(AdjustmentActs.voluntaryReturn, {
      roles: [Role.Treasurer],
      execute: async (tx, req) => {
        const a = await this.openOverpayment(tx, req.subjectId);
        const amount = BigInt(String(req.payload.amountKopiyky));
        this.assertWithinRemaining(a, amount);
        await tx.query(`UPDATE payments_treasury.adjustment SET settled_kopiyky = settled_kopiyky + $2 WHERE id = $1`, [
          a.id,
          amount.toString(),
        ]);
        await this.ledger.post(tx, {
          kind: 'voluntary_return',
          amount,
          recipientPersonId: a.recipientPersonId,
          programmeCode: a.programmeCode,
          assignmentId: a.assignmentId,
          month: a.month,
          refId: a.id,
        });
        return { adjustmentId: a.id, settledKopiyky: (BigInt(a.settledKopiyky) + amount).toString() };
      },
    });
  }

  /** Adjustments in the principal's territory (by the assignment's КАТОТТГ); the read is audited. */
  async list(
    principal: Principal,
    f: { assignmentId?: string; kind?: string; open?: boolean; limit: number; offset: number },
  ): Promise<{ items: AdjustmentRow[]; total: number }> {
    return this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      const where = `WHERE ($1::uuid IS NULL OR j.assignment_id = $1) AND ($2::text IS NULL OR j.kind = $2) AND (NOT $3::boolean OR j.settled_kopiyky < j.amount_kopiyky)
        AND a.katottg LIKE $4 || '%'`;
      const params = [f.assignmentId ?? null, f.kind ?? null, f.open ?? false, territoryPrefix(principal)];
      const items: AdjustmentRow[] = await tx.query(
        `SELECT ${COLUMNS} FROM ${FROM} ${where} ORDER BY j.created_at, j.id LIMIT $5 OFFSET $6`,
        [...params, f.limit, f.offset],
      );
      const [{ total }] = await tx.query(`SELECT count(*)::int AS total FROM ${FROM} ${where}`, params);
      await this.audit.recordRead(tx, principal, 'person', [...new Set(items.map((i) => i.recipientPersonId))], 'adjustments');
      return { items, total };
    });
  }

  /** The recipient agreed (document `evidenceRef`) to a recovery above the limit: a second treasurer approves. */
  async requestConsent(principal: Principal, id: string, act: EvidencedAct): Promise<DualControlRequest> {
    return this.dataSource.transaction(async (tx) => {
      const a = await this.visible(tx, principal, id);
      await this.openOverpayment(tx, a.id);
      return this.dual.request(tx, principal, {
        action: AdjustmentActs.voluntaryConsent,
        subjectType: 'adjustment',
        subjectId: a.id,
        katottg: a.katottg,
        payload: {
          adjustmentId: a.id,
          assignmentId: a.assignmentId,
          remainingKopiyky: (BigInt(a.amountKopiyky) - BigInt(a.settledKopiyky)).toString(),
        },
        evidenceRef: act.evidenceRef,
        reason: act.reason,
      });
    });
  }

  /** The recipient paid back (part of) an overpayment (document `evidenceRef`): booked when a second treasurer approves. */
  async requestVoluntaryReturn(principal: Principal, id: string, amount: bigint, act: EvidencedAct): Promise<DualControlRequest> {
    return this.dataSource.transaction(async (tx) => {
      const a = await this.visible(tx, principal, id);
      this.assertWithinRemaining(await this.openOverpayment(tx, a.id), amount);
      return this.dual.request(tx, principal, {
        action: AdjustmentActs.voluntaryReturn,
        subjectType: 'adjustment',
        subjectId: a.id,
        katottg: a.katottg,
        payload: { adjustmentId: a.id, assignmentId: a.assignmentId, amountKopiyky: amount.toString() },
        evidenceRef: act.evidenceRef,
        reason: act.reason,
      });
    });
  }

  private async visible(tx: EntityManager, principal: Principal, id: string): Promise<AdjustmentInTerritory> {
    const rows: AdjustmentInTerritory[] = await tx.query(
      `SELECT ${COLUMNS}, a.katottg FROM ${FROM} WHERE j.id = $1 AND a.katottg LIKE $2 || '%'`,
      [id, territoryPrefix(principal)],
    );
    if (!rows[0]) throw DomainError.notFound(AdjustmentErrorCode.ADJUSTMENT_NOT_FOUND, `adjustment ${id} not found`);
    return rows[0];
  }

  private assertWithinRemaining(a: AdjustmentRow, amount: bigint): void {
    const remaining = BigInt(a.amountKopiyky) - BigInt(a.settledKopiyky);
    if (amount > remaining)
      throw DomainError.unprocessable(
        AdjustmentErrorCode.RETURN_EXCEEDS_OVERPAYMENT,
        `only ${remaining} kopiyky of the overpayment remain`,
        'amountKopiyky',
      );
  }

  private async openOverpayment(tx: EntityManager, id: string): Promise<AdjustmentRow> {
    const rows: AdjustmentRow[] = await tx.query(`SELECT ${COLUMNS} FROM payments_treasury.adjustment j WHERE j.id = $1 FOR UPDATE`, [id]);
    const a = rows[0];
    if (!a) throw DomainError.notFound(AdjustmentErrorCode.ADJUSTMENT_NOT_FOUND, `adjustment ${id} not found`);
    if (a.kind !== 'overpayment')
      throw DomainError.conflict(AdjustmentErrorCode.ADJUSTMENT_NOT_OVERPAYMENT, `adjustment ${id} is ${a.kind}`);
    if (BigInt(a.settledKopiyky) >= BigInt(a.amountKopiyky))
      throw DomainError.conflict(AdjustmentErrorCode.ADJUSTMENT_SETTLED, `overpayment ${id} is recovered`);
    return a;
  }
}
