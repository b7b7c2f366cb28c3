import {
  AssignmentChangedV2,
  AssignmentGrantedV2,
  AssignmentResumedV2,
  AssignmentSuspendedV2,
  AssignmentTerminatedV2,
  type EventEnvelope,
} from '@eisss/contracts';
import { inboxGroup } from '@eisss/platform';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { PaymentService } from '../bank/payment.service';
import { TreasuryPii } from '../pii/treasury-pii';
import { accountChanged, storedAccountOf } from './account-intake';
import { AssignmentRepository, type AssignmentEventPayload } from './assignment.repository';

type AssignmentEvent = EventEnvelope<AssignmentEventPayload>;

const GROUP = inboxGroup('payments-treasury.assignments');

/**
 * Keeps the treasury's copy of assignments from processing's events. Differences of a recalculation
 * for months already accrued become arrears (paid in the next payroll) or overpayments (recovered
 * by deduction within the legal limit). The account is only ever the one on the event (the register's
 * approved account, filled in by processing); `payment: null` means none: nothing is paid to it. When
 * an account arrives or changes, payroll lines accrued without an account get their payments and
 * returned payments are re-issued to it (both sent with the next export of their payroll).
 *
 * The event carries the IBAN and the payee's identifiers sealed for the treasury: they are opened here
 * (SEAL_KEYS) and stored encrypted under the treasury's data key; a value that does not open, or an
 * IBAN that fails its check, refuses the event (dead-lettered with the reason, nothing stored).
 */
@Controller()
export class AssignmentConsumer {
  constructor(
    private readonly assignments: AssignmentRepository,
    private readonly payments: PaymentService,
    private readonly pii: TreasuryPii,
  ) {}

  @EventPattern(AssignmentGrantedV2.topic, GROUP)
  onGranted(@Payload() e: AssignmentEvent) {
    return this.apply(e, null);
  }

  @EventPattern(AssignmentChangedV2.topic, GROUP)
  onChanged(@Payload() e: AssignmentEvent) {
    return this.apply(e, e.payload.assignment.status === 'active' ? null : e.payload.effectiveFrom);
  }

  @EventPattern(AssignmentSuspendedV2.topic, GROUP)
  onSuspended(@Payload() e: AssignmentEvent) {
    return this.apply(e, e.payload.effectiveFrom);
  }

  @EventPattern(AssignmentResumedV2.topic, GROUP)
  onResumed(@Payload() e: AssignmentEvent) {
    return this.apply(e, null);
  }

  @EventPattern(AssignmentTerminatedV2.topic, GROUP)
  onTerminated(@Payload() e: AssignmentEvent) {
    return this.apply(e, e.payload.effectiveFrom);
  }

  private async apply(e: AssignmentEvent, stopFrom: string | null): Promise<void> {
    const p = e.payload;
    const a = p.assignment;
    const stored = await this.assignments.currentVersion(a.assignmentId);
    if (stored && stored.version > a.version) return; // an older version arriving late changes nothing
    const account = await storedAccountOf(this.pii.opener, await this.pii.cipherFor(), a.payment, a.payment ? a.payee : null);
    await this.assignments.saveVersion(p, stopFrom, account);

    const diffs = p.differences.filter((d) => BigInt(d.differenceKopiyky) !== 0n);
    const accrued = await this.assignments.accruedMonths(
      a.assignmentId,
      diffs.map((d) => d.month),
    );
    for (const d of diffs) {
      if (!accrued.has(d.month)) continue; // not accrued yet: the new version's amount is simply used
      const diff = BigInt(d.differenceKopiyky);
      const reason = p.reason ? `${p.reason.code}: ${p.reason.text}` : 'recalculation';
      await this.assignments.addAdjustment({
        assignmentId: a.assignmentId,
        recipientPersonId: a.recipientPersonId,
        programmeCode: a.programmeCode,
        month: d.month,
        kind: diff > 0n ? 'arrears' : 'overpayment',
        amount: diff > 0n ? diff : -diff,
        explanation: `${diff > 0n ? 'arrears' : 'overpayment'} for ${d.month}: ${d.previousKopiyky} → ${d.newKopiyky} kopiyky (assignment v${a.version}, ${reason})`,
        sourceEventId: e.eventId,
      });
    }

    if (!account) return;
    const changedAccount = stored !== null && accountChanged(stored, account);
    if (!stored || changedAccount) await this.payments.payAwaitingAccount({ assignmentId: a.assignmentId });
    if (changedAccount) await this.payments.reissueReturned(a.assignmentId);
  }
}
