import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Appeals (скарги) of processing's benefit decisions: a refusal, an amount, a stop or a recalculation,
 * filed by the person, their representative or staff on their behalf, reviewed by someone other than
 * the decider and the appellant (a check constraint says so too), within the Law's deadline.
 */
export class Appeals1763900000600 implements MigrationInterface {
  name = 'Appeals1763900000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE social_processing.appeal (
       id uuid PRIMARY KEY,
       client_request_id text NOT NULL UNIQUE,
       request_fingerprint text NOT NULL,
       kind text NOT NULL CHECK (kind IN ('refusal', 'amount', 'stop', 'recalculation')),
       programme_code text NOT NULL,
       application_id uuid,
       assignment_id uuid,
       assignment_version integer,
       person_id uuid NOT NULL,
       katottg text NOT NULL,
       channel text NOT NULL CHECK (channel IN ('diia', 'cnap', 'office')),
       filed_by text NOT NULL,
       filed_as text NOT NULL CHECK (filed_as IN ('person', 'representative', 'staff')),
       representative jsonb,
       grounds text NOT NULL,
       contested_reasons jsonb NOT NULL DEFAULT '[]'::jsonb,
       decided_by text,
       approved_by text,
       decided_on date,
       filed_within_term boolean NOT NULL,
       status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'dismissed')),
       filed_on date NOT NULL,
       due_on date NOT NULL,
       deadline_rule text NOT NULL,
       reviewed_by text,
       reviewed_on date,
       reasoning text,
       result jsonb,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT appeal_target CHECK (application_id IS NOT NULL OR assignment_id IS NOT NULL),
       CONSTRAINT appeal_reviewed CHECK ((status = 'open') = (reviewed_by IS NULL)),
       CONSTRAINT appeal_reviewer_other CHECK (reviewed_by IS NULL OR (reviewed_by <> filed_by AND reviewed_by IS DISTINCT FROM decided_by AND reviewed_by IS DISTINCT FROM approved_by))
     )`);
    await q.query(`CREATE UNIQUE INDEX appeal_one_open_per_decision ON social_processing.appeal
       (programme_code, coalesce(application_id::text, ''), coalesce(assignment_id::text, ''), coalesce(assignment_version, 0)) WHERE status = 'open'`);
    await q.query(`CREATE INDEX appeal_open_due ON social_processing.appeal (due_on) WHERE status = 'open'`);
    await q.query(`CREATE INDEX appeal_person ON social_processing.appeal (person_id)`);
    await q.query(`CREATE INDEX appeal_application ON social_processing.appeal (application_id)`);
    await q.query(`CREATE INDEX appeal_assignment ON social_processing.appeal (assignment_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE social_processing.appeal`);
  }
}
