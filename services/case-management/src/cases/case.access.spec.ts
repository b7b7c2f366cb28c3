import { Role } from '@eisss/contracts';
import { AuditLog, DomainError, FixedClock, OutboxWriter, WorkingCalendar, type Principal } from '@eisss/platform';
import type { EntityManager } from 'typeorm';
import type { CaseRecord, CaseRepository } from './case.repository';
import { CaseService, assertMayAppeal } from './case.service';

const KYIV_COMMUNITY = 'UA80000000000093317';
const LVIV_COMMUNITY = 'UA46060250010015970';

function aCase(over: Partial<CaseRecord> = {}): CaseRecord {
  return {
    id: '6a0f3c1e-2b4d-4e5f-8a9b-0c1d2e3f4a5b',
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    katottg: KYIV_COMMUNITY,
    category: 'adult',
    channel: 'self',
    reporter: null,
    crisis: false,
    requestDate: '2026-11-23',
    requestedServices: [],
    status: 'open',
    returnedFrom: null,
    ruleSetVersion: 'CMU-64-2026',
    assessmentDue: '2026-11-30',
    decisionDue: '2026-12-07',
    reviewDue: null,
    workerId: 'worker-1',
    decision: null,
    outcome: null,
    finalEvaluation: null,
    closedOn: null,
    clientRequestId: null,
    createdAt: '2026-11-23T10:00:00.000Z',
    version: 1,
    ...over,
  };
}

/** A typed fake of the repository: one case in memory, records the filters it was given. */
class FakeCases {
  listFilters: { territory: string }[] = [];
  updates: Record<string, unknown>[] = [];
  constructor(private readonly stored: CaseRecord) {}
  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return work({} as EntityManager);
  }
  get db() {
    return {} as EntityManager;
  }
  async findById(_tx: unknown, id: string) {
    return id === this.stored.id ? this.stored : null;
  }
  async list(_tx: unknown, f: { territory: string }) {
    this.listFilters.push(f);
    const items = this.stored.katottg.startsWith(f.territory) || f.territory === 'UA' ? [this.stored] : [];
    return { items, total: items.length };
  }
  async update(_tx: unknown, _id: string, set: Record<string, unknown>) {
    this.updates.push(set);
    return { ...this.stored, ...set };
  }
  async latestAct() {
    return null;
  }
  async insertAct() {}
  async journal() {}
  async actsOf() {
    return [];
  }
  contractsOf = this.actsOf;
  notesOf = this.actsOf;
  attachmentsOf = this.actsOf;
  teamOf = this.actsOf;
  monitoringOf = this.actsOf;
  appealsOf = this.actsOf;
  journalOf = this.actsOf;
}

class FakeAudit {
  reads: { principal: string; subjectIds: string[] }[] = [];
  async recordRead(_db: unknown, p: Principal, _type: string, subjectIds: string[]) {
    if (subjectIds.length) this.reads.push({ principal: p.id, subjectIds });
  }
}

class FakeOutbox {
  events: string[] = [];
  async append(_tx: unknown, contract: { topic: string }) {
    this.events.push(contract.topic);
  }
}

function build(stored = aCase()) {
  const repo = new FakeCases(stored);
  const audit = new FakeAudit();
  const outbox = new FakeOutbox();
  const service = new CaseService(
    repo as unknown as CaseRepository,
    outbox as unknown as OutboxWriter,
    audit as unknown as AuditLog,
    new WorkingCalendar(),
    new FixedClock(new Date('2026-11-23T10:00:00Z')),
  );
  return { service, repo, audit, outbox };
}

const worker = (territory: string): Principal => ({ id: 'worker-1', roles: [Role.CaseWorker], territory });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as DomainError).code;
  }
  return 'NO_ERROR';
}

describe(CaseService.name, () => {
  it('returns the case file and audits the read when the worker belongs to the community', async () => {
    const { service, audit } = build();
    const file = await service.file(worker(KYIV_COMMUNITY), aCase().id);
    expect(file.id).toBe(aCase().id);
    expect(audit.reads).toEqual([{ principal: 'worker-1', subjectIds: [aCase().personId] }]);
  });

  it('forbids the case file and audits nothing when the worker is from another community', async () => {
    const { service, audit } = build();
    expect(await codeOf(service.file(worker(LVIV_COMMUNITY), aCase().id))).toBe('TERRITORY_FORBIDDEN');
    expect(audit.reads).toEqual([]);
  });

  it('lets an oblast-level officer see the case when the community lies in the oblast', async () => {
    const { service } = build();
    await expect(service.file({ id: 'o', roles: [Role.Officer], territory: 'UA80' }, aCase().id)).resolves.toMatchObject({
      katottg: KYIV_COMMUNITY,
    });
  });

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

  it('changes nothing when a worker of another community tries to assess the case', async () => {
    const { service, repo, outbox } = build();
    expect(
      await codeOf(
        service.assess(worker(LVIV_COMMUNITY), aCase().id, { assessedOn: '2026-11-24', findings: 'x', needsIdentified: ['015.1'] }),
      ),
    ).toBe('TERRITORY_FORBIDDEN');
    expect(repo.updates).toEqual([]);
    expect(outbox.events).toEqual([]);
  });

  it('refuses to open a case in another community when the worker has no access there', async () => {
    const { service } = build();
    const code = await codeOf(
      service.open(worker(LVIV_COMMUNITY), {
        personId: aCase().personId,
        katottg: KYIV_COMMUNITY,
        channel: 'self',
        requestDate: '2026-11-23',
      }),
    );
    expect(code).toBe('TERRITORY_FORBIDDEN');
  });

  it('rejects a service code outside the Classifier when assessing', async () => {
    const { service } = build();
    expect(
      await codeOf(
        service.assess(worker(KYIV_COMMUNITY), aCase().id, { assessedOn: '2026-11-24', findings: 'x', needsIdentified: ['999.9'] }),
      ),
    ).toBe('CASE_UNKNOWN_SERVICE_CODE');
  });

  it('assesses and emits case.assessed when the case is open', async () => {
    const { service, outbox, repo } = build();
    await service.assess(worker(KYIV_COMMUNITY), aCase().id, {
      assessedOn: '2026-11-24',
      findings: 'needs home care',
      needsIdentified: ['015.1'],
    });
    expect(repo.updates[0]).toMatchObject({ status: 'assessed' });
    expect(outbox.events).toEqual(['case-management.case.assessed.v1']);
  });

  it('answers 409 CASE_ILLEGAL_TRANSITION when closing a closed case', async () => {
    const { service } = build(aCase({ status: 'closed' }));
    const e = await service
      .close(worker(KYIV_COMMUNITY), aCase().id, { closedOn: '2026-12-01', outcome: 'no_need', finalEvaluation: 'x' })
      .catch((x: DomainError) => x);
    expect(e).toMatchObject({ code: 'CASE_ILLEGAL_TRANSITION', kind: 'conflict', details: { from: 'closed', to: 'closed' } });
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
