import { runStatements } from '@eisss/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Person1763900000100 implements MigrationInterface {
  name = 'Person1763900000100';

  async up(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `CREATE TABLE social_register.person (
         id uuid PRIMARY KEY,
         rnokpp char(10),
         unzr text,
         last_name text NOT NULL,
         first_name text NOT NULL,
         patronymic text,
         birth_date date NOT NULL,
         sex text NOT NULL CHECK (sex IN ('male', 'female')),
         death_date date,
         katottg char(19),
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         version integer NOT NULL DEFAULT 1
       )`,
      `CREATE UNIQUE INDEX person_rnokpp_uq ON social_register.person (rnokpp) WHERE rnokpp IS NOT NULL`,
      `CREATE UNIQUE INDEX person_unzr_uq ON social_register.person (unzr) WHERE unzr IS NOT NULL`,
      `CREATE INDEX person_katottg_idx ON social_register.person (katottg)`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE social_register.person`);
  }
}
