import { VerificationRequestedV1, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { EventConsumer, OnEvent } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { ChecksService } from './checks.service';

/** Answers processing's verification requests (a request id answered before is a no-op). */
@Injectable()
@EventConsumer('verification.requests')
export class ChecksConsumer {
  constructor(private readonly checks: ChecksService) {}

  @OnEvent(VerificationRequestedV1)
  async onRequested(event: EventEnvelope<PayloadOf<typeof VerificationRequestedV1>>): Promise<void> {
    await this.checks.answerRequest(event.payload);
  }
}
