import { AssignmentEvents, AssignmentGrantedV2, PaymentSettledV1, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { inboxGroup } from '@eisss/platform';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EntitlementRepository } from './entitlement.repository';

type AssignmentEvent = EventEnvelope<PayloadOf<typeof AssignmentGrantedV2>>;

const GROUP = inboxGroup('social-register.entitlements');

/** The register learns a person's right to support (assignments) and its use (settled payments). */
@Controller()
export class EntitlementConsumer {
  constructor(private readonly entitlements: EntitlementRepository) {}

  @EventPattern(AssignmentEvents.map((c) => c.topic), GROUP)
  onAssignment(@Payload() e: AssignmentEvent) {
    return this.entitlements.upsert(e.payload.assignment, e.eventType);
  }

  @EventPattern(PaymentSettledV1.topic, GROUP)
  onSettled(@Payload() e: EventEnvelope<PayloadOf<typeof PaymentSettledV1>>) {
    const p = e.payload;
    return this.entitlements.recordUse({
      paymentId: p.paymentId,
      assignmentId: p.assignmentId,
      personId: p.recipientPersonId,
      programmeCode: p.programmeCode,
      month: p.month,
      amountKopiyky: p.amountKopiyky,
      settledOn: p.settledOn,
    });
  }
}
