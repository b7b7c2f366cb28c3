import { Role } from '@eisss/contracts';
import { AuditLog, DomainError, DualControl, Transactional, type DualControlRequest, type Principal } from '@eisss/platform';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { LedgerRepository } from '../ledger/ledger.repository';
import { territoryPrefix } from '../shared/territory';
import { AdjustmentErrorCode } from './adjustment.errors';
import { AdjustmentRepository, type AdjustmentInTerritory, type AdjustmentRow } from './adjustment.repository';

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
    private readonly adjustments: AdjustmentRepository,
    private readonly ledger: LedgerRepository,
    private readonly audit: AuditLog,
    private readonly dual: DualControl,
  ) {}

  onModuleInit(): void {
    this.dual.register(AdjustmentActs.voluntaryConsent, {
      roles: [Role.Treasurer],
      execute: async (req) => {
        await this.openOverpayment(req.subjectId);
        await this.adjustments.markVoluntary(req.subjectId, req.evidenceRef ?? '');
        return { adjustmentId: req.subjectId, voluntary: true };
      },
    });
    this.dual.register(AdjustmentActs.voluntaryReturn, {
      roles: [Role.Treasurer],
      execute: async (req) => {
        const a = await this.openOverpayment(req.subjectId);
        const amount = BigInt(String(req.payload.amountKopiyky));
        this.assertWithinRemaining(a, amount);
        await this.adjustments.settle(a.id, amount);
        await this.ledger.post({
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
  @Transactional({ propagation: 'new' })
  async list(
    principal: Principal,
    f: { assignmentId?: string; kind?: string; open?: boolean; limit: number; offset: number; withTotal?: boolean },
  ): Promise<{ items: AdjustmentRow[]; total: number | null }> {
    // The page and its total from one snapshot (a transaction of its own: the isolation is set first).
    await this.adjustments.repeatableRead();
    const { items, total } = await this.adjustments.list({ ...f, territoryPrefix: territoryPrefix(principal) });
    await this.audit.recordRead(principal, 'person', [...new Set(items.map((i) => i.recipientPersonId))], 'adjustments');
    return { items, total };
  }

  /** The recipient agreed (document `evidenceRef`) to a recovery above the limit: a second treasurer approves. */
  @Transactional()
  async requestConsent(principal: Principal, id: string, act: EvidencedAct): Promise<DualControlRequest> {
    const a = await this.visible(principal, id);
    await this.openOverpayment(a.id);
    return this.dual.request(principal, {
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
  }

  /** The recipient paid back (part of) an overpayment (document `evidenceRef`): booked when a second treasurer approves. */
  @Transactional()
  async requestVoluntaryReturn(principal: Principal, id: string, amount: bigint, act: EvidencedAct): Promise<DualControlRequest> {
    const a = await this.visible(principal, id);
    this.assertWithinRemaining(await this.openOverpayment(a.id), amount);
    return this.dual.request(principal, {
      action: AdjustmentActs.voluntaryReturn,
      subjectType: 'adjustment',
      subjectId: a.id,
      katottg: a.katottg,
      payload: { adjustmentId: a.id, assignmentId: a.assignmentId, amountKopiyky: amount.toString() },
      evidenceRef: act.evidenceRef,
      reason: act.reason,
    });
  }

  private async visible(principal: Principal, id: string): Promise<AdjustmentInTerritory> {
    const a = await this.adjustments.findVisible(id, territoryPrefix(principal));
    if (!a) throw DomainError.notFound(AdjustmentErrorCode.ADJUSTMENT_NOT_FOUND, `adjustment ${id} not found`);
    return a;
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

  private async openOverpayment(id: string): Promise<AdjustmentRow> {
    const a = await this.adjustments.findForUpdate(id);
    if (!a) throw DomainError.notFound(AdjustmentErrorCode.ADJUSTMENT_NOT_FOUND, `adjustment ${id} not found`);
    if (a.kind !== 'overpayment')
      throw DomainError.conflict(AdjustmentErrorCode.ADJUSTMENT_NOT_OVERPAYMENT, `adjustment ${id} is ${a.kind}`);
    if (BigInt(a.settledKopiyky) >= BigInt(a.amountKopiyky))
      throw DomainError.conflict(AdjustmentErrorCode.ADJUSTMENT_SETTLED, `overpayment ${id} is recovered`);
    return a;
  }
}
