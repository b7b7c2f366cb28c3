import { StatusGrantedV1, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { inboxGroup } from '@eisss/platform';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CaseService } from './case.service';

/** Types of register status that are an identification of a person needing social services. */
export const INTAKE_STATUS_TYPES = ['difficult_circumstances', 'child_deprived_of_parental_care'] as const;

const GROUP = inboxGroup('case-management.intake');

/** Opens a case when the register grants a status of difficult life circumstances (once per status). */
@Controller()
export class CaseIntakeConsumer {
  constructor(private readonly cases: CaseService) {}

  /** Runs in the inbox transaction the platform opens; the case service joins it. */
  @EventPattern(StatusGrantedV1.topic, GROUP)
  async onStatusGranted(@Payload() event: EventEnvelope<PayloadOf<typeof StatusGrantedV1>>): Promise<void> {
    const s = event.payload;
    if (!(INTAKE_STATUS_TYPES as readonly string[]).includes(s.type)) return;
    await this.cases.openFromRegisterStatus({
      statusId: s.statusId,
      personId: s.personId,
      katottg: s.katottg,
      type: s.type,
      validFrom: s.validFrom,
      crisis: s.details['crisis'] === true,
    });
  }
}
