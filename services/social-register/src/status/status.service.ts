import { StatusEndedV1, StatusGrantedV1 } from '@eisss/contracts';
import { AuditLog, DomainError, OutboxWriter, Transactional, type Principal } from '@eisss/platform';
import { assertCanSeePersonRecord } from '../common/access';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '@eisss/platform';
import { StatusErrorCode } from './status.errors';
import { StatusRepository, type StatusHistoryRow, type StatusRow } from './status.repository';
import { validateStatusDetails, type StatusDetails, type StatusType } from './status.rules';

export interface GrantStatusCommand {
  type: StatusType;
  validFrom: string;
  validTo?: string;
  source: string;
  reason?: string;
  details?: StatusDetails;
  clientRequestId?: string;
}

export interface CorrectStatusCommand {
  validFrom?: string;
  validTo?: string | null;
  source: string;
  reason: string;
  details?: StatusDetails;
}

@Injectable()
export class StatusService {
  constructor(
    private readonly statuses: StatusRepository,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditLog,
  ) {}

  /** Grants a status (no overlap with one of the same type) and emits status-granted. */
  async grant(principal: Principal, personId: string, cmd: GrantStatusCommand): Promise<StatusRow> {
    const details = cmd.details ?? {};
    this.checkPeriod(cmd.validFrom, cmd.validTo ?? null);
    validateStatusDetails(cmd.type, details, cmd.validFrom);
    try {
      return await this.grantIn(principal, personId, cmd, details);
    } catch (err) {
      // The same client request committed concurrently: answer with what it created.
      if (!cmd.clientRequestId || !isUniqueViolation(err, 'person_status_client_request_id_key')) throw err;
      return (await this.statuses.findByClientRequestId(cmd.clientRequestId))!;
    }
  }

  @Transactional()
  private async grantIn(principal: Principal, personId: string, cmd: GrantStatusCommand, details: StatusDetails): Promise<StatusRow> {
    if (cmd.clientRequestId) {
      const seen = await this.statuses.findByClientRequestId(cmd.clientRequestId);
      if (seen) return seen;
    }
    // The person, the overlap check under its lock and the writes in one round trip; the access check
    // follows (a refusal rolls the grant back, nothing of it is seen).
    const granted = await this.statuses.grant(
      {
        id: randomUUID(),
        personId,
        type: cmd.type,
        validFrom: cmd.validFrom,
        validTo: cmd.validTo ?? null,
        source: cmd.source,
        details,
        clientRequestId: cmd.clientRequestId ?? null,
      },
      { reason: cmd.reason ?? null, actorId: principal.id },
    );
    this.checkPerson(principal, personId, granted.person);
    const s = granted.status;
    if (!s) throw this.overlap(cmd.type, granted.clash);
    await this.outbox.append(StatusGrantedV1, this.statuses.payload(s), { aggregateId: personId });
    return s;
  }

  /** Ends a status on a date and emits status-ended. */
  @Transactional()
  async end(principal: Principal, statusId: string, validTo: string, reason: string, source: string): Promise<StatusRow> {
    const s = await this.mustFind(principal, statusId);
    if (s.validTo !== null)
      throw DomainError.conflict(
        StatusErrorCode.STATUS_ALREADY_ENDED,
        `status ${statusId} already ended on ${s.validTo}; correct it instead`,
      );
    this.checkPeriod(s.validFrom, validTo);
    const ended = await this.statuses.update(s.id, { validFrom: s.validFrom, validTo, source, details: s.details });
    await this.statuses.addHistory(ended, 'ended', reason, source, principal.id);
    await this.outbox.append(StatusEndedV1, this.statuses.payload(ended), { aggregateId: ended.personId });
    return ended;
  }

