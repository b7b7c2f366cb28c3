import { FundsRejectedV1, FundsReservedV1, PayrollApprovedV1, PayrollHeldV1, PayrollSubmittedV1, type PayloadOf } from '@eisss/contracts';
import {
  AuditLog,
  DomainError,
  OutboxWriter,
  Transactional,
  assertNationalScope,
  PLATFORM_CONFIG,
  type PageRequest,
  type Principal,
} from '@eisss/platform';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { PaymentService } from '../bank/payment.service';
import type { BatchRow } from '../bank/payment.repository';
import type { PaymentsTreasuryConfig } from '../config/config';
import { territoryPrefix } from '../shared/territory';
import { PayrollErrorCode } from './payroll.errors';
import { PayrollRepository, type PayrollRow } from './payroll.repository';

export interface RunPayrollCommand {
  programmeCode: string;
  month: string;
  clientRequestId?: string;
}

/**
 * The monthly payroll: accrual (set-based), control totals, the funds check through e-budget
 * (payroll.submitted → funds.reserved | funds.rejected), approval or hold, then payment batches.
 * A payroll covers the whole country: running, resubmitting and exporting it are national acts
 * (territory UA); a regional user sees the payrolls and lines of their territory only.
 */
@Injectable()
export class PayrollService {
  constructor(
    private readonly payrolls: PayrollRepository,
    private readonly payments: PaymentService,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditLog,
    @Inject(PLATFORM_CONFIG) private readonly config: PaymentsTreasuryConfig,
  ) {}

  /** Accrues the month for every active assignment of the programme and submits the payroll for the funds check, in one transaction. */
  async run(principal: Principal, cmd: RunPayrollCommand): Promise<PayrollRow> {
    assertNationalScope(principal, 'a payroll of a programme');
    if (cmd.clientRequestId) {
      const again = await this.payrolls.findByClientRequestId(cmd.clientRequestId);
      if (again) return again;
    }
    return this.accrueAndSubmit(principal, cmd);
  }

  @Transactional()
  private async accrueAndSubmit(principal: Principal, cmd: RunPayrollCommand): Promise<PayrollRow> {
    await this.payrolls.lockPeriod(cmd.programmeCode, cmd.month);
    const existing = await this.payrolls.findByPeriod(cmd.programmeCode, cmd.month);
    if (existing) {
      if (cmd.clientRequestId && existing.clientRequestId === cmd.clientRequestId) return existing;
      throw DomainError.conflict(
        PayrollErrorCode.PAYROLL_EXISTS,
        `the payroll of ${cmd.programmeCode} for ${cmd.month} already exists`,
        'month',
        { payrollId: existing.id, status: existing.status },
      );
    }
    if (!(await this.payrolls.programmeKnown(cmd.programmeCode))) {
      throw DomainError.unprocessable(
        PayrollErrorCode.PAYROLL_PROGRAMME_UNKNOWN,
        `the treasury holds no assignment of programme ${JSON.stringify(cmd.programmeCode)}`,
        'programmeCode',
      );
    }
    const id = randomUUID();
    const submissionId = randomUUID();
    await this.payrolls.insert({
      id,
      programmeCode: cmd.programmeCode,
      month: cmd.month,
      submissionId,
      clientRequestId: cmd.clientRequestId ?? null,
      createdBy: principal.id,
    });
    // Lines, their ledger entries and the control totals in one statement.
    const { regions } = await this.payrolls.accrue(id, cmd.programmeCode, cmd.month, this.config.TREASURY_DEDUCTION_LIMIT_PERCENT);
    await this.payrolls.analyzeLines();
    await this.payrolls.settleAdjustments(id);
    const p = (await this.payrolls.findById(id))!;
    await this.submit(p, regions);
    await this.audit.recordAction(principal, 'run', 'payroll', [id], `${cmd.programmeCode} ${cmd.month}: ${p.lineCount} lines`);
    return p;
  }

  /** A held payroll is submitted again (e.g. after the appropriation was raised). */
  @Transactional()
  async resubmit(principal: Principal, id: string): Promise<PayrollRow> {
    assertNationalScope(principal, 'resubmitting a payroll');
    const p = await this.payrolls.findById(id, true);
    if (!p) throw DomainError.notFound(PayrollErrorCode.PAYROLL_NOT_FOUND, `payroll ${id} not found`);
    if (p.status !== 'held')
      throw DomainError.conflict(
        PayrollErrorCode.PAYROLL_NOT_HELD,
        `payroll ${id} is ${p.status}; only a held payroll is resubmitted`,
        undefined,
        { status: p.status },
      );
    const submissionId = randomUUID();
    await this.payrolls.setStatus(id, { status: 'submitted', submissionId, holdReasonCode: null, holdReason: null });
    const { regions } = await this.payrolls.computeTotals(id);
    const fresh = (await this.payrolls.findById(id))!;
    await this.submit(fresh, regions);
    await this.audit.recordAction(principal, 'resubmit', 'payroll', [id], `submission ${submissionId}`);
    return fresh;
  }

