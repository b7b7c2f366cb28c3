import { Role } from '@eisss/contracts';
import type { DomainError, Principal } from '@eisss/platform';
import { KYIV_COMMUNITY, LVIV_COMMUNITY, aCase, caseAccessOver, codeOf, worker } from '../../test/unit-fakes';
import type { CaseRecord } from '../cases/case.repository';
import type { AppealRef, AppealsRepository } from './appeals.repository';
import { AppealsService, assertMayAppeal } from './appeals.service';

const APPEAL_ID = '9b8c7d6e-5f4a-4b3c-8d2e-1f0a9b8c7d6e';

class FakeAppeals {
  inserted: unknown[] = [];
  resolved: string[] = [];
  constructor(private readonly appeal: AppealRef | null) {}
  async insertAppeal(a: unknown) {
    this.inserted.push(a);
  }
  async lockAppeal(id: string) {
    return this.appeal?.id === id ? this.appeal : null;
  }
  async resolveAppeal(id: string, outcome: string) {
    this.resolved.push(`${id}:${outcome}`);
  }
}

function build(stored: CaseRecord = aCase(), appeal: Partial<AppealRef> = {}) {
  const { repo, access } = caseAccessOver(stored);
  const appeals = new FakeAppeals({ id: APPEAL_ID, caseId: stored.id, subject: 'decision', status: 'open', ...appeal });
  return { service: new AppealsService(appeals as unknown as AppealsRepository, access), repo, appeals };
}

const reviewer: Principal = { id: 'sup-1', roles: [Role.Supervisor], territory: 'UA' };

describe(AppealsService.name, () => {
  it('writes nothing when a citizen appeals somebody else’s case', async () => {
    const { service, appeals, repo } = build();
    const stranger = { id: 'c2', roles: [Role.Citizen], territory: 'UA', personId: '00000000-0000-4000-8000-000000000000' };
    expect(await codeOf(service.fileAppeal(stranger, aCase().id, { subject: 'decision', reason: 'x' }))).toBe('CASE_APPEAL_FORBIDDEN');
    expect(appeals.inserted).toEqual([]);
    expect(repo.journals).toEqual([]);
  });

  it('sends a refused case back to assessment when an appeal against the decision is upheld', async () => {
    const { service, repo, appeals } = build(aCase({ status: 'refused', decision: { decision: 'refuse' } }));
    const c = await service.reviewAppeal(reviewer, APPEAL_ID, { outcome: 'upheld', resolution: 'reassess' });
    expect(c).toMatchObject({ status: 'assessed', decision: null });
    expect(repo.transitions).toEqual([{ caseId: aCase().id, from: 'refused', to: 'assessed', changes: { decision: null } }]);
    expect(appeals.resolved).toEqual([`${APPEAL_ID}:upheld`]);
    expect(repo.journals.map((j) => j.action)).toEqual(['appeal-reviewed', 'assess']);
  });

  it('leaves the status alone when the appeal is dismissed, and refuses a second review', async () => {
    const dismissed = build(aCase({ status: 'refused' }));
    await expect(dismissed.service.reviewAppeal(reviewer, APPEAL_ID, { outcome: 'dismissed', resolution: 'x' })).resolves.toMatchObject({
      status: 'refused',
    });
    expect(dismissed.repo.transitions).toEqual([]);
    const reviewed = build(aCase({ status: 'refused' }), { status: 'upheld' });
    const e = await reviewed.service.reviewAppeal(reviewer, APPEAL_ID, { outcome: 'upheld', resolution: 'x' }).catch((x: DomainError) => x);
    expect(e).toMatchObject({ code: 'CASE_APPEAL_ALREADY_REVIEWED', details: { status: 'upheld' } });
    expect(await codeOf(reviewed.service.reviewAppeal(reviewer, aCase().id, { outcome: 'upheld', resolution: 'x' }))).toBe(
      'CASE_APPEAL_NOT_FOUND',
    );
  });
});

describe(assertMayAppeal.name, () => {
  const c = aCase();
  const refusedWith = (p: Principal): string => {
    try {
      assertMayAppeal(p, c);
    } catch (e) {
      return (e as DomainError).code;
    }
    return 'ALLOWED';
  };

  it('lets the person of the case and staff of its territory appeal', () => {
    expect(refusedWith({ id: 'c1', roles: [Role.Citizen], territory: 'UA', personId: c.personId })).toBe('ALLOWED');
    expect(refusedWith(worker(KYIV_COMMUNITY))).toBe('ALLOWED');
    expect(refusedWith({ id: 's1', roles: [Role.Supervisor], territory: 'UA' })).toBe('ALLOWED');
  });

  it('refuses a citizen appealing somebody else’s case, or with no person at all, though their territory is national', () => {
    expect(refusedWith({ id: 'c2', roles: [Role.Citizen], territory: 'UA', personId: '00000000-0000-4000-8000-000000000000' })).toBe(
      'CASE_APPEAL_FORBIDDEN',
    );
    expect(refusedWith({ id: 'c3', roles: [Role.Citizen], territory: 'UA' })).toBe('CASE_APPEAL_FORBIDDEN');
  });

  it('refuses staff of another territory and roles that are not case staff', () => {
    expect(refusedWith(worker(LVIV_COMMUNITY))).toBe('TERRITORY_FORBIDDEN');
    expect(refusedWith({ id: 'sys', roles: [Role.System], territory: 'UA' })).toBe('CASE_APPEAL_FORBIDDEN');
    expect(refusedWith({ id: 'x', roles: [Role.Citizen, Role.Treasurer], territory: 'UA', personId: c.personId.replace(/.$/, '1') })).toBe(
      'CASE_APPEAL_FORBIDDEN',
    );
  });
});
