import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

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

type Db = Pick<EntityManager, 'query'>;

/** SQL of the register's record of social services received. */
@Injectable()
export class SocialServicesRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** A case opened; an opened event arriving after the close keeps the closed status. */
  upsertOpened(tx: Db, c: { caseId: string; personId: string; katottg: string; category: string; openedOn: string }): Promise<unknown> {
    return tx.query(
      `INSERT INTO social_register.social_service_case (case_id, person_id, katottg, category, status, opened_on)
       VALUES ($1, $2, $3, $4, 'open', $5)
       ON CONFLICT (case_id) DO UPDATE SET opened_on = EXCLUDED.opened_on, category = EXCLUDED.category, updated_at = now()`,
      [c.caseId, c.personId, c.katottg, c.category, c.openedOn],
    );
  }

  upsertClosed(tx: Db, c: { caseId: string; personId: string; katottg: string; closedOn: string; outcome: string }): Promise<unknown> {
    return tx.query(
      `INSERT INTO social_register.social_service_case (case_id, person_id, katottg, category, status, closed_on, outcome)
       VALUES ($1, $2, $3, 'adult', 'closed', $4, $5)
       ON CONFLICT (case_id) DO UPDATE SET status = 'closed', katottg = EXCLUDED.katottg, closed_on = EXCLUDED.closed_on, outcome = EXCLUDED.outcome, updated_at = now()`,
      [c.caseId, c.personId, c.katottg, c.closedOn, c.outcome],
    );
  }

  insertProvision(
    tx: Db,
    p: {
      provisionId: string;
      caseId: string;
      personId: string;
      katottg: string;
      serviceCode: string;
      serviceName: string;
      providerId: string;
      providedOn: string;
    },
  ): Promise<unknown> {
    return tx.query(
      `INSERT INTO social_register.social_service_provision (provision_id, case_id, person_id, katottg, service_code, service_name, provider_id, provided_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (provision_id) DO NOTHING`,
      [p.provisionId, p.caseId, p.personId, p.katottg, p.serviceCode, p.serviceName, p.providerId, p.providedOn],
    );
  }

  /** Cases and services of a person; `territory` narrows to КАТОТТГ starting with it ('UA' = all). */
  async ofPerson(tx: Db, personId: string, territory: string): Promise<{ cases: SocialServiceCaseRow[]; services: SocialServiceRow[] }> {
    const cases = await tx.query(
      `SELECT case_id, katottg, category, status, opened_on::text AS opened_on, closed_on::text AS closed_on, outcome
         FROM social_register.social_service_case WHERE person_id = $1 AND katottg LIKE $2 || '%' ORDER BY opened_on NULLS LAST, case_id`,
      [personId, territory],
    );
    const services = await tx.query(
      `SELECT service_code, min(service_name) AS service_name, provider_id, case_id, min(katottg) AS katottg,
              min(provided_on)::text AS first_on, max(provided_on)::text AS last_on, count(*)::int AS visits
         FROM social_register.social_service_provision WHERE person_id = $1 AND katottg LIKE $2 || '%'
        GROUP BY service_code, provider_id, case_id ORDER BY first_on, service_code`,
      [personId, territory],
    );
    return {
      cases: cases.map((r: any) => ({
        caseId: r.case_id,
        katottg: r.katottg,
        category: r.category,
        status: r.status,
        openedOn: r.opened_on,
        closedOn: r.closed_on,
        outcome: r.outcome,
      })),
      services: services.map((r: any) => ({
        serviceCode: r.service_code,
        serviceName: r.service_name,
        providerId: r.provider_id,
        caseId: r.case_id,
        katottg: r.katottg,
        firstProvidedOn: r.first_on,
        lastProvidedOn: r.last_on,
        visits: r.visits,
      })),
    };
  }
}
