import { AssignmentEvents, AssignmentGrantedV2, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { inboxGroup } from '@eisss/platform';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { RecipientsRepository } from './recipients.repository';

type AssignmentEvent = EventEnvelope<PayloadOf<typeof AssignmentGrantedV2>>;

const GROUP = inboxGroup('verification.recipients');

/** Keeps the list of assignments (recipient, members, community, status) the monthly check runs over. */
@Controller()
export class RecipientsConsumer {
  constructor(private readonly recipients: RecipientsRepository) {}

  @EventPattern(AssignmentEvents.map((c) => c.topic), GROUP)
  async onAssignment(@Payload() event: AssignmentEvent): Promise<void> {
    const a = event.payload.assignment;
    await this.recipients.upsert(
      {
        assignmentId: a.assignmentId,
        version: a.version,
        programmeCode: a.programmeCode,
        recipientPersonId: a.recipientPersonId,
        memberPersonIds: a.memberPersonIds,
        katottg: a.katottg,
        periodFrom: a.periodFrom,
        periodTo: a.periodTo,
        status: a.status,
      },
      new Date(event.occurredAt),
    );
  }
}