  /** Corrects a status (period, details, source); the history keeps every version; emits status-granted again with the same id. */
  @Transactional()
  async correct(principal: Principal, statusId: string, cmd: CorrectStatusCommand): Promise<StatusRow> {
    const s = await this.mustFind(principal, statusId);
    const validFrom = cmd.validFrom ?? s.validFrom;
    const validTo = cmd.validTo === undefined ? s.validTo : cmd.validTo;
    const details = cmd.details ?? s.details;
    this.checkPeriod(validFrom, validTo);
    validateStatusDetails(s.type, details, validFrom);
    await this.checkOverlap(s.personId, s.type, validFrom, validTo, s.id);
    const corrected = await this.statuses.update(s.id, { validFrom, validTo, source: cmd.source, details });
    await this.statuses.addHistory(corrected, 'corrected', cmd.reason, cmd.source, principal.id);
    await this.outbox.append(StatusGrantedV1, this.statuses.payload(corrected), { aggregateId: corrected.personId });
    return corrected;
  }

  async ofPerson(
    principal: Principal,
    personId: string,
    type: string | undefined,
    activeOn: string | undefined,
    withHistory: boolean,
  ): Promise<{ items: StatusRow[]; history: StatusHistoryRow[] }> {
    await this.checkAndAuditPerson(principal, personId);
    const items = await this.statuses.ofPerson(personId, type, activeOn);
    return { items, history: withHistory ? await this.statuses.history(items.map((s) => s.id)) : [] };
  }

  async get(principal: Principal, statusId: string): Promise<{ status: StatusRow; history: StatusHistoryRow[] }> {
    const status = await this.findAndAudit(principal, statusId);
    return { status, history: await this.statuses.history([statusId]) };
  }

  @Transactional()
  private async checkAndAuditPerson(principal: Principal, personId: string): Promise<void> {
    await this.person(principal, personId, true);
    await this.audit.recordRead(principal, 'person', [personId], 'statuses');
  }

  @Transactional()
  private async findAndAudit(principal: Principal, statusId: string): Promise<StatusRow> {
    const s = await this.mustFind(principal, statusId, false);
    await this.audit.recordRead(principal, 'person', [s.personId], 'status');
    return s;
  }

  private checkPeriod(from: string, to: string | null): void {
    if (to !== null && to < from)
      throw DomainError.validation(StatusErrorCode.STATUS_END_BEFORE_START, 'the status cannot end before it starts', 'validTo');
  }

  private async checkOverlap(personId: string, type: string, from: string, to: string | null, exceptId: string | null): Promise<void> {
    const clash = await this.statuses.overlapping(personId, type, from, to, exceptId);
    if (clash.length > 0) throw this.overlap(type, clash);
  }

  private overlap(type: string, clash: string[]): DomainError {
    return DomainError.conflict(StatusErrorCode.STATUS_OVERLAP, `the person already has a ${type} status in this period`, 'validFrom', {
      statusIds: clash,
    });
  }

  private async person(principal: Principal, personId: string, readOnly = false) {
    return this.checkPerson(principal, personId, await this.statuses.person(personId), readOnly);
  }

  private checkPerson<P extends { katottg: string | null; actualKatottg: string | null; mergedInto: string | null }>(
    principal: Principal,
    personId: string,
    p: P | null,
    readOnly = false,
  ): P {
    if (!p || (!readOnly && p.mergedInto))
      throw DomainError.notFound(
        StatusErrorCode.STATUS_PERSON_NOT_FOUND,
        `person ${personId} not found${p?.mergedInto ? ` (merged into ${p.mergedInto})` : ''}`,
      );
    assertCanSeePersonRecord(principal, personId, [p.katottg, p.actualKatottg]);
    return p;
  }

  private async mustFind(principal: Principal, id: string, lock = true): Promise<StatusRow> {
    const s = await this.statuses.findById(id, lock);
    if (!s) throw DomainError.notFound(StatusErrorCode.STATUS_NOT_FOUND, `status ${id} not found`);
    await this.person(principal, s.personId, true);
    return s;
  }
}
