import { Role } from '@eisss/contracts';
import { DomainError, Transactional, assertTerritory, hasRole, type Principal } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CaseAccess } from '../cases/case-access.service';
import { CaseErrorCode } from '../cases/case.errors';
import type { CaseRecord } from '../cases/case.repository';
import { AppealsRepository, type AppealOutcome, type AppealRecord } from './appeals.repository';

/** Staff who may appeal on a person's behalf (within their territory); a citizen appeals only their own case. */
export const APPEAL_STAFF_ROLES = [Role.CaseWorker, Role.CaseManager, Role.Officer, Role.Supervisor] as const;

export function assertMayAppeal(principal: Principal, c: Pick<CaseRecord, 'personId' | 'katottg'>): void {
  const ownCase = hasRole(principal, Role.Citizen) && principal.personId !== undefined && principal.personId === c.personId;
  if (ownCase) return;
  if (!hasRole(principal, ...APPEAL_STAFF_ROLES)) {
    throw DomainError.forbidden(CaseErrorCode.CASE_APPEAL_FORBIDDEN, 'only the person of the case or staff of its territory may appeal');
  }
  assertTerritory(principal, c.katottg);
}

/** Appeals against a case's decisions (incl. automated ones), reviewed by a person. */
@Injectable()
export class AppealsService {
  constructor(
    private readonly appeals: AppealsRepository,
    private readonly access: CaseAccess,
  ) {}

  /**
   * An appeal is filed by the case's own person (a citizen whose personId is the case's person) or by staff
   * of the case's territory; anyone else is refused (403 CASE_APPEAL_FORBIDDEN, or TERRITORY_FORBIDDEN for
   * staff of another territory) before anything is written.
   */
  @Transactional()
  async fileAppeal(principal: Principal, id: string, cmd: { subject: string; reason: string }): Promise<{ id: string }> {
    const c = await this.access.locked(id);
    assertMayAppeal(principal, c);
    const appealId = randomUUID();
    await this.appeals.insertAppeal({ id: appealId, caseId: id, subject: cmd.subject, reason: cmd.reason, filedBy: principal.id });
    await this.access.journal({
      caseId: id,
      action: 'appeal',
      actorId: principal.id,
      reason: cmd.reason,
      data: { appealId, subject: cmd.subject },
    });
    return { id: appealId };
  }

  /** A person reviews an appeal; an upheld appeal against a refusal sends the case back to a new decision. */
  @Transactional()
  async reviewAppeal(principal: Principal, appealId: string, cmd: { outcome: AppealOutcome; resolution: string }): Promise<CaseRecord> {
    const a = await this.appeals.lockAppeal(appealId);
    if (!a) throw DomainError.notFound(CaseErrorCode.CASE_APPEAL_NOT_FOUND, `appeal ${appealId} not found`);
    if (a.status !== 'open')
      throw DomainError.conflict(CaseErrorCode.CASE_APPEAL_ALREADY_REVIEWED, 'the appeal was already reviewed', undefined, {
        status: a.status,
      });
    const c = await this.access.forChange(principal, a.caseId);
    await this.appeals.resolveAppeal(appealId, cmd.outcome, principal.id, cmd.resolution);
    await this.access.journal({
      caseId: c.id,
      action: 'appeal-reviewed',
      actorId: principal.id,
      reason: cmd.resolution,
      data: { appealId, outcome: cmd.outcome },
    });
    if (cmd.outcome === 'upheld' && a.subject === 'decision' && c.status === 'refused') {
      return this.access.move(principal, c, 'assess', { decision: null }, cmd.resolution, { appealId });
    }
    return this.access.current(c.id);
  }

  /** The appeals of a case (for the case file; the caller checked access). */
  appealsOf(caseId: string): Promise<AppealRecord[]> {
    return this.appeals.appealsOf(caseId);
  }
}
