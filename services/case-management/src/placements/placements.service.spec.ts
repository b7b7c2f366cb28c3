import { KYIV_COMMUNITY, LVIV_COMMUNITY, aCase, caseAccessOver, codeOf, worker } from '../../test/unit-fakes';
import type { CaseRecord } from '../cases/case.repository';
import type { PlacementsRepository } from './placements.repository';
import { PlacementsService } from './placements.service';

const CANDIDATE = 'c0ffee00-0000-4000-8000-000000000001';

class FakePlacements {
  placements: { id: string; candidateId: string }[] = [];
  placed: string[] = [];
  candidates: unknown[] = [];
  ended: string[] = [];
  async insertCandidate(c: unknown) {
    this.candidates.push(c);
  }
  async findCandidate(_caseId: string, id: string) {
    return id === CANDIDATE ? { id, kind: 'foster_family', status: 'candidate' } : null;
  }
  async activePlacement() {
    return this.placements[0] ?? null;
  }
  async insertPlacement(p: { id: string; candidateId: string }) {
    this.placements.push(p);
  }
  async markCandidatePlaced(id: string) {
    this.placed.push(id);
  }
  async endPlacement(id: string) {
    this.ended.push(id);
    this.placements = [];
  }
}

function build(stored: CaseRecord = aCase({ category: 'child_deprived_of_parental_care' })) {
  const { repo, access } = caseAccessOver(stored);
  const placements = new FakePlacements();
  return { service: new PlacementsService(placements as unknown as PlacementsRepository, access), repo, placements };
}

const placement = { candidateId: CANDIDATE, placedOn: '2026-12-01', decisionRef: 'рішення 12' };

describe(PlacementsService.name, () => {
  it('keeps placements to the case of a child deprived of parental care', async () => {
    const { service, placements } = build(aCase());
    expect(await codeOf(service.addCandidate(worker(KYIV_COMMUNITY), aCase().id, { kind: 'guardian', candidateName: 'N' }))).toBe(
      'CASE_NOT_A_CHILD_CASE',
    );
    expect(placements.candidates).toEqual([]);
  });

  it('refuses a worker of another community before anything is written', async () => {
    const { service, placements } = build();
    expect(await codeOf(service.place(worker(LVIV_COMMUNITY), aCase().id, placement))).toBe('TERRITORY_FORBIDDEN');
    expect(placements.placements).toEqual([]);
  });

  it('places the child once at a time, with a known candidate, and ends the placement', async () => {
    const { service, placements, repo } = build();
    expect(await codeOf(service.place(worker(KYIV_COMMUNITY), aCase().id, { ...placement, candidateId: aCase().id }))).toBe(
      'CASE_CANDIDATE_NOT_FOUND',
    );
    await service.place(worker(KYIV_COMMUNITY), aCase().id, placement);
    expect(placements.placed).toEqual([CANDIDATE]);
    expect(await codeOf(service.place(worker(KYIV_COMMUNITY), aCase().id, placement))).toBe('CASE_PLACEMENT_ACTIVE');
    await service.endPlacement(worker(KYIV_COMMUNITY), aCase().id, { endedOn: '2027-01-10', reason: 'adopted' });
    expect(await codeOf(service.endPlacement(worker(KYIV_COMMUNITY), aCase().id, { endedOn: '2027-01-11', reason: 'x' }))).toBe(
      'CASE_PLACEMENT_NOT_FOUND',
    );
    expect(repo.journals.map((j) => j.action)).toEqual(['placement', 'placement-end']);
    expect(repo.transitions).toEqual([]);
  });
});
