import { CaseClosedV1, CaseOpenedV1, CaseServiceProvidedV1, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { EventConsumer, OnEvent } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { SocialServicesRepository } from './social-services.repository';

/** Records in the register the social services a person receives (from case-management's events). */
@Injectable()
@EventConsumer('social-register.social-services')
export class SocialServicesConsumer {
  constructor(private readonly repo: SocialServicesRepository) {}

  @OnEvent(CaseOpenedV1)
  async onOpened(event: EventEnvelope<PayloadOf<typeof CaseOpenedV1>>): Promise<void> {
    const p = event.payload;
    await this.repo.upsertOpened({
      caseId: p.caseId,
      personId: p.personId,
      katottg: p.katottg,
      category: p.category,
      openedOn: p.requestDate,
    });
  }

  @OnEvent(CaseServiceProvidedV1)
  async onProvided(event: EventEnvelope<PayloadOf<typeof CaseServiceProvidedV1>>): Promise<void> {
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

  @OnEvent(CaseClosedV1)
  async onClosed(event: EventEnvelope<PayloadOf<typeof CaseClosedV1>>): Promise<void> {
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
