import { Role } from '@eisss/contracts';
import { FixedClock, WorkingCalendar, type DomainError } from '@eisss/platform';
import { FakeAudit, FakeOutbox, KYIV_COMMUNITY, LVIV_COMMUNITY, aCase, caseAccessOver, codeOf, worker } from '../../test/unit-fakes';
import type { CaseRecord, CaseRepository } from './case.repository';
import { CaseService } from './case.service';

function build(stored: CaseRecord = aCase()) {
  const { repo, access } = caseAccessOver(stored);
  const audit = new FakeAudit();
  const outbox = new FakeOutbox();
  const service = new CaseService(
    repo as unknown as CaseRepository,
    access,
    outbox.asOutboxWriter(),
    audit.asAuditLog(),
    new WorkingCalendar(),
    new FixedClock(new Date('2026-11-23T10:00:00Z')),
  );
  return { service, access, repo, audit, outbox };
}

describe(CaseService.name, () => {
  it('filters the list by the worker territory when listing', async () => {
    const { service, repo, audit } = build();
    const page = await service.list(worker(LVIV_COMMUNITY), { limit: 10, offset: 0 });
    expect(page.total).toBe(0);
    expect(repo.listFilters[0]!.territory).toBe(LVIV_COMMUNITY);
    expect(audit.reads).toEqual([]);
    const own = await service.list(worker(KYIV_COMMUNITY), { limit: 10, offset: 0 });
    expect(own.items).toHaveLength(1);
    expect(audit.reads).toHaveLength(1);
  });

  it('refuses to open a case in another community when the worker has no access there', async () => {
    const { service, repo } = build();
    const code = await codeOf(
      service.open(worker(LVIV_COMMUNITY), {
        personId: aCase().personId,
        katottg: KYIV_COMMUNITY,
        channel: 'self',
        requestDate: '2026-11-23',
      }),
    );
    expect(code).toBe('TERRITORY_FORBIDDEN');
    expect(repo.inserted).toEqual([]);
  });

  it('opens a case with its deadlines, journals it and emits case.opened', async () => {
    const { service, repo, outbox } = build();
    const r = await service.open(worker(KYIV_COMMUNITY), {
      personId: aCase().personId,
      katottg: KYIV_COMMUNITY,
      channel: 'self',
      requestDate: '2026-11-23',
    });
    expect(r.created).toBe(true);
    expect(repo.inserted[0]).toMatchObject({ status: 'open', assessmentDue: '2026-11-30', decisionDue: '2026-12-07' });
    expect(repo.journals.map((j) => j.action)).toEqual(['open']);
    expect(outbox.topics).toEqual(['case-management.case.opened.v1']);
  });

  it('changes nothing when a worker of another community tries to decide the case', async () => {
    const { service, repo } = build(aCase({ status: 'assessed' }));
    expect(
      await codeOf(service.decide(worker(LVIV_COMMUNITY), aCase().id, { decision: 'grant', decidedOn: '2026-11-25', reasons: 'x' })),
    ).toBe('TERRITORY_FORBIDDEN');
    expect(repo.transitions).toEqual([]);
    expect(repo.journals).toEqual([]);
  });

  it('moves an assessed case to decided through the state machine and journals the step', async () => {
    const { service, repo } = build(aCase({ status: 'assessed' }));
    const c = await service.decide(worker(KYIV_COMMUNITY), aCase().id, {
      decision: 'grant',
      decidedOn: '2026-11-25',
      reasons: 'needs care',
    });
    expect(c.status).toBe('decided');
    expect(repo.transitions).toEqual([
      {
        caseId: aCase().id,
        from: 'assessed',
        to: 'decided',
        changes: { decision: expect.objectContaining({ decision: 'grant', onTime: true }) },
      },
    ]);
    expect(repo.journals[0]).toMatchObject({ action: 'grant', from: 'assessed', to: 'decided', reason: 'needs care' });
  });

  it('answers 409 CASE_ILLEGAL_TRANSITION when closing a closed case', async () => {
    const { service, repo } = build(aCase({ status: 'closed' }));
    const e = await service
      .close(worker(KYIV_COMMUNITY), aCase().id, { closedOn: '2026-12-01', outcome: 'no_need', finalEvaluation: 'x' })
      .catch((x: DomainError) => x);
    expect(e).toMatchObject({ code: 'CASE_ILLEGAL_TRANSITION', kind: 'conflict', details: { from: 'closed', to: 'closed' } });
    expect(repo.transitions).toEqual([]);
  });

  it('returns a case remembering its stage and re-routes it back to that stage with another body', async () => {
    const { service, repo } = build(aCase({ status: 'assessed' }));
    const manager = { id: 'm1', roles: [Role.CaseManager], territory: 'UA80' };
    await service.returnCase(manager, aCase().id, { reason: 'wrong body' });
    const c = await service.reroute(manager, aCase().id, { katottg: 'UA80000000000012345', reason: 'actual residence' });
    expect(c).toMatchObject({ status: 'assessed', katottg: 'UA80000000000012345', workerId: null, returnedFrom: null });
    expect(repo.transitions.map((t) => [t.from, t.to])).toEqual([
      ['assessed', 'returned'],
      ['returned', 'assessed'],
    ]);
    expect(repo.journals.map((j) => j.action)).toEqual(['return', 'reroute']);
  });

  it('re-routes only a returned case, and never to the body it is with', async () => {
    const manager = { id: 'm1', roles: [Role.CaseManager], territory: 'UA' };
    const open = build();
    const e = await open.service.reroute(manager, aCase().id, { katottg: LVIV_COMMUNITY, reason: 'x' }).catch((x: DomainError) => x);
    expect(e).toMatchObject({ code: 'CASE_ILLEGAL_TRANSITION', details: { from: 'open', to: 'open', action: 'reroute' } });
    const returned = build(aCase({ status: 'returned', returnedFrom: 'open' }));
    expect(await codeOf(returned.service.reroute(manager, aCase().id, { katottg: KYIV_COMMUNITY, reason: 'x' }))).toBe(
      'CASE_REROUTE_SAME_BODY',
    );
    expect(returned.repo.transitions).toEqual([]);
  });

  it('assigns no worker to a closed case', async () => {
    const { service, repo } = build(aCase({ status: 'closed' }));
    expect(await codeOf(service.assign(worker(KYIV_COMMUNITY), aCase().id, { workerId: 'w2' }))).toBe('CASE_ILLEGAL_TRANSITION');
    expect(repo.journals).toEqual([]);
  });
});

describe('CaseAccess', () => {
  it('answers 404 for an unknown case and 403 for another community, and lets an oblast officer read', async () => {
    const { access } = caseAccessOver();
    expect(await codeOf(access.forRead(worker(KYIV_COMMUNITY), '00000000-0000-4000-8000-000000000000'))).toBe('CASE_NOT_FOUND');
    expect(await codeOf(access.forChange(worker(LVIV_COMMUNITY), aCase().id))).toBe('TERRITORY_FORBIDDEN');
    await expect(access.forRead({ id: 'o', roles: [Role.Officer], territory: 'UA80' }, aCase().id)).resolves.toMatchObject({
      katottg: KYIV_COMMUNITY,
    });
  });
});
