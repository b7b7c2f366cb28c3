import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Facts processing keeps for the employment duty, the 7th payment and the extension with current facts:
 * employment-centre registrations and employment / sole-proprietor records (EmploymentCentreRegistrationChangedV1,
 * EmploymentRecordedV1) and the tax service's income lines (IncomeReportedV1). A corrected report reuses its id
 * and replaces the row.
 */
export class EmploymentFacts1763900000800 implements MigrationInterface {
  name = 'EmploymentFacts1763900000800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE social_processing.employment_fact (
       source text NOT NULL CHECK (source IN ('employment-centre', 'tax')),
       record_id text NOT NULL,
       person_id uuid NOT NULL,
       kind text NOT NULL,
       effective_on date NOT NULL,
       details jsonb NOT NULL DEFAULT '{}'::jsonb,
       event_id uuid NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (source, record_id)
     )`);
    await q.query(`CREATE INDEX employment_fact_person_idx ON social_processing.employment_fact (person_id, effective_on)`);
    await q.query(`CREATE TABLE social_processing.income_fact (
       report_id text PRIMARY KEY,
       person_id uuid NOT NULL,
       month char(7) NOT NULL,
       income_kind text NOT NULL,
       amount_kopiyky bigint NOT NULL,
       payer_code text,
       event_id uuid NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now()
     )`);
    await q.query(`CREATE INDEX income_fact_person_idx ON social_processing.income_fact (person_id, month)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE social_processing.income_fact`);
    await q.query(`DROP TABLE social_processing.employment_fact`);
  }
}
