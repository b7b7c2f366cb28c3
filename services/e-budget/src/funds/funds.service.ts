import {
  FundsRejectedV1,
  FundsReservedV1,
  type PaymentReturnedV1,
  type PaymentSettledV1,
  type PayloadOf,
  type PayrollSubmittedV1,
} from '@eisss/contracts';
import { OutboxWriter, Transactional } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CommitmentRepository } from '../commitment/commitment.repository';
import { FundsRepository } from './funds.repository';
import { decideFunds } from './funds.rules';

/** The funds check before each payroll (check → reserve → the treasury pays) and the record of what was paid. */
@Injectable()
export class FundsService {
  constructor(
    private readonly funds: FundsRepository,
    private readonly commitments: CommitmentRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  @Transactional()
  async check(s: PayloadOf<typeof PayrollSubmittedV1>): Promise<void> {
    await this.funds.lock(s.programmeCode, s.month);
    if (await this.funds.alreadyChecked(s.submissionId)) return;
    const requested = BigInt(s.totalKopiyky);
    const programmeKnown = await this.funds.programmeExists(s.programmeCode);
    const appropriation = programmeKnown ? await this.funds.appropriation(s.programmeCode, s.month) : null;
    const reserved = await this.funds.reserved(s.programmeCode, s.month);
    const available = (appropriation ?? 0n) - reserved;
    const d = decideFunds({ programmeKnown, programmeCode: s.programmeCode, month: s.month, appropriation, reserved, requested });
    const common = {
      submissionId: s.submissionId,
      payrollId: s.payrollId,
      programmeCode: s.programmeCode,
      month: s.month,
      requested,
      available,
    };
    if (d.outcome === 'reserved') {
      const reservationId = randomUUID();
      await this.funds.record({ ...common, outcome: 'reserved', reservationId, reasonCode: null, reason: null }, s.regions);
      await this.outbox.append(
        FundsReservedV1,
        {
          reservationId,
          payrollId: s.payrollId,
          submissionId: s.submissionId,
          programmeCode: s.programmeCode,
          month: s.month,
          amountKopiyky: s.totalKopiyky,
          appropriationKopiyky: (appropriation ?? 0n).toString(),
          availableAfterKopiyky: d.availableAfter.toString(),
        },
        { aggregateId: s.payrollId },
      );
    } else {
      await this.funds.record({ ...common, outcome: 'rejected', reservationId: null, reasonCode: d.reasonCode, reason: d.reason }, []);
      await this.outbox.append(
        FundsRejectedV1,
        {
          payrollId: s.payrollId,
          submissionId: s.submissionId,
          programmeCode: s.programmeCode,
          month: s.month,
          requestedKopiyky: s.totalKopiyky,
          availableKopiyky: (available < 0n ? 0n : available).toString(),
          reasonCode: d.reasonCode,
          reason: d.reason,
        },
        { aggregateId: s.payrollId },
      );
    }
  }

  @Transactional()
  async paid(p: PayloadOf<typeof PaymentSettledV1>): Promise<void> {
    const region = await this.commitments.regionOf(p.assignmentId);
    await this.funds.recordPaid({
      paymentId: p.paymentId,
      assignmentId: p.assignmentId,
      programmeCode: p.programmeCode,
      month: p.month,
      region,
      amount: p.amountKopiyky,
      settledOn: p.settledOn,
    });
  }

  @Transactional()
  async returned(p: PayloadOf<typeof PaymentReturnedV1>): Promise<void> {
    await this.funds.recordReturned(p.paymentId, p.returnedOn);
  }
}
