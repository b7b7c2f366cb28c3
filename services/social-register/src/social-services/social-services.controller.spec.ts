import { Role } from '@eisss/contracts';
import type { AuditLog, DomainError, Principal } from '@eisss/platform';
import { SocialServicesController } from './social-services.controller';
import type { SocialServicesRepository } from './social-services.repository';

const PERSON = '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70';

class FakeRepo {
  territories: string[] = [];
  async ofPerson(_personId: string, territory: string) {
    this.territories.push(territory);
    return { cases: [], services: [] };
  }
}

class FakeAudit {
  reads: string[] = [];
  async recordRead(p: Principal) {
    this.reads.push(p.id);
  }
}

function build() {
  const repo = new FakeRepo();
  const audit = new FakeAudit();
  return {
    repo,
    audit,
    controller: new SocialServicesController(repo as unknown as SocialServicesRepository, audit as unknown as AuditLog),
  };
}

describe(SocialServicesController.name, () => {
  it('narrows the records to the worker territory and audits the read when a case worker looks', async () => {
    const { controller, repo, audit } = build();
    await controller.get({ id: 'w', roles: [Role.CaseWorker], territory: 'UA80' }, PERSON);
    expect(repo.territories).toEqual(['UA80']);
    expect(audit.reads).toEqual(['w']);
  });

  it('shows a citizen all of their own services when the citizen asks for themselves', async () => {
    const { controller, repo } = build();
    await controller.get({ id: 'c', roles: [Role.Citizen], territory: 'UA46', personId: PERSON }, PERSON);
    expect(repo.territories).toEqual(['UA']);
  });

  it('forbids a citizen and audits nothing when they ask about another person', async () => {
    const { controller, audit } = build();
    const e = await controller
      .get({ id: 'c', roles: [Role.Citizen], territory: 'UA', personId: 'someone-else' }, PERSON)
      .catch((x: DomainError) => x);
    expect(e).toMatchObject({ code: 'FORBIDDEN', kind: 'forbidden' });
    expect(audit.reads).toEqual([]);
  });
});
