import { FakeAudit, FakeOutbox, KYIV_COMMUNITY, LVIV_COMMUNITY, aCase, caseAccessOver, codeOf, worker } from '../../test/unit-fakes';
import type { CaseRecord } from '../cases/case.repository';
import type { ActKind, ActRecord, AssessmentsPlansRepository, NewAct } from './assessments-plans.repository';
import { AssessmentsPlansService } from './assessments-plans.service';

/** Acts and monitoring of one case in memory. */
class FakeActs {
  acts: NewAct[] = [];
  monitoring: unknown[] = [];
  async latestAct(_caseId: string, kind: ActKind): Promise<ActRecord | null> {
    const a = this.acts.filter((x) => x.kind === kind).at(-1);
    return a ? { ...a, data: a.data as Record<string, any>, signedAt: '2026-11-24T10:00:00.000Z' } : null;
  }
  async insertAct(a: NewAct) {
    this.acts.push(a);
  }
  async actsOf() {
    return this.acts.map((a) => ({ ...a, signedAt: '2026-11-24T10:00:00.000Z' }));
  }
  async insertMonitoring(m: unknown) {
    this.monitoring.push(m);
  }
  async monitoringOf() {
    return this.monitoring;
  }
}

function build(stored: CaseRecord = aCase()) {
  const { repo, access } = caseAccessOver(stored);
  const acts = new FakeActs();
  const outbox = new FakeOutbox();
  const audit = new FakeAudit();
  const service = new AssessmentsPlansService(
    acts as unknown as AssessmentsPlansRepository,
    access,
    outbox.asOutboxWriter(),
    audit.asAuditLog(),
  );
  return { service, repo, acts, outbox, audit };
}

const assessment = { assessedOn: '2026-11-24', findings: 'needs home care', needsIdentified: ['015.1'] };
const plan = {
  approvedOn: '2026-11-26',
  goals: 'live at home',
  services: [{ code: '015.1', providerId: 'p1', frequency: 'weekly', periodFrom: '2026-12-01', periodTo: '2027-05-31' }],
};

describe(AssessmentsPlansService.name, () => {
  it('changes nothing when a worker of another community tries to assess the case', async () => {
    const { service, repo, acts, outbox } = build();
    expect(await codeOf(service.assess(worker(LVIV_COMMUNITY), aCase().id, assessment))).toBe('TERRITORY_FORBIDDEN');
    expect(repo.transitions).toEqual([]);
    expect(acts.acts).toEqual([]);
    expect(outbox.events).toEqual([]);
  });

  it('rejects a service code outside the Classifier when assessing', async () => {
    const { service } = build();
    expect(await codeOf(service.assess(worker(KYIV_COMMUNITY), aCase().id, { ...assessment, needsIdentified: ['999.9'] }))).toBe(
      'CASE_UNKNOWN_SERVICE_CODE',
    );
  });

  it('assesses an open case through the state machine and emits case.assessed', async () => {
    const { service, repo, acts, outbox } = build();
    await service.assess(worker(KYIV_COMMUNITY), aCase().id, assessment);
    expect(repo.transitions.map((t) => [t.from, t.to])).toEqual([['open', 'assessed']]);
    expect(acts.acts[0]).toMatchObject({ kind: 'assessment', actVersion: 1, correctionReason: null });
    expect(outbox.topics).toEqual(['case-management.case.assessed.v1']);
  });

  it('corrects a signed assessment only with a reason, as a new version without a status change', async () => {
    const { service, repo, acts } = build();
    await service.assess(worker(KYIV_COMMUNITY), aCase().id, assessment);
    expect(await codeOf(service.assess(worker(KYIV_COMMUNITY), aCase().id, assessment))).toBe('CASE_CORRECTION_REASON_REQUIRED');
    await service.assess(worker(KYIV_COMMUNITY), aCase().id, { ...assessment, correctionReason: 'typo' });
    expect(acts.acts.map((a) => a.actVersion)).toEqual([1, 2]);
    expect(repo.transitions).toHaveLength(1);
    expect(repo.journals.map((j) => j.action)).toEqual(['assess', 'correct-assessment']);
  });

  it('approves the plan of a decided case with its review date, and refuses one that was not decided', async () => {
    const decided = build(aCase({ status: 'decided' }));
    const c = await decided.service.approvePlan(worker(KYIV_COMMUNITY), aCase().id, plan);
    expect(c.status).toBe('plan_approved');
    expect(decided.repo.transitions[0]!.changes.reviewDue).toBeDefined();
    const open = build();
    expect(await codeOf(open.service.approvePlan(worker(KYIV_COMMUNITY), aCase().id, plan))).toBe('CASE_ILLEGAL_TRANSITION');
    expect(open.acts.acts).toEqual([]);
  });

  it('needs an approved plan for monitoring', async () => {
    const { service, acts } = build(aCase({ status: 'assessed' }));
    expect(
      await codeOf(service.monitor(worker(KYIV_COMMUNITY), aCase().id, { kind: 'review', heldOn: '2026-12-10', findings: 'ok' })),
    ).toBe('CASE_ILLEGAL_TRANSITION');
    expect(acts.monitoring).toEqual([]);
  });

  it('renders the latest act form and audits the read', async () => {
    const { service, audit } = build();
    await service.assess(worker(KYIV_COMMUNITY), aCase().id, assessment);
    expect(await service.actForm(worker(KYIV_COMMUNITY), aCase().id, 'assessment')).toContain('АКТ ОЦІНКИ ПОТРЕБ');
    expect(audit.reads).toHaveLength(1);
    expect(await codeOf(service.actForm(worker(KYIV_COMMUNITY), aCase().id, 'plan'))).toBe('CASE_ACT_NOT_FOUND');
  });
});
