import { FindingDecidedV1, FindingRaisedV1, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { EventConsumer, OnEvent } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { FindingsService } from './findings.service';

/** Findings of verification (every rule, not only deaths) and the officers' decisions on them. */
@Injectable()
@EventConsumer('social-processing.findings')
export class FindingsConsumer {
  constructor(private readonly findings: FindingsService) {}

  @OnEvent(FindingRaisedV1)
  async onFindingRaised(event: EventEnvelope<PayloadOf<typeof FindingRaisedV1>>): Promise<void> {
    await this.findings.onRaised(event.payload, `event:${event.eventType}`);
  }

  @OnEvent(FindingDecidedV1)
  async onFindingDecided(event: EventEnvelope<PayloadOf<typeof FindingDecidedV1>>): Promise<void> {
    await this.findings.onDecided(event.payload, `event:${event.eventType}`);
  }
}
