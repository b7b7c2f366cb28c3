import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Applications, their per-programme decisions, verification requests, assignments with versions, person statuses, programme settings. */
export class Applications1763900000200 implements MigrationInterface {
  name = 'Applications1763900000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE social_processing.application (
       id uuid PRIMARY KEY,
       client_request_id text NOT NULL,
       request_fingerprint text NOT NULL,
       channel text NOT NULL CHECK (channel IN ('diia', 'cnap', 'office')),
       applicant_person_id uuid NOT NULL,
       katottg char(19) NOT NULL,
       programme_codes text[] NOT NULL,
       household jsonb NOT NULL,
       consents jsonb NOT NULL,
       payment jsonb NOT NULL,
       average_income_kopiyky bigint,
       status text NOT NULL,
       submitted_on date NOT NULL,
       decision_due_on date NOT NULL,
       decided_on date,
       history jsonb NOT NULL DEFAULT '[]'::jsonb,
       created_by text NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT application_client_request_id_key UNIQUE (client_request_id)
     )`);
    await q.query(
      `CREATE INDEX application_deadline_idx ON social_processing.application (katottg, decision_due_on) WHERE status <> 'decided'`,
    );
    await q.query(`CREATE INDEX application_applicant_idx ON social_processing.application (applicant_person_id)`);
    await q.query(`CREATE TABLE social_processing.application_decision (
       application_id uuid NOT NULL REFERENCES social_processing.application (id),
       programme_code text NOT NULL,
       status text NOT NULL CHECK (status IN ('awaiting_verification', 'awaiting_officer', 'awaiting_approval', 'granted', 'refused')),
       verification_request_id uuid NOT NULL UNIQUE,
       verification jsonb,
       evaluation jsonb,
       proposal jsonb,
       reasons jsonb NOT NULL DEFAULT '[]'::jsonb,
       decided_by text,
       approved_by text,
       decided_on date,
       assignment_id uuid,
       PRIMARY KEY (application_id, programme_code)
     )`);
    await q.query(`CREATE TABLE social_processing.assignment (
       id uuid PRIMARY KEY,
       version integer NOT NULL,
       application_id uuid REFERENCES social_processing.application (id),
       programme_code text NOT NULL,
       rule_set_version text NOT NULL,
       recipient_person_id uuid NOT NULL,
       member_person_ids uuid[] NOT NULL,
       katottg char(19) NOT NULL,
       period_from char(7) NOT NULL,
       period_to char(7) NOT NULL,
       status text NOT NULL CHECK (status IN ('active', 'suspended', 'terminated')),
       months jsonb NOT NULL,
       payment jsonb NOT NULL,
       facts jsonb NOT NULL,
       explanation jsonb NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now()
     )`);
    await q.query(`CREATE INDEX assignment_members_idx ON social_processing.assignment USING gin (member_person_ids)`);
    await q.query(`CREATE INDEX assignment_recipient_idx ON social_processing.assignment (recipient_person_id)`);
    await q.query(`CREATE TABLE social_processing.assignment_version (
       assignment_id uuid NOT NULL REFERENCES social_processing.assignment (id),
       version integer NOT NULL,
       event_type text NOT NULL,
       snapshot jsonb NOT NULL,
       reason jsonb,
       effective_from char(7) NOT NULL,
       differences jsonb NOT NULL DEFAULT '[]'::jsonb,
       created_by text NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (assignment_id, version)
     )`);
    await q.query(`CREATE TABLE social_processing.person_status (
       status_id uuid PRIMARY KEY,
       person_id uuid NOT NULL,
       type text NOT NULL,
       valid_from date NOT NULL,
       valid_to date,
       details jsonb NOT NULL DEFAULT '{}'::jsonb,
       last_event_at timestamptz NOT NULL
     )`);
    await q.query(`CREATE INDEX person_status_person_idx ON social_processing.person_status (person_id)`);
    await q.query(`CREATE TABLE social_processing.programme_setting (
       programme_code text PRIMARY KEY,
       requires_approval boolean NOT NULL,
       updated_by text NOT NULL,
       updated_at timestamptz NOT NULL DEFAULT now()
     )`);
    await q.query(`INSERT INTO social_processing.programme_setting (programme_code, requires_approval, updated_by)
       VALUES ('idp-living-allowance', false, 'migration'), ('birth-assistance', true, 'migration')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE social_processing.programme_setting`);
    await q.query(`DROP TABLE social_processing.person_status`);
    await q.query(`DROP TABLE social_processing.assignment_version`);
    await q.query(`DROP TABLE social_processing.assignment`);
    await q.query(`DROP TABLE social_processing.application_decision`);
    await q.query(`DROP TABLE social_processing.application`);
  }
}
