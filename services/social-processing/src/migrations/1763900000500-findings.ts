import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Verification findings as processing received them and what it did with each: a finding acts once
 * (raised and decided, or delivered again, it is the same row), waits for an officer's decision where
 * the act leaves discretion, and records the assignment versions it made.
 */
export class Findings1763900000500 implements MigrationInterface {
  name = 'Findings1763900000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE social_processing.finding (
       finding_id uuid PRIMARY KEY,
       person_id uuid NOT NULL,
       rule text NOT NULL,
       kind text,
       discretion text NOT NULL CHECK (discretion IN ('none', 'officer')),
       status text NOT NULL CHECK (status IN ('awaiting_decision', 'acted', 'rejected')),
       finding jsonb NOT NULL,
       assignment_ids uuid[] NOT NULL DEFAULT '{}',
       decision jsonb,
       actions jsonb NOT NULL DEFAULT '[]'::jsonb,
       acted_by text,
       acted_at timestamptz,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now()
     )`);
    await q.query(`CREATE INDEX finding_person_idx ON social_processing.finding (person_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE social_processing.finding`);
  }
}
