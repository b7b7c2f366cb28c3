import { PersonDiedV1, StatusEndedV1, StatusGrantedV1, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { EventConsumer, OnEvent } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { AssignmentsService } from './assignments.service';

/**
 * Recalculates open assignments when facts of the register change: a status is granted or ends, a
 * person dies. Verification's findings (a death among them) are carried out by the findings module.
 */
@Injectable()
@EventConsumer('social-processing.recalculation')
export class RecalculationConsumer {
  constructor(private readonly assignments: AssignmentsService) {}

  @OnEvent(StatusGrantedV1)
  async onStatusGranted(event: EventEnvelope<PayloadOf<typeof StatusGrantedV1>>): Promise<void> {
    await this.assignments.onStatusGranted(event.payload, `event:${event.eventType}`);
  }

  @OnEvent(StatusEndedV1)
  async onStatusEnded(event: EventEnvelope<PayloadOf<typeof StatusEndedV1>>): Promise<void> {
    await this.assignments.onStatusEnded(event.payload, `event:${event.eventType}`);
  }

  @OnEvent(PersonDiedV1)
  async onPersonDied(event: EventEnvelope<PayloadOf<typeof PersonDiedV1>>): Promise<void> {
    await this.assignments.onDeath(event.payload.personId, event.payload.deathDate, null, event.payload.source, `event:${event.eventType}`);
  }
}
