import { VerificationCompletedV1, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { EventConsumer, OnEvent } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { ApplicationsService } from './applications.service';

/** Answers of the verification service to preventive requests: the application is decided (or held for an officer). */
@Injectable()
@EventConsumer('social-processing.verification')
export class VerificationConsumer {
  constructor(private readonly applications: ApplicationsService) {}

  @OnEvent(VerificationCompletedV1)
  async onCompleted(event: EventEnvelope<PayloadOf<typeof VerificationCompletedV1>>): Promise<void> {
    await this.applications.onVerificationCompleted(event.payload);
  }
}
