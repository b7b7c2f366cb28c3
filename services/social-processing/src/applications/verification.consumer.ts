import { VerificationCompletedV1, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { inboxGroup } from '@eisss/platform';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ApplicationsService } from './applications.service';

const GROUP = inboxGroup('social-processing.verification');

/** Answers of the verification service to preventive requests: the application is decided (or held for an officer). */
@Controller()
export class VerificationConsumer {
  constructor(private readonly applications: ApplicationsService) {}

  @EventPattern(VerificationCompletedV1.topic, GROUP)
  async onCompleted(@Payload() event: EventEnvelope<PayloadOf<typeof VerificationCompletedV1>>): Promise<void> {
    await this.applications.onVerificationCompleted(event.payload);
  }
}
