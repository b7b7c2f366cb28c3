import { AssignmentMigratedV1, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { inboxGroup } from '@eisss/platform';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { MigratedAssignmentsService } from './migrated-assignments.service';

const GROUP = inboxGroup('social-processing.migrated-assignments');

/** The register's imported active assignments of the systems in use: processing takes each legacy case over once. */
@Controller()
export class MigratedAssignmentConsumer {
  constructor(private readonly migrated: MigratedAssignmentsService) {}

  @EventPattern(AssignmentMigratedV1.topic, GROUP)
  async onMigrated(@Payload() event: EventEnvelope<PayloadOf<typeof AssignmentMigratedV1>>): Promise<void> {
    await this.migrated.takeOver(event.payload);
  }
}
