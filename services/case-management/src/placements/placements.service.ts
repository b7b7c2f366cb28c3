import { DomainError, Transactional, type Principal } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CaseAccess } from '../cases/case-access.service';
import { CaseErrorCode } from '../cases/case.errors';
import type { CaseRecord } from '../cases/case.repository';
import { PlacementsRepository, type CandidateRecord, type PlacementRecord } from './placements.repository';

/** 422 CASE_NOT_A_CHILD_CASE unless the case is of a child deprived of parental care. */
export function assertChildCase(c: Pick<CaseRecord, 'category'>): void {
  if (c.category !== 'child_deprived_of_parental_care')
    throw DomainError.unprocessable(
      CaseErrorCode.CASE_NOT_A_CHILD_CASE,
      'placements belong to the case of a child deprived of parental care',
      'caseId',
    );
}

/** A child deprived of parental care: candidates (guardian, foster, adoptive) and the placement with one of them. */
@Injectable()
export class PlacementsService {
  constructor(
    private readonly placements: PlacementsRepository,
    private readonly access: CaseAccess,
  ) {}

  @Transactional()
  async addCandidate(
    principal: Principal,
    id: string,
    cmd: { kind: string; candidateName: string; candidateRef?: string },
  ): Promise<{ id: string }> {
    const c = await this.access.forChange(principal, id);
    assertChildCase(c);
    const candidateId = randomUUID();
    await this.placements.insertCandidate({
      id: candidateId,
      caseId: id,
      kind: cmd.kind,
      candidateName: cmd.candidateName,
      candidateRef: cmd.candidateRef ?? null,
      addedBy: principal.id,
    });
    await this.access.journal({ caseId: id, action: 'candidate-add', actorId: principal.id, data: { candidateId, kind: cmd.kind } });
    return { id: candidateId };
  }

  @Transactional()
  async place(
    principal: Principal,
    id: string,
    cmd: { candidateId: string; placedOn: string; decisionRef: string },
  ): Promise<{ id: string }> {
    const c = await this.access.forChange(principal, id);
    assertChildCase(c);
    const candidate = await this.placements.findCandidate(id, cmd.candidateId);
    if (!candidate)
      throw DomainError.notFound(CaseErrorCode.CASE_CANDIDATE_NOT_FOUND, `candidate ${cmd.candidateId} not found in this case`);
    const active = await this.placements.activePlacement(id);
    if (active)
      throw DomainError.conflict(
        CaseErrorCode.CASE_PLACEMENT_ACTIVE,
        'the child already has an active placement; end it first',
        undefined,
        {
          placementId: active.id,
        },
      );
    const placementId = randomUUID();
    await this.placements.insertPlacement({
      id: placementId,
      caseId: id,
      candidateId: cmd.candidateId,
      placedOn: cmd.placedOn,
      decisionRef: cmd.decisionRef,
      createdBy: principal.id,
    });
    await this.placements.markCandidatePlaced(cmd.candidateId);
    await this.access.journal({
      caseId: id,
      action: 'placement',
      actorId: principal.id,
      data: { placementId, candidateId: cmd.candidateId, kind: candidate.kind, placedOn: cmd.placedOn },
    });
    return { id: placementId };
  }

  @Transactional()
  async endPlacement(principal: Principal, id: string, cmd: { endedOn: string; reason: string }): Promise<void> {
    const c = await this.access.forChange(principal, id);
    assertChildCase(c);
    const active = await this.placements.activePlacement(id);
    if (!active) throw DomainError.notFound(CaseErrorCode.CASE_PLACEMENT_NOT_FOUND, 'the child has no active placement');
    await this.placements.endPlacement(active.id, cmd.endedOn, cmd.reason);
    await this.access.journal({
      caseId: id,
      action: 'placement-end',
      actorId: principal.id,
      reason: cmd.reason,
      data: { placementId: active.id, endedOn: cmd.endedOn },
    });
  }

  /** Candidates and placements of a child's case, null for any other case (for the case file; the caller checked access). */
  async childrenOf(
    c: Pick<CaseRecord, 'id' | 'category'>,
  ): Promise<{ candidates: CandidateRecord[]; placements: PlacementRecord[] } | null> {
    return c.category === 'child_deprived_of_parental_care' ? this.placements.childrenOf(c.id) : null;
  }
}
