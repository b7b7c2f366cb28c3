import { AssignmentEvents, AssignmentGrantedV2, PaymentSettledV1, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { EventConsumer, OnEvent } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EntitlementRepository } from './entitlement.repository';

type AssignmentEvent = EventEnvelope<PayloadOf<typeof AssignmentGrantedV2>>;

/** The register learns a person's right to support (assignments) and its use (settled payments). */
@Injectable()
@EventConsumer('social-register.entitlements')
export class EntitlementConsumer {
  constructor(private readonly entitlements: EntitlementRepository) {}

  @OnEvent(...AssignmentEvents)
  onAssignment(e: AssignmentEvent, tx: EntityManager) {
    return this.entitlements.upsert(tx, e.payload.assignment, e.eventType);
  }

  @OnEvent(PaymentSettledV1)
  onSettled(e: EventEnvelope<PayloadOf<typeof PaymentSettledV1>>, tx: EntityManager) {
    const p = e.payload;
    return this.entitlements.recordUse(tx, {
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
