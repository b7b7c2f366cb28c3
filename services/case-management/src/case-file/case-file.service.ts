import { AuditLog, Transactional, type Principal } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { AppealsService } from '../appeals/appeals.service';
import { AssessmentsPlansService } from '../assessments-plans/assessments-plans.service';
import { CaseAccess } from '../cases/case-access.service';
import { CaseService } from '../cases/case.service';
import { ContractsProvisionsService } from '../contracts-provisions/contracts-provisions.service';
import { PlacementsService } from '../placements/placements.service';

/** The case file: the case with what each capability keeps of it, read in one transaction and audited. */
@Injectable()
export class CaseFileService {
  constructor(
    private readonly access: CaseAccess,
    private readonly cases: CaseService,
    private readonly plans: AssessmentsPlansService,
    private readonly contracts: ContractsProvisionsService,
    private readonly appeals: AppealsService,
    private readonly placements: PlacementsService,
    private readonly audit: AuditLog,
  ) {}

  @Transactional()
  async file(principal: Principal, id: string) {
    const c = await this.access.forRead(principal, id);
    await this.audit.recordRead(principal, 'person', [c.personId], `case ${c.id}`);
    const [{ acts, monitoring }, contracts, { notes, attachments, team, journal }, appeals, children] = await Promise.all([
      this.plans.recordsOf(id),
      this.contracts.contractsOf(id),
      this.cases.recordsOf(id),
      this.appeals.appealsOf(id),
      this.placements.childrenOf(c),
    ]);
    return { ...c, acts, contracts, notes, attachments, team, monitoring, appeals, journal, children };
  }
}
