import { FakeAudit, FakeOutbox, KYIV_COMMUNITY, LVIV_COMMUNITY, aCase, caseAccessOver, codeOf, worker } from '../../test/unit-fakes';
import type { AssessmentsPlansService, PlannedService } from '../assessments-plans/assessments-plans.service';
import type { CaseRecord } from '../cases/case.repository';
import type { ContractsProvisionsRepository, ProvisionRecord } from './contracts-provisions.repository';
import { ContractsProvisionsService } from './contracts-provisions.service';

const planned: PlannedService = {
  code: '015.1',
  name: 'Догляд вдома',
  providerId: 'provider-1',
  frequency: 'weekly',
  periodFrom: '2026-12-01',
  periodTo: '2027-05-31',
};

class FakeRepo {
  contracts: unknown[] = [];
  provisions: ProvisionRecord[] = [];
  async insertContract(c: unknown) {
    this.contracts.push(c);
  }
  async findProvision(_caseId: string, clientId: string) {
    return this.provisions.find((p) => p.clientId === clientId) ?? null;
  }
  async insertProvision(p: Omit<ProvisionRecord, 'recordedAt'>) {
    const r = { ...p, recordedAt: '2026-12-02T10:00:00.000Z' };
    this.provisions.push(r);
    return r;
  }
}

function build(stored: CaseRecord) {
  const { repo: cases, access } = caseAccessOver(stored);
  const repo = new FakeRepo();
  const outbox = new FakeOutbox();
  const plans = { currentPlan: async () => ({ services: [planned] }) } as unknown as AssessmentsPlansService;
  const service = new ContractsProvisionsService(
    repo as unknown as ContractsProvisionsRepository,
    access,
    plans,
    outbox.asOutboxWriter(),
    new FakeAudit().asAuditLog(),
  );
  return { service, cases, repo, outbox };
}

const contract = { providerId: 'provider-1', providerName: 'ЦНСП', contractNumber: 'C-1', signedOn: '2026-11-30' };
const visit = { clientId: 'v-1', serviceCode: '015.1', providedOn: '2026-12-02' };

describe(ContractsProvisionsService.name, () => {
  it('starts provision with the first contract through the state machine, and only the first', async () => {
    const { service, cases, repo } = build(aCase({ status: 'plan_approved' }));
    await service.signContract(worker(KYIV_COMMUNITY), aCase().id, contract);
    await service.signContract(worker(KYIV_COMMUNITY), aCase().id, { ...contract, contractNumber: 'C-2' });
    expect(cases.transitions.map((t) => [t.from, t.to])).toEqual([['plan_approved', 'in_service']]);
    expect(repo.contracts).toHaveLength(2);
  });

  it('refuses a contract with a provider outside the plan or from another community', async () => {
    const { service, cases, repo } = build(aCase({ status: 'plan_approved' }));
    expect(await codeOf(service.signContract(worker(KYIV_COMMUNITY), aCase().id, { ...contract, providerId: 'other' }))).toBe(
      'CASE_SERVICE_NOT_IN_PLAN',
    );
    expect(await codeOf(service.signContract(worker(LVIV_COMMUNITY), aCase().id, contract))).toBe('TERRITORY_FORBIDDEN');
    expect(cases.transitions).toEqual([]);
    expect(repo.contracts).toEqual([]);
  });

  it('records a visit only under a contract (409 CASE_NO_CONTRACT) and emits case.service-provided', async () => {
    const before = build(aCase({ status: 'plan_approved' }));
    expect(await codeOf(before.service.recordProvision(worker(KYIV_COMMUNITY), aCase().id, visit))).toBe('CASE_NO_CONTRACT');
    const { service, outbox } = build(aCase({ status: 'in_service' }));
    const r = await service.recordProvision(worker(KYIV_COMMUNITY), aCase().id, visit);
    expect(r).toMatchObject({ created: true, provision: { providerId: 'provider-1' } });
    expect(outbox.topics).toEqual(['case-management.case.service-provided.v1']);
  });

  it('answers a retried visit with the first one, and a clientId reused for another visit with 409', async () => {
    const { service, outbox } = build(aCase({ status: 'in_service' }));
    await service.recordProvision(worker(KYIV_COMMUNITY), aCase().id, visit);
    await expect(service.recordProvision(worker(KYIV_COMMUNITY), aCase().id, visit)).resolves.toMatchObject({ created: false });
    expect(await codeOf(service.recordProvision(worker(KYIV_COMMUNITY), aCase().id, { ...visit, providedOn: '2026-12-03' }))).toBe(
      'CASE_CLIENT_ID_CONFLICT',
    );
    expect(outbox.events).toHaveLength(1);
  });
});
