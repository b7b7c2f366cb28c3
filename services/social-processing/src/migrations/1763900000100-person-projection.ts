import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PersonProjection1763900000100 implements MigrationInterface {
  name = 'PersonProjection1763900000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE social_processing.person_projection (
       person_id uuid PRIMARY KEY,
       rnokpp_masked text,
       last_name text NOT NULL,
       first_name text NOT NULL,
       patronymic text,
       birth_date date NOT NULL,
       sex text NOT NULL,
       death_date date,
       katottg char(19),
       last_event_id uuid NOT NULL,
       last_event_at timestamptz NOT NULL,
       events_applied integer NOT NULL DEFAULT 1
     )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE social_processing.person_projection`);
  }
}