  private async submit(p: PayrollRow, regions: PayloadOf<typeof PayrollSubmittedV1>['regions']): Promise<void> {
    await this.outbox.append(
      PayrollSubmittedV1,
      {
        payrollId: p.id,
        submissionId: p.submissionId,
        programmeCode: p.programmeCode,
        month: p.month,
        lineCount: p.lineCount,
        accruedKopiyky: p.accruedKopiyky,
        arrearsKopiyky: p.arrearsKopiyky,
        deductionsKopiyky: p.deductionsKopiyky,
        totalKopiyky: p.totalKopiyky,
        regions,
      },
      { aggregateId: p.id },
    );
  }

  /** e-budget reserved the funds: the payroll is approved and its payments created. A stale answer (other submission) changes nothing. */
  @Transactional()
  async onFundsReserved(f: PayloadOf<typeof FundsReservedV1>): Promise<void> {
    const p = await this.payrolls.findById(f.payrollId, true);
    if (!p || p.status !== 'submitted' || p.submissionId !== f.submissionId) return;
    await this.payrolls.setStatus(p.id, { status: 'approved', reservationId: f.reservationId });
    const created = await this.payments.createPaymentsFor(p.id, p.programmeCode);
    await this.outbox.append(
      PayrollApprovedV1,
      {
        payrollId: p.id,
        submissionId: p.submissionId,
        reservationId: f.reservationId,
        programmeCode: p.programmeCode,
        month: p.month,
        paymentCount: created.count,
        totalKopiyky: created.total,
      },
      { aggregateId: p.id },
    );
  }

  /** e-budget rejected the funds check: the payroll is held with the reason. */
  @Transactional()
  async onFundsRejected(f: PayloadOf<typeof FundsRejectedV1>): Promise<void> {
    const p = await this.payrolls.findById(f.payrollId, true);
    if (!p || p.status !== 'submitted' || p.submissionId !== f.submissionId) return;
    await this.payrolls.setStatus(p.id, { status: 'held', holdReasonCode: f.reasonCode, holdReason: f.reason });
    await this.outbox.append(
      PayrollHeldV1,
      {
        payrollId: p.id,
        submissionId: p.submissionId,
        programmeCode: p.programmeCode,
        month: p.month,
        totalKopiyky: p.totalKopiyky,
        reasonCode: f.reasonCode,
        reason: f.reason,
      },
      { aggregateId: p.id },
    );
  }

  /** Sends the approved payroll's pending payments (and pending re-issues) in batches per bank and to the post. */
  @Transactional()
  async exportBatches(principal: Principal, id: string): Promise<BatchRow[]> {
    assertNationalScope(principal, 'exporting a payroll');
    const p = await this.payrolls.findById(id, true);
    if (!p) throw DomainError.notFound(PayrollErrorCode.PAYROLL_NOT_FOUND, `payroll ${id} not found`);
    if (p.status !== 'approved' && p.status !== 'exported') {
      throw DomainError.conflict(
        PayrollErrorCode.PAYROLL_NOT_APPROVED,
        `payroll ${id} is ${p.status}; only an approved payroll is paid`,
        undefined,
        { status: p.status, holdReason: p.holdReason },
      );
    }
    const batches = await this.payments.exportBatches(id);
    if (p.status === 'approved') await this.payrolls.setStatus(id, { status: 'exported' });
    await this.audit.recordAction(
      principal,
      'export',
      'payroll',
      [id],
      `${batches.length} batches, ${batches.reduce((n, b) => n + b.paymentCount, 0)} payments`,
    );
    return batches;
  }

  /** A payroll with lines in the principal's territory (404 otherwise); the read is audited. */
  async get(principal: Principal, id: string): Promise<PayrollRow> {
    const p = await this.payrolls.findVisible(id, territoryPrefix(principal));
    if (!p) throw DomainError.notFound(PayrollErrorCode.PAYROLL_NOT_FOUND, `payroll ${id} not found`);
    await this.audit.recordAction(principal, 'read', 'payroll', [id], 'payroll');
    return p;
  }

  /** Payrolls with lines in the principal's territory (all for a national user); the read is audited. */
  async list(
    principal: Principal,
    f: { programmeCode?: string; month?: string; status?: string; limit: number; offset: number; withTotal?: boolean },
  ) {
    const page = await this.payrolls.list({ ...f, territoryPrefix: territoryPrefix(principal) });
    await this.audit.recordAction(
      principal,
      'read',
      'payroll',
      page.items.map((p) => p.id),
      'payrolls',
    );
    return page;
  }

  /** Lines of a payroll in the principal's territory; the read of recipients' amounts is audited. */
  async lines(principal: Principal, id: string, pageRequest: PageRequest) {
    await this.get(principal, id);
    return this.linesAudited(principal, id, pageRequest);
  }

  @Transactional()
  private async linesAudited(principal: Principal, id: string, pageRequest: PageRequest) {
    const page = await this.payrolls.lines(id, territoryPrefix(principal), pageRequest);

    await this.audit.recordRead(principal, 'person', [...new Set(page.items.map((l) => l.recipientPersonId))], `payroll ${id} lines`);
    return page;
  }
}
