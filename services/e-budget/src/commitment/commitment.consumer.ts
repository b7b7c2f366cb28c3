import { AssignmentEvents, AssignmentGrantedV2, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { inboxGroup } from '@eisss/platform';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CommitmentRepository } from './commitment.repository';

type AssignmentEvent = EventEnvelope<PayloadOf<typeof AssignmentGrantedV2>>;

/** The months a version commits: all for an active assignment; before `effectiveFrom` when suspended or terminated. */
export function committedMonths(p: PayloadOf<typeof AssignmentGrantedV2>): { month: string; amountKopiyky: string }[] {
  const months = p.assignment.months.filter((m) => BigInt(m.amountKopiyky) > 0n);
  if (p.assignment.status === 'active') return months;
  return months.filter((m) => m.month < p.effectiveFrom);
}

const GROUP = inboxGroup('e-budget.commitments');

/**
 * Commitments from assignment events: a grant commits its months × amounts; a change, suspension or
 * termination replaces them (releasing what is no longer due); an older version arriving late is ignored.
 */
@Controller()
export class CommitmentConsumer {
  constructor(private readonly commitments: CommitmentRepository) {}

  @EventPattern(AssignmentEvents.map((c) => c.topic), GROUP)
  async onAssignment(@Payload() e: AssignmentEvent): Promise<void> {
    const a = e.payload.assignment;
    const stored = await this.commitments.storedVersion(a.assignmentId);
    if (stored !== null && stored > a.version) return;
    await this.commitments.replace(a, committedMonths(e.payload));
  }
}
