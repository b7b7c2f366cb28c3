import { CaseClosedV1, CaseOpenedV1, CaseServiceProvidedV1, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { inboxGroup } from '@eisss/platform';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { SocialServicesRepository } from './social-services.repository';

const GROUP = inboxGroup('social-register.social-services');

/** Records in the register the social services a person receives (from case-management's events). */
@Controller()
export class SocialServicesConsumer {
  constructor(private readonly repo: SocialServicesRepository) {}

  @EventPattern(CaseOpenedV1.topic, GROUP)
  async onOpened(@Payload() event: EventEnvelope<PayloadOf<typeof CaseOpenedV1>>): Promise<void> {
    const p = event.payload;
    await this.repo.upsertOpened({
      caseId: p.caseId,
      personId: p.personId,
      katottg: p.katottg,
      category: p.category,
      openedOn: p.requestDate,
    });
  }

  @EventPattern(CaseServiceProvidedV1.topic, GROUP)
  async onProvided(@Payload() event: EventEnvelope<PayloadOf<typeof CaseServiceProvidedV1>>): Promise<void> {
    const p = event.payload;
    await this.repo.insertProvision({
      provisionId: p.provisionId,
      caseId: p.caseId,
      personId: p.personId,
      katottg: p.katottg,
      serviceCode: p.serviceCode,
      serviceName: p.serviceName,
      providerId: p.providerId,
      providedOn: p.providedOn,
    });
  }

  @EventPattern(CaseClosedV1.topic, GROUP)
  async onClosed(@Payload() event: EventEnvelope<PayloadOf<typeof CaseClosedV1>>): Promise<void> {
    const p = event.payload;
    await this.repo.upsertClosed({
      caseId: p.caseId,
      personId: p.personId,
      katottg: p.katottg,
      closedOn: p.closedOn,
      outcome: p.outcome,
    });
  }
}
