import { AssignmentEvents, AssignmentGrantedV2, PaymentSettledV1, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { EventConsumer, OnEvent } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { EntitlementRepository } from './entitlement.repository';

type AssignmentEvent = EventEnvelope<PayloadOf<typeof AssignmentGrantedV2>>;

/** The register learns a person's right to support (assignments) and its use (settled payments). */
@Injectable()
@EventConsumer('social-register.entitlements')
export class EntitlementConsumer {
  constructor(private readonly entitlements: EntitlementRepository) {}

  @OnEvent(...AssignmentEvents)
  onAssignment(e: AssignmentEvent) {
    return this.entitlements.upsert(e.payload.assignment, e.eventType);
  }

  @OnEvent(PaymentSettledV1)
  onSettled(e: EventEnvelope<PayloadOf<typeof PaymentSettledV1>>) {
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
