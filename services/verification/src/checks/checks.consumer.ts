import { VerificationRequestedV1, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { inboxGroup } from '@eisss/platform';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ChecksService } from './checks.service';

const GROUP = inboxGroup('verification.requests');

/** Answers processing's verification requests (a request id answered before is a no-op). */
@Controller()
export class ChecksConsumer {
  constructor(private readonly checks: ChecksService) {}

  @EventPattern(VerificationRequestedV1.topic, GROUP)
  async onRequested(@Payload() event: EventEnvelope<PayloadOf<typeof VerificationRequestedV1>>): Promise<void> {
    await this.checks.answerRequest(event.payload);
  }
}
