import { TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';

export interface SocialServiceCaseRow {
  caseId: string;
  katottg: string;
  category: string;
  status: string;
  openedOn: string | null;
  closedOn: string | null;
  outcome: string | null;
}

export interface SocialServiceRow {
  serviceCode: string;
  serviceName: string;
  providerId: string;
  caseId: string;
  katottg: string;
  firstProvidedOn: string;
  lastProvidedOn: string;
  visits: number;
}

interface CaseDbRow {
  case_id: string;
  katottg: string;
  category: string;
  status: string;
  opened_on: string | null;
  closed_on: string | null;
  outcome: string | null;
}

interface ServiceDbRow {
  service_code: string;
  service_name: string;
  provider_id: string;
  case_id: string;
  katottg: string;
  first_on: string;
  last_on: string;
  visits: number;
}

const toCase = (r: CaseDbRow): SocialServiceCaseRow => ({
  caseId: r.case_id,
  katottg: r.katottg,
  category: r.category,
  status: r.status,
  openedOn: r.opened_on,
  closedOn: r.closed_on,
  outcome: r.outcome,
});

const toService = (r: ServiceDbRow): SocialServiceRow => ({
  serviceCode: r.service_code,
  serviceName: r.service_name,
  providerId: r.provider_id,
  caseId: r.case_id,
  katottg: r.katottg,
  firstProvidedOn: r.first_on,
  lastProvidedOn: r.last_on,
  visits: r.visits,
});

/** SQL of the register's record of social services received. */
@Injectable()
export class SocialServicesRepository {
  constructor(private readonly db: TransactionHost) {}

  /** A case opened; an opened event arriving after the close keeps the closed status. */
  upsertOpened(c: { caseId: string; personId: string; katottg: string; category: string; openedOn: string }): Promise<unknown> {
    return this.db.query(
      `INSERT INTO social_register.social_service_case (case_id, person_id, katottg, category, status, opened_on)
       VALUES ($1, $2, $3, $4, 'open', $5)
       ON CONFLICT (case_id) DO UPDATE SET opened_on = EXCLUDED.opened_on, category = EXCLUDED.category, updated_at = now()`,
      [c.caseId, c.personId, c.katottg, c.category, c.openedOn],
    );
  }

  upsertClosed(c: { caseId: string; personId: string; katottg: string; closedOn: string; outcome: string }): Promise<unknown> {
    return this.db.query(
      `INSERT INTO social_register.social_service_case (case_id, person_id, katottg, category, status, closed_on, outcome)
       VALUES ($1, $2, $3, 'adult', 'closed', $4, $5)
       ON CONFLICT (case_id) DO UPDATE SET status = 'closed', katottg = EXCLUDED.katottg, closed_on = EXCLUDED.closed_on, outcome = EXCLUDED.outcome, updated_at = now()`,
      [c.caseId, c.personId, c.katottg, c.closedOn, c.outcome],
    );
  }

  insertProvision(p: {
    provisionId: string;
    caseId: string;
    personId: string;
    katottg: string;
    serviceCode: string;
    serviceName: string;
    providerId: string;
    providedOn: string;
  }): Promise<unknown> {
    return this.db.query(
      `INSERT INTO social_register.social_service_provision (provision_id, case_id, person_id, katottg, service_code, service_name, provider_id, provided_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (provision_id) DO NOTHING`,
      [p.provisionId, p.caseId, p.personId, p.katottg, p.serviceCode, p.serviceName, p.providerId, p.providedOn],
    );
  }

  /** Cases and services of a person; `territory` narrows to КАТОТТГ starting with it ('UA' = all). */
  async ofPerson(personId: string, territory: string): Promise<{ cases: SocialServiceCaseRow[]; services: SocialServiceRow[] }> {
    const cases = await this.db.query<CaseDbRow>(
      `SELECT case_id, katottg, category, status, opened_on::text AS opened_on, closed_on::text AS closed_on, outcome
         FROM social_register.social_service_case WHERE person_id = $1 AND katottg LIKE $2 || '%' ORDER BY opened_on NULLS LAST, case_id`,
      [personId, territory],
    );
    const services = await this.db.query<ServiceDbRow>(
      `SELECT service_code, min(service_name) AS service_name, provider_id, case_id, min(katottg) AS katottg,
              min(provided_on)::text AS first_on, max(provided_on)::text AS last_on, count(*)::int AS visits
         FROM social_register.social_service_provision WHERE person_id = $1 AND katottg LIKE $2 || '%'
        GROUP BY service_code, provider_id, case_id ORDER BY first_on, service_code`,
      [personId, territory],
    );
    return { cases: cases.map(toCase), services: services.map(toService) };
  }
}
