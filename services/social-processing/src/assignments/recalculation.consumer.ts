import { FindingRaisedV1, PersonDiedV1, StatusEndedV1, StatusGrantedV1, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { DomainError, EventConsumer, OnEvent } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AssignmentsService } from './assignments.service';

export enum RecalculationConsumerErrorCode {
  DEATH_DATE_MISSING = 'DEATH_DATE_MISSING',
}

/** Recalculates open assignments when facts change: a status is granted or ends, a person dies (register or verification finding). */
@Injectable()
@EventConsumer('social-processing.recalculation')
export class RecalculationConsumer {
  constructor(private readonly assignments: AssignmentsService) {}

  @OnEvent(StatusGrantedV1)
  async onStatusGranted(event: EventEnvelope<PayloadOf<typeof StatusGrantedV1>>, tx: EntityManager): Promise<void> {
    await this.assignments.onStatusGranted(tx, event.payload, `event:${event.eventType}`);
  }

  @OnEvent(StatusEndedV1)
  async onStatusEnded(event: EventEnvelope<PayloadOf<typeof StatusEndedV1>>, tx: EntityManager): Promise<void> {
    await this.assignments.onStatusEnded(tx, event.payload, `event:${event.eventType}`);
  }

  @OnEvent(PersonDiedV1)
  async onPersonDied(event: EventEnvelope<PayloadOf<typeof PersonDiedV1>>, tx: EntityManager): Promise<void> {
    await this.assignments.onDeath(tx, event.payload.personId, event.payload.deathDate, null, event.payload.source, `event:${event.eventType}`);
  }

  @OnEvent(FindingRaisedV1)
  async onFindingRaised(event: EventEnvelope<PayloadOf<typeof FindingRaisedV1>>, tx: EntityManager): Promise<void> {
    const f = event.payload.finding;
    if (f.rule !== 'death') return;
    const fromEvidence = f.evidence.map((e) => e.facts.dateOfDeath).find((d): d is string => typeof d === 'string' && /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(d));
    const deathDate = f.effectiveDate ?? fromEvidence;
    if (!deathDate) throw DomainError.unprocessable(RecalculationConsumerErrorCode.DEATH_DATE_MISSING, 'a death finding without a date of death');
    await this.assignments.onDeath(tx, f.personId, deathDate, event.payload.assignmentIds, `verification finding ${f.findingId}`, `event:${event.eventType}`);
  }
}
