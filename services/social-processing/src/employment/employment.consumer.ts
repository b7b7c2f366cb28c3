import {
  EmploymentCentreRegistrationChangedV1,
  EmploymentRecordedV1,
  IncomeReportedV1,
  type EventEnvelope,
  type PayloadOf,
} from '@eisss/contracts';
import { EventConsumer, OnEvent } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { EmploymentRepository } from './employment.repository';

/**
 * Employment-centre registrations, employment / sole-proprietor records and income lines of the tax
 * service, kept as processing's projection; the employment check and the extension read them.
 */
@Injectable()
@EventConsumer('social-processing.employment-facts')
export class EmploymentFactsConsumer {
  constructor(private readonly repo: EmploymentRepository) {}

  @OnEvent(EmploymentCentreRegistrationChangedV1)
  async onRegistration(event: EventEnvelope<PayloadOf<typeof EmploymentCentreRegistrationChangedV1>>): Promise<void> {
    const p = event.payload;
    await this.repo.upsertEmploymentFact(
      {
        source: 'employment-centre',
        recordId: p.recordId,
        personId: p.personId,
        kind: p.change,
        effectiveOn: p.effectiveOn,
        details: { registrationKind: p.registrationKind, centreCode: p.centreCode },
      },
      event.eventId,
    );
  }

  @OnEvent(EmploymentRecordedV1)
  async onEmployment(event: EventEnvelope<PayloadOf<typeof EmploymentRecordedV1>>): Promise<void> {
    const p = event.payload;
    await this.repo.upsertEmploymentFact(
      {
        source: 'tax',
        recordId: p.recordId,
        personId: p.personId,
        kind: p.kind,
        effectiveOn: p.effectiveOn,
        details: { employerCode: p.employerCode },
      },
      event.eventId,
    );
  }

  @OnEvent(IncomeReportedV1)
  async onIncome(event: EventEnvelope<PayloadOf<typeof IncomeReportedV1>>): Promise<void> {
    const p = event.payload;
    await this.repo.upsertIncomeFact(
      {
        reportId: p.reportId,
        personId: p.personId,
        month: p.month,
        incomeKind: p.incomeKind,
        amountKopiyky: p.amountKopiyky,
        payerCode: p.payerCode,
      },
      event.eventId,
    );
  }
}
