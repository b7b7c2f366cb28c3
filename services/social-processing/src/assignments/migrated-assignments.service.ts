import { TransientError } from '@eisss/platform';
import { Injectable, Logger } from '@nestjs/common';
import { PersonProjectionRepository } from '../person-projection/person-projection.repository';
import { AssignmentsRepository } from './assignments.repository';
import { AssignmentsService } from './assignments.service';
import { checkMigratedAssignment, migratedAssignmentPlan, type MigratedAssignment } from './migrated-assignment';

/**
 * Takes over the active assignments of the systems in use that the register imported (AssignmentMigratedV1):
 * one legacy case (source system + case number) is one assignment, granted as a decided one is (grant():
 * the register's approved account of the recipient, AssignmentGrantedV2 through the outbox) and marked
 * with its origin; the treasury and e-budget take it like any other.
 */
@Injectable()
export class MigratedAssignmentsService {
  private readonly log = new Logger(MigratedAssignmentsService.name);

  constructor(
    private readonly assignments: AssignmentsService,
    private readonly repo: AssignmentsRepository,
    private readonly persons: PersonProjectionRepository,
  ) {}

  /**
   * In the caller's (the inbox's) transaction. A legacy case already taken over (a redelivery, a second
   * import job of the same case) changes nothing. A recipient processing has not projected yet (the
   * register's PersonRegisteredV1 is consumed by another group and may lag) is a transient failure: the
   * inbox retries, then stalls the partition and resumes it until the person arrives. A data error of the
   * import (programme, amount, term, a deceased recipient) is a DomainError: the event goes to the DLQ.
   */
  async takeOver(e: MigratedAssignment): Promise<{ assignmentId: string; created: boolean }> {
    checkMigratedAssignment(e);
    await this.repo.lockLegacyCase(e.sourceSystem, e.legacyCaseNumber);
    const existing = await this.repo.findByLegacyCase(e.sourceSystem, e.legacyCaseNumber);
    if (existing) {
      if (existing.origin?.importJobId !== e.importJobId)
        this.log.warn(
          `legacy case ${e.sourceSystem}/${e.legacyCaseNumber} of import job ${e.importJobId} was already taken over as assignment ${existing.id} (import job ${existing.origin?.importJobId}): nothing changes`,
        );
      return { assignmentId: existing.id, created: false };
    }
    const [recipient] = await this.persons.findKnown([e.personId]);
    if (!recipient)
      throw new TransientError(
        `person ${e.personId} (legacy case ${e.sourceSystem}/${e.legacyCaseNumber}) is not projected from the register yet`,
      );
    const plan = migratedAssignmentPlan(e, recipient);
    const a = await this.assignments.grant({
      applicationId: null,
      evaluation: plan.evaluation,
      facts: plan.facts,
      katottg: e.katottg,
      // The register's two-person rule: who asked for the import job and who approved it.
      actor: { by: e.requestedBy, approvedBy: e.approvedBy },
      householdId: e.householdId,
      origin: plan.origin,
    });
    return { assignmentId: a.id, created: true };
  }
}
