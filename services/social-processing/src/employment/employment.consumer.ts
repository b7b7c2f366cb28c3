import {
  EmploymentCentreRegistrationChangedV1,
  EmploymentRecordedV1,
  IncomeReportedV1,
  type EventEnvelope,
  type PayloadOf,
} from '@eisss/contracts';
import { inboxGroup } from '@eisss/platform';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EmploymentRepository } from './employment.repository';

const GROUP = inboxGroup('social-processing.employment-facts');

/**
 * Employment-centre registrations, employment / sole-proprietor records and income lines of the tax
 * service, kept as processing's projection; the employment check and the extension read them.
 */
@Controller()
export class EmploymentFactsConsumer {
  constructor(private readonly repo: EmploymentRepository) {}

  @EventPattern(EmploymentCentreRegistrationChangedV1.topic, GROUP)
  async onRegistration(@Payload() event: EventEnvelope<PayloadOf<typeof EmploymentCentreRegistrationChangedV1>>): Promise<void> {
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

  @EventPattern(EmploymentRecordedV1.topic, GROUP)
  async onEmployment(@Payload() event: EventEnvelope<PayloadOf<typeof EmploymentRecordedV1>>): Promise<void> {
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

  @EventPattern(IncomeReportedV1.topic, GROUP)
  async onIncome(@Payload() event: EventEnvelope<PayloadOf<typeof IncomeReportedV1>>): Promise<void> {
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
