import { FindingDecidedV1, FindingRaisedV1, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { inboxGroup } from '@eisss/platform';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { FindingsService } from './findings.service';

const GROUP = inboxGroup('social-processing.findings');

/** Findings of verification (every rule, not only deaths) and the officers' decisions on them. */
@Controller()
export class FindingsConsumer {
  constructor(private readonly findings: FindingsService) {}

  @EventPattern(FindingRaisedV1.topic, GROUP)
  async onFindingRaised(@Payload() event: EventEnvelope<PayloadOf<typeof FindingRaisedV1>>): Promise<void> {
    await this.findings.onRaised(event.payload, `event:${event.eventType}`);
  }

  @EventPattern(FindingDecidedV1.topic, GROUP)
  async onFindingDecided(@Payload() event: EventEnvelope<PayloadOf<typeof FindingDecidedV1>>): Promise<void> {
    await this.findings.onDecided(event.payload, `event:${event.eventType}`);
  }
}
