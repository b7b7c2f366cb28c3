import { Role } from '@eisss/contracts';
import type { AppealsService } from '../appeals/appeals.service';
import type { AssessmentsPlansService } from '../assessments-plans/assessments-plans.service';
import type { CaseRecord } from '../cases/case.repository';
import type { CaseService } from '../cases/case.service';
import type { ContractsProvisionsService } from '../contracts-provisions/contracts-provisions.service';
import type { PlacementsService } from '../placements/placements.service';
import { FakeAudit, KYIV_COMMUNITY, LVIV_COMMUNITY, aCase, caseAccessOver, codeOf, worker } from '../../test/unit-fakes';
import { CaseFileService } from './case-file.service';

function build(stored: CaseRecord = aCase()) {
  const { access } = caseAccessOver(stored);
  const audit = new FakeAudit();
  const children: string[] = [];
  const service = new CaseFileService(
    access,
    { recordsOf: async () => ({ notes: [], attachments: [], team: [], journal: [] }) } as unknown as CaseService,
    { recordsOf: async () => ({ acts: [], monitoring: [] }) } as unknown as AssessmentsPlansService,
    { contractsOf: async () => [] } as unknown as ContractsProvisionsService,
    { appealsOf: async () => [] } as unknown as AppealsService,
    {
      childrenOf: async (c: CaseRecord) => {
        children.push(c.id);
        return c.category === 'child_deprived_of_parental_care' ? { candidates: [], placements: [] } : null;
      },
    } as unknown as PlacementsService,
    audit.asAuditLog(),
  );
  return { service, audit, children };
}

describe(CaseFileService.name, () => {
  it('returns the case file and audits the read when the worker belongs to the community', async () => {
    const { service, audit } = build();
    const file = await service.file(worker(KYIV_COMMUNITY), aCase().id);
    expect(file).toMatchObject({ id: aCase().id, acts: [], contracts: [], journal: [], children: null });
    expect(audit.reads).toEqual([{ principal: 'worker-1', subjectIds: [aCase().personId] }]);
  });

  it('forbids the case file and audits nothing when the worker is from another community', async () => {
    const { service, audit, children } = build();
    expect(await codeOf(service.file(worker(LVIV_COMMUNITY), aCase().id))).toBe('TERRITORY_FORBIDDEN');
    expect(audit.reads).toEqual([]);
    expect(children).toEqual([]);
  });

  it('lets an oblast-level officer see the case when the community lies in the oblast', async () => {
    const { service } = build();
    await expect(service.file({ id: 'o', roles: [Role.Officer], territory: 'UA80' }, aCase().id)).resolves.toMatchObject({
      katottg: KYIV_COMMUNITY,
    });
  });

  it('includes the placements when the case is of a child deprived of parental care', async () => {
    const { service } = build(aCase({ category: 'child_deprived_of_parental_care' }));
    const file = await service.file(worker(KYIV_COMMUNITY), aCase().id);
    expect(file.children).toEqual({ candidates: [], placements: [] });
  });
});
