import { CaseServiceProvidedV1 } from '@eisss/contracts';
import { AuditLog, DomainError, OutboxWriter, Transactional, type PageRequest, type Principal } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AssessmentsPlansService } from '../assessments-plans/assessments-plans.service';
import { CaseAccess } from '../cases/case-access.service';
import { CaseErrorCode } from '../cases/case.errors';
import type { CaseRecord } from '../cases/case.repository';
import { assertServiceCodes } from '../cases/service-classifier';
import { ContractsProvisionsRepository, type ContractRecord, type ProvisionRecord } from './contracts-provisions.repository';

/** Contracts with the providers of the plan (the first one starts provision) and the visits recorded under them. */
@Injectable()
export class ContractsProvisionsService {
  constructor(
    private readonly repo: ContractsProvisionsRepository,
    private readonly access: CaseAccess,
    private readonly plans: AssessmentsPlansService,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditLog,
  ) {}

  @Transactional()
  async signContract(
    principal: Principal,
    id: string,
    cmd: { providerId: string; providerName: string; contractNumber: string; signedOn: string; validTo?: string },
  ): Promise<CaseRecord> {
    const c = await this.access.forChange(principal, id);
    if (cmd.validTo && cmd.validTo < cmd.signedOn)
      throw DomainError.validation(CaseErrorCode.CASE_PERIOD_INVALID, 'validTo is before signedOn', 'validTo');
    const plan = await this.plans.currentPlan(id);
    if (plan && !plan.services.some((s) => s.providerId === cmd.providerId)) {
      throw DomainError.unprocessable(
        CaseErrorCode.CASE_SERVICE_NOT_IN_PLAN,
        `provider ${cmd.providerId} has no service in the plan`,
        'providerId',
      );
    }
    const result =
      c.status === 'in_service'
        ? c
        : await this.access.move(principal, c, 'signContract', {}, null, { contractNumber: cmd.contractNumber });
    await this.repo.insertContract({
      id: randomUUID(),
      caseId: id,
      providerId: cmd.providerId,
      providerName: cmd.providerName,
      contractNumber: cmd.contractNumber,
      signedOn: cmd.signedOn,
      validTo: cmd.validTo ?? null,
      createdBy: principal.id,
    });
    return result;
  }

  /** Records a visit with its real date (possibly days later, after work offline); idempotent by clientId. */
  @Transactional()
  async recordProvision(
    principal: Principal,
    id: string,
    cmd: { clientId: string; serviceCode: string; providedOn: string; durationMinutes?: number; notes?: string },
  ): Promise<{ provision: ProvisionRecord; created: boolean }> {
    assertServiceCodes([cmd.serviceCode], 'serviceCode');
    const c = await this.access.forChange(principal, id);
    const existing = await this.repo.findProvision(id, cmd.clientId);
    if (existing) {
      if (existing.serviceCode !== cmd.serviceCode || existing.providedOn !== cmd.providedOn) {
        throw DomainError.conflict(CaseErrorCode.CASE_CLIENT_ID_CONFLICT, 'this clientId was used for another visit', 'clientId', {
          provisionId: existing.id,
        });
      }
      return { provision: existing, created: false };
    }
    if (c.status !== 'in_service')
      throw DomainError.conflict(
        CaseErrorCode.CASE_NO_CONTRACT,
        `services are provided under a signed contract (case is ${c.status})`,
        undefined,
        {
          status: c.status,
        },
      );
    const plan = await this.plans.currentPlan(id);
    const planned = plan?.services.find((s) => s.code === cmd.serviceCode);
    if (!planned)
      throw DomainError.unprocessable(
        CaseErrorCode.CASE_SERVICE_NOT_IN_PLAN,
        `service ${cmd.serviceCode} is not in the individual plan`,
        'serviceCode',
      );
    if (cmd.providedOn < c.requestDate)
      throw DomainError.validation(CaseErrorCode.CASE_DATE_BEFORE_REQUEST, 'a visit cannot precede the request', 'providedOn');
    const p = await this.repo.insertProvision({
      id: randomUUID(),
      caseId: id,
      clientId: cmd.clientId,
      serviceCode: cmd.serviceCode,
      providerId: planned.providerId,
      providedOn: cmd.providedOn,
      durationMinutes: cmd.durationMinutes ?? null,
      workerId: principal.id,
      notes: cmd.notes ?? null,
      recordedBy: principal.id,
    });
    if (!p) return { provision: (await this.repo.findProvision(id, cmd.clientId))!, created: false };
    await this.outbox.append(
      CaseServiceProvidedV1,
      {
        caseId: id,
        personId: c.personId,
        katottg: c.katottg,
        provisionId: p.id,
        serviceCode: p.serviceCode,
        serviceName: planned.name,
        providerId: p.providerId,
        providedOn: p.providedOn,
        durationMinutes: p.durationMinutes,
        recordedAt: p.recordedAt,
      },
      { aggregateId: id },
    );
    return { provision: p, created: true };
  }

  @Transactional()
  async provisions(principal: Principal, id: string, page: PageRequest): Promise<{ items: ProvisionRecord[]; total: number | null }> {
    const c = await this.access.forRead(principal, id);
    await this.audit.recordRead(principal, 'person', [c.personId], `case ${c.id} provisions`);
    return this.repo.provisionsOf(id, page);
  }

  /** The contracts of a case (for the case file; the caller checked access). */
  contractsOf(caseId: string): Promise<ContractRecord[]> {
    return this.repo.contractsOf(caseId);
  }
}
