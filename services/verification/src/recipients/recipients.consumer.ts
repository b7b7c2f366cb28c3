import { AssignmentEvents, AssignmentGrantedV2, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { EventConsumer, OnEvent } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { RecipientsRepository } from './recipients.repository';

type AssignmentEvent = EventEnvelope<PayloadOf<typeof AssignmentGrantedV2>>;

/** Keeps the list of assignments (recipient, members, community, status) the monthly check runs over. */
@Injectable()
@EventConsumer('verification.recipients')
export class RecipientsConsumer {
  constructor(private readonly recipients: RecipientsRepository) {}

  @OnEvent(...AssignmentEvents)
  async onAssignment(event: AssignmentEvent): Promise<void> {
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
