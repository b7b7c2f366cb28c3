import { runStatements } from '@eisss/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Social services a person receives, as reported by case-management (cases and visits). */
export class SocialServices1763900000900 implements MigrationInterface {
  name = 'SocialServices1763900000900';

  async up(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `CREATE TABLE social_register.social_service_case (
         case_id uuid PRIMARY KEY,
         person_id uuid NOT NULL,
         katottg char(19) NOT NULL,
         category text NOT NULL,
         status text NOT NULL CHECK (status IN ('open', 'closed')),
         opened_on date,
         closed_on date,
         outcome text,
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX social_service_case_person_idx ON social_register.social_service_case (person_id)`,
      `CREATE TABLE social_register.social_service_provision (
         provision_id uuid PRIMARY KEY,
         case_id uuid NOT NULL,
         person_id uuid NOT NULL,
         katottg char(19) NOT NULL,
         service_code text NOT NULL,
         service_name text NOT NULL,
         provider_id text NOT NULL,
         provided_on date NOT NULL,
         received_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX social_service_provision_person_idx ON social_register.social_service_provision (person_id, service_code)`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await runStatements(q, [`DROP TABLE social_register.social_service_provision`, `DROP TABLE social_register.social_service_case`]);
  }
}
