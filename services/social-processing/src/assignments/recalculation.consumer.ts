import { PersonDiedV1, StatusEndedV1, StatusGrantedV1, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { inboxGroup } from '@eisss/platform';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AssignmentsService } from './assignments.service';

const GROUP = inboxGroup('social-processing.recalculation');

/**
 * Recalculates open assignments when facts of the register change: a status is granted or ends, a
 * person dies. Verification's findings (a death among them) are carried out by the findings module.
 */
@Controller()
export class RecalculationConsumer {
  constructor(private readonly assignments: AssignmentsService) {}

  @EventPattern(StatusGrantedV1.topic, GROUP)
  async onStatusGranted(@Payload() event: EventEnvelope<PayloadOf<typeof StatusGrantedV1>>): Promise<void> {
    await this.assignments.onStatusGranted(event.payload, `event:${event.eventType}`);
  }

  @EventPattern(StatusEndedV1.topic, GROUP)
  async onStatusEnded(@Payload() event: EventEnvelope<PayloadOf<typeof StatusEndedV1>>): Promise<void> {
    await this.assignments.onStatusEnded(event.payload, `event:${event.eventType}`);
  }

  @EventPattern(PersonDiedV1.topic, GROUP)
  async onPersonDied(@Payload() event: EventEnvelope<PayloadOf<typeof PersonDiedV1>>): Promise<void> {
    await this.assignments.onDeath(event.payload.personId, event.payload.deathDate, null, event.payload.source, `event:${event.eventType}`);
  }
}
