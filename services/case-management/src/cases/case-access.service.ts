import { DomainError, assertTerritory, type Principal } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { CaseErrorCode } from './case.errors';
import { CaseRepository, type CaseRecord, type JournalEntry, type TransitionChanges } from './case.repository';
import { transition, type CaseAction } from './case.state-machine';

/**
 * The case as the other capabilities see it: loaded with the territory check (locked when it is about
 * to change), moved only through the state machine, and journalled.
 */
@Injectable()
export class CaseAccess {
  constructor(private readonly cases: CaseRepository) {}

  /** The case for change: locked (inside the use case's transaction), 404 when unknown, territory-checked. */
  async forChange(principal: Principal, id: string): Promise<CaseRecord> {
    const c = await this.locked(id);
    assertTerritory(principal, c.katottg);
    return c;
  }

  /** The case locked for change without a territory check (the caller checks who may act: appeals). */
  async locked(id: string): Promise<CaseRecord> {
    const c = await this.cases.lockById(id);
    if (!c) throw DomainError.notFound(CaseErrorCode.CASE_NOT_FOUND, `case ${id} not found`);
    return c;
  }

  /** The case to read: 404 when unknown, territory-checked. */
  async forRead(principal: Principal, id: string): Promise<CaseRecord> {
    const c = await this.cases.findById(id);
    if (!c) throw DomainError.notFound(CaseErrorCode.CASE_NOT_FOUND, `case ${id} not found`);
    assertTerritory(principal, c.katottg);
    return c;
  }

  /** The case as it is now (after a change in this transaction). */
  async current(id: string): Promise<CaseRecord> {
    const c = await this.cases.findById(id);
    if (!c) throw DomainError.notFound(CaseErrorCode.CASE_NOT_FOUND, `case ${id} not found`);
    return c;
  }

  /**
   * Every status change: the state machine says where `action` leads from the case's state (409
   * CASE_ILLEGAL_TRANSITION otherwise), the repository moves it there, the journal records it.
   */
  async move(
    principal: Principal,
    c: CaseRecord,
    action: CaseAction,
    changes: TransitionChanges = {},
    reason?: string | null,
    data?: Record<string, unknown>,
  ): Promise<CaseRecord> {
    const to = transition(c, action);
    const moved = await this.cases.applyTransition(c.id, c.status, to, changes);
    await this.cases.journal({ caseId: c.id, action, from: c.status, to, actorId: principal.id, reason, data });
    return moved;
  }

  /** Fails with 409 CASE_ILLEGAL_TRANSITION unless `action` is allowed in the case's status (nothing is written). */
  assertAllowed(c: CaseRecord, action: CaseAction): void {
    transition(c, action);
  }

  /** A journal entry that does not change the status. */
  journal(e: JournalEntry): Promise<void> {
    return this.cases.journal(e);
  }

  /** Moves the next plan review (no status change). */
  setReviewDue(caseId: string, reviewDue: string): Promise<CaseRecord> {
    return this.cases.setReviewDue(caseId, reviewDue);
  }
}
