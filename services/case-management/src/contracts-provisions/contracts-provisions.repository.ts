import { TransactionHost, type PageRequest } from '@eisss/platform';
import { Injectable } from '@nestjs/common';

export interface ContractRecord {
  id: string;
  providerId: string;
  providerName: string;
  contractNumber: string;
  signedOn: string;
  validTo: string | null;
}

export interface ProvisionRecord {
  id: string;
  caseId: string;
  clientId: string;
  serviceCode: string;
  providerId: string;
  providedOn: string;
  durationMinutes: number | null;
  workerId: string | null;
  notes: string | null;
  recordedAt: string;
}

interface ContractRow {
  id: string;
  provider_id: string;
  provider_name: string;
  contract_number: string;
  signed_on: string;
  valid_to: string | null;
}

interface ProvisionRow {
  id: string;
  case_id: string;
  client_id: string;
  service_code: string;
  provider_id: string;
  provided_on: string;
  duration_minutes: number | null;
  worker_id: string | null;
  notes: string | null;
  recorded_at: Date | string;
}

const PROVISION_COLUMNS = `id, case_id, client_id, service_code, provider_id, provided_on::text AS provided_on, duration_minutes, worker_id, notes, recorded_at`;

const toProvision = (r: ProvisionRow): ProvisionRecord => ({
  id: r.id,
  caseId: r.case_id,
  clientId: r.client_id,
  serviceCode: r.service_code,
  providerId: r.provider_id,
  providedOn: r.provided_on,
  durationMinutes: r.duration_minutes,
  workerId: r.worker_id,
  notes: r.notes,
  recordedAt: new Date(r.recorded_at).toISOString(),
});

/** The SQL of the contracts with providers and of the visits (provisions) under them. */
@Injectable()
export class ContractsProvisionsRepository {
  constructor(private readonly db: TransactionHost) {}

  /** Records a contract; the same contract number in the case twice is one contract. */
  async insertContract(c: {
    id: string;
    caseId: string;
    providerId: string;
    providerName: string;
    contractNumber: string;
    signedOn: string;
    validTo: string | null;
    createdBy: string;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO case_management.case_contract (id, case_id, provider_id, provider_name, contract_number, signed_on, valid_to, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
       ON CONFLICT (case_id, contract_number) DO NOTHING`,
      [c.id, c.caseId, c.providerId, c.providerName, c.contractNumber, c.signedOn, c.validTo, c.createdBy],
    );
  }

  async contractsOf(caseId: string): Promise<ContractRecord[]> {
    const rows = await this.db.query<ContractRow>(
      `SELECT id, provider_id, provider_name, contract_number, signed_on::text AS signed_on, valid_to::text AS valid_to FROM case_management.case_contract WHERE case_id = $1 ORDER BY signed_on, created_at`,
      [caseId],
    );
    return rows.map((r) => ({
      id: r.id,
      providerId: r.provider_id,
      providerName: r.provider_name,
      contractNumber: r.contract_number,
      signedOn: r.signed_on,
      validTo: r.valid_to,
    }));
  }

  async findProvision(caseId: string, clientId: string): Promise<ProvisionRecord | null> {
    const row = await this.db.one<ProvisionRow>(
      `SELECT ${PROVISION_COLUMNS} FROM case_management.provision WHERE case_id = $1 AND client_id = $2`,
      [caseId, clientId],
    );
    return row ? toProvision(row) : null;
  }

  /** Records a visit; null when one with the same client id exists already. */
  async insertProvision(p: Omit<ProvisionRecord, 'recordedAt'> & { recordedBy: string }): Promise<ProvisionRecord | null> {
    const row = await this.db.one<ProvisionRow>(
      `INSERT INTO case_management.provision (id, case_id, client_id, service_code, provider_id, provided_on, duration_minutes, worker_id, notes, recorded_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT (case_id, client_id) DO NOTHING RETURNING ${PROVISION_COLUMNS}`,
      [p.id, p.caseId, p.clientId, p.serviceCode, p.providerId, p.providedOn, p.durationMinutes, p.workerId, p.notes, p.recordedBy],
    );
    return row ? toProvision(row) : null;
  }

  async provisionsOf(caseId: string, page: PageRequest): Promise<{ items: ProvisionRecord[]; total: number | null }> {
    const total = await this.db.total(page, `SELECT count(*)::int AS total FROM case_management.provision WHERE case_id = $1`, [caseId]);
    const rows = await this.db.query<ProvisionRow>(
      `SELECT ${PROVISION_COLUMNS} FROM case_management.provision WHERE case_id = $1 ORDER BY provided_on, recorded_at LIMIT $2 OFFSET $3`,
      [caseId, page.limit, page.offset],
    );
    return { items: rows.map(toProvision), total };
  }
}
