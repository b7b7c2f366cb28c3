import { Role } from '@eisss/contracts';
import { FixedClock, type Principal, type TransactionHost } from '@eisss/platform';
import type { SchedulerRegistry } from '@nestjs/schedule';
import { FakeAudit, FakeOutbox, KYIV_COMMUNITY } from '../../test/unit-fakes';
import type { CaseManagementConfig } from '../config/config';
import { DeadlineScheduler, DEADLINE_SCAN_INTERVAL } from './deadline.scheduler';
import type { DeadlinesRepository, OverdueRow } from './deadlines.repository';
import { DeadlinesService } from './deadlines.service';

const row = (caseId: string, stage: OverdueRow['stage']): OverdueRow => ({
  caseId,
  personId: `person-${caseId}`,
  katottg: KYIV_COMMUNITY,
  workerId: null,
  stage,
  dueDate: '2026-11-30',
  status: 'open',
  ruleSetVersion: 'CMU-64-2026',
});

class FakeDeadlines {
  notices = new Set<string>();
  filters: { territory: string; asOf: string }[] = [];
  failOn?: string;
  constructor(private readonly rows: OverdueRow[]) {}
  async overdue(f: { territory: string; asOf: string; limit: number; offset: number }) {
    this.filters.push(f);
    return { items: this.rows.slice(f.offset, f.offset + f.limit), total: this.rows.length };
  }
  async recordNotice(caseId: string, stage: string) {
    if (caseId === this.failOn) throw new Error('database went away');
    const key = `${caseId}/${stage}`;
    if (this.notices.has(key)) return false;
    this.notices.add(key);
    return true;
  }
}

/** A host that runs each unit of work as its own transaction and counts the committed ones. */
class CountingHost {
  committed = 0;
  async run<T>(work: () => Promise<T>): Promise<T> {
    const r = await work();
    this.committed++;
    return r;
  }
}

function build(rows: OverdueRow[]) {
  const repo = new FakeDeadlines(rows);
  const host = new CountingHost();
  const outbox = new FakeOutbox();
  const audit = new FakeAudit();
  const service = new DeadlinesService(
    repo as unknown as DeadlinesRepository,
    host as unknown as TransactionHost,
    outbox.asOutboxWriter(),
    audit.asAuditLog(),
    new FixedClock(new Date('2026-12-02T10:00:00Z')),
  );
  return { service, repo, host, outbox, audit };
}

const system: Principal = { id: 'system:deadline-scan', roles: [Role.System], territory: 'UA' };

describe(DeadlinesService.name, () => {
  it('emits deadline-missed once per case and stage, each notice in a transaction of its own', async () => {
    const { service, host, outbox, repo } = build([row('a', 'assessment'), row('a', 'decision'), row('b', 'assessment')]);
    repo.notices.add('a/decision');
    expect(await service.scanDeadlines(system)).toEqual({ asOf: '2026-12-02', overdue: 3, emitted: 2 });
    expect(host.committed).toBe(3);
    expect(outbox.topics).toEqual(['case-management.case.deadline-missed.v1', 'case-management.case.deadline-missed.v1']);
    expect(await service.scanDeadlines(system, '2026-12-02')).toMatchObject({ emitted: 0 });
  });

  it('keeps the notices sent before one that fails', async () => {
    const { service, host, repo } = build([row('a', 'assessment'), row('b', 'assessment'), row('c', 'assessment')]);
    repo.failOn = 'b';
    await expect(service.scanDeadlines(system)).rejects.toThrow('database went away');
    expect(host.committed).toBe(1);
    expect([...repo.notices]).toEqual(['a/assessment']);
  });

  it('lists what is overdue within the principal territory and audits the persons read', async () => {
    const { service, repo, audit } = build([row('a', 'assessment')]);
    const page = await service.overdue({ id: 'w', roles: [Role.CaseWorker], territory: KYIV_COMMUNITY }, { limit: 10, offset: 0 });
    expect(page).toMatchObject({ asOf: '2026-12-02', total: 1 });
    expect(repo.filters[0]).toMatchObject({ territory: KYIV_COMMUNITY, asOf: '2026-12-02' });
    expect(audit.reads).toEqual([{ principal: 'w', subjectIds: ['person-a'] }]);
  });
});

describe(DeadlineScheduler.name, () => {
  const registry = () => {
    const intervals = new Map<string, NodeJS.Timeout>();
    return {
      intervals,
      addInterval: (name: string, t: NodeJS.Timeout) => intervals.set(name, t),
      doesExist: (_type: string, name: string) => intervals.has(name),
      deleteInterval: (name: string) => {
        clearInterval(intervals.get(name));
        intervals.delete(name);
      },
    };
  };
  const config = (ms: number) => ({ CASE_DEADLINE_SCAN_INTERVAL_MS: ms }) as CaseManagementConfig;

  it('registers the scan in the SchedulerRegistry when an interval is set, and removes it on shutdown', async () => {
    const r = registry();
    const { service } = build([]);
    const scheduler = new DeadlineScheduler(service, config(60_000), r as unknown as SchedulerRegistry);
    scheduler.onApplicationBootstrap();
    expect([...r.intervals.keys()]).toEqual([DEADLINE_SCAN_INTERVAL]);
    await expect(scheduler.tick()).resolves.toMatchObject({ emitted: 0 });
    await scheduler.onApplicationShutdown();
    expect(r.intervals.size).toBe(0);
  });

  it('schedules nothing when the interval is 0', () => {
    const r = registry();
    new DeadlineScheduler(build([]).service, config(0), r as unknown as SchedulerRegistry).onApplicationBootstrap();
    expect(r.intervals.size).toBe(0);
  });
});
