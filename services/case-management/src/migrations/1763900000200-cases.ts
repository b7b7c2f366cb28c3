import { runStatements } from '@eisss/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Cases1763900000200 implements MigrationInterface {
  name = 'Cases1763900000200';

  async up(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `CREATE TABLE case_management."case" (
         id uuid PRIMARY KEY,
         person_id uuid NOT NULL,
         katottg char(19) NOT NULL,
         category text NOT NULL CHECK (category IN ('adult', 'child_deprived_of_parental_care')),
         channel text NOT NULL,
         reporter text,
         crisis boolean NOT NULL DEFAULT false,
         request_date date NOT NULL,
         requested_services text[] NOT NULL DEFAULT '{}',
         status text NOT NULL,
         returned_from text,
         rule_set_version text NOT NULL,
         assessment_due date NOT NULL,
         decision_due date NOT NULL,
         review_due date,
         worker_id text,
         decision jsonb,
         outcome text,
         final_evaluation text,
         closed_on date,
         client_request_id text UNIQUE,
         source_status_id uuid UNIQUE,
         created_by text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         version integer NOT NULL DEFAULT 1
       )`,
      `CREATE INDEX case_katottg_idx ON case_management."case" (katottg, status)`,
      `CREATE INDEX case_worker_idx ON case_management."case" (worker_id, status)`,
      `CREATE INDEX case_person_idx ON case_management."case" (person_id)`,
      `CREATE TABLE case_management.case_journal (
         seq bigserial PRIMARY KEY,
         case_id uuid NOT NULL REFERENCES case_management."case"(id),
         action text NOT NULL,
         from_status text,
         to_status text,
         actor_id text NOT NULL,
         reason text,
         data jsonb NOT NULL DEFAULT '{}',
         at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX case_journal_case_idx ON case_management.case_journal (case_id, seq)`,
      `CREATE TABLE case_management.case_act (
         id uuid PRIMARY KEY,
         case_id uuid NOT NULL REFERENCES case_management."case"(id),
         kind text NOT NULL CHECK (kind IN ('assessment', 'plan')),
         act_version integer NOT NULL,
         act_date date NOT NULL,
         data jsonb NOT NULL,
         correction_reason text,
         signed_by text NOT NULL,
         signed_at timestamptz NOT NULL DEFAULT now(),
         UNIQUE (case_id, kind, act_version)
       )`,
      `CREATE TABLE case_management.case_contract (
         id uuid PRIMARY KEY,
         case_id uuid NOT NULL REFERENCES case_management."case"(id),
         provider_id text NOT NULL,
         provider_name text NOT NULL,
         contract_number text NOT NULL,
         signed_on date NOT NULL,
         valid_to date,
         created_by text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         UNIQUE (case_id, contract_number)
       )`,
      `CREATE TABLE case_management.provision (
         id uuid PRIMARY KEY,
         case_id uuid NOT NULL REFERENCES case_management."case"(id),
         client_id text NOT NULL,
         service_code text NOT NULL,
         provider_id text NOT NULL,
         provided_on date NOT NULL,
         duration_minutes integer,
         worker_id text,
         notes text,
         recorded_by text NOT NULL,
         recorded_at timestamptz NOT NULL DEFAULT now(),
         UNIQUE (case_id, client_id)
       )`,
      `CREATE TABLE case_management.case_note (
         id uuid PRIMARY KEY,
         case_id uuid NOT NULL REFERENCES case_management."case"(id),
         author_id text NOT NULL,
         text text NOT NULL,
         noted_on date NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE TABLE case_management.attachment (
         id uuid PRIMARY KEY,
         case_id uuid NOT NULL REFERENCES case_management."case"(id),
         uri text NOT NULL,
         sha256 char(64) NOT NULL,
         file_name text NOT NULL,
         media_type text NOT NULL,
         added_by text NOT NULL,
         added_at timestamptz NOT NULL DEFAULT now(),
         UNIQUE (case_id, sha256)
       )`,
      `CREATE TABLE case_management.team_member (
         case_id uuid NOT NULL REFERENCES case_management."case"(id),
         member_id text NOT NULL,
         role text NOT NULL,
         organisation text,
         added_by text NOT NULL,
         added_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (case_id, member_id, role)
       )`,
      `CREATE TABLE case_management.monitoring (
         id uuid PRIMARY KEY,
         case_id uuid NOT NULL REFERENCES case_management."case"(id),
         kind text NOT NULL CHECK (kind IN ('monitoring', 'review')),
         held_on date NOT NULL,
         findings text NOT NULL,
         next_review_due date,
         actor_id text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE TABLE case_management.appeal (
         id uuid PRIMARY KEY,
         case_id uuid NOT NULL REFERENCES case_management."case"(id),
         subject text NOT NULL,
         reason text NOT NULL,
         filed_by text NOT NULL,
         filed_at timestamptz NOT NULL DEFAULT now(),
         status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'dismissed')),
         reviewer_id text,
         resolution text,
         reviewed_at timestamptz
       )`,
      `CREATE TABLE case_management.deadline_notice (
         case_id uuid NOT NULL REFERENCES case_management."case"(id),
         stage text NOT NULL,
         due_date date NOT NULL,
         detected_on date NOT NULL,
         PRIMARY KEY (case_id, stage)
       )`,
      `CREATE TABLE case_management.placement_candidate (
         id uuid PRIMARY KEY,
         case_id uuid NOT NULL REFERENCES case_management."case"(id),
         kind text NOT NULL CHECK (kind IN ('guardian', 'foster_family', 'family_type_home', 'adoptive_parent')),
         candidate_name text NOT NULL,
         candidate_ref text,
         status text NOT NULL DEFAULT 'candidate' CHECK (status IN ('candidate', 'placed', 'withdrawn')),
         added_by text NOT NULL,
         added_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE TABLE case_management.placement (
         id uuid PRIMARY KEY,
         case_id uuid NOT NULL REFERENCES case_management."case"(id),
         candidate_id uuid NOT NULL REFERENCES case_management.placement_candidate(id),
         placed_on date NOT NULL,
         ended_on date,
         end_reason text,
         decision_ref text NOT NULL,
         created_by text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE UNIQUE INDEX placement_active_uq ON case_management.placement (case_id) WHERE ended_on IS NULL`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `DROP TABLE case_management.placement`,
      `DROP TABLE case_management.placement_candidate`,
      `DROP TABLE case_management.deadline_notice`,
      `DROP TABLE case_management.appeal`,
      `DROP TABLE case_management.monitoring`,
      `DROP TABLE case_management.team_member`,
      `DROP TABLE case_management.attachment`,
      `DROP TABLE case_management.case_note`,
      `DROP TABLE case_management.provision`,
      `DROP TABLE case_management.case_contract`,
      `DROP TABLE case_management.case_act`,
      `DROP TABLE case_management.case_journal`,
      `DROP TABLE case_management."case"`,
    ]);
  }
}
