import { runStatements } from '@eisss/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The register beyond the person card: contacts, addresses, bank account, the change journal,
 * change requests, duplicate reviews and merges, households, statuses with history,
 * entitlements and their use, providers, and the DCI transactions and subscriptions.
 */
export class RegisterCore1763900000200 implements MigrationInterface {
  name = 'RegisterCore1763900000200';

  async up(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `ALTER TABLE social_register.person
         ADD COLUMN phone text,
         ADD COLUMN email text,
         ADD COLUMN registered_address text,
         ADD COLUMN actual_address text,
         ADD COLUMN actual_katottg char(19),
         ADD COLUMN iban char(29),
         ADD COLUMN name_key text,
         ADD COLUMN merged_into uuid REFERENCES social_register.person (id),
         ADD COLUMN created_by text`,
      `CREATE INDEX person_name_key_idx ON social_register.person (name_key, birth_date)`,
      `CREATE INDEX person_actual_katottg_idx ON social_register.person (actual_katottg)`,
      `CREATE TABLE social_register.person_history (
         id bigserial PRIMARY KEY,
         person_id uuid NOT NULL REFERENCES social_register.person (id),
         action text NOT NULL,
         changes jsonb NOT NULL DEFAULT '{}',
         reason text,
         source text,
         actor_id text NOT NULL,
         occurred_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX person_history_person_idx ON social_register.person_history (person_id, id)`,
      `CREATE TABLE social_register.change_request (
         id uuid PRIMARY KEY,
         person_id uuid NOT NULL REFERENCES social_register.person (id),
         changes jsonb NOT NULL,
         reason text NOT NULL,
         source text NOT NULL,
         status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
         katottg char(19),
         requested_by text NOT NULL,
         requested_at timestamptz NOT NULL DEFAULT now(),
         decided_by text,
         decided_at timestamptz,
         decision_note text,
         client_request_id text UNIQUE
       )`,
      `CREATE INDEX change_request_status_idx ON social_register.change_request (status, requested_at)`,
      `CREATE TABLE social_register.duplicate_review (
         id uuid PRIMARY KEY,
         person_id uuid NOT NULL REFERENCES social_register.person (id),
         candidate_ids uuid[] NOT NULL,
         match_kind text NOT NULL,
         status text NOT NULL CHECK (status IN ('open', 'merged', 'distinct')),
         katottg char(19),
         created_at timestamptz NOT NULL DEFAULT now(),
         resolved_by text,
         resolved_at timestamptz,
         merge_id uuid
       )`,
      `CREATE INDEX duplicate_review_status_idx ON social_register.duplicate_review (status, created_at)`,
      `CREATE TABLE social_register.merge_journal (
         id uuid PRIMARY KEY,
         merged_person_id uuid NOT NULL REFERENCES social_register.person (id),
         survivor_person_id uuid NOT NULL REFERENCES social_register.person (id),
         merged_snapshot jsonb NOT NULL,
         survivor_snapshot jsonb NOT NULL,
         moved jsonb NOT NULL,
         reason text NOT NULL,
         actor_id text NOT NULL,
         merged_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE TABLE social_register.household (
         id uuid PRIMARY KEY,
         katottg char(19) NOT NULL,
         address text,
         version integer NOT NULL DEFAULT 1,
         client_request_id text UNIQUE,
         created_by text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX household_katottg_idx ON social_register.household (katottg)`,
      `CREATE TABLE social_register.household_member (
         id bigserial PRIMARY KEY,
         household_id uuid NOT NULL REFERENCES social_register.household (id),
         person_id uuid NOT NULL REFERENCES social_register.person (id),
         role text NOT NULL CHECK (role IN ('head', 'recipient', 'dependant')),
         joined_on date NOT NULL,
         left_on date,
         CHECK (left_on IS NULL OR left_on >= joined_on)
       )`,
      `CREATE UNIQUE INDEX household_member_active_uq ON social_register.household_member (person_id) WHERE left_on IS NULL`,
      `CREATE UNIQUE INDEX household_head_active_uq ON social_register.household_member (household_id) WHERE left_on IS NULL AND role = 'head'`,
      `CREATE INDEX household_member_household_idx ON social_register.household_member (household_id)`,
      `CREATE TABLE social_register.person_status (
         id uuid PRIMARY KEY,
         person_id uuid NOT NULL REFERENCES social_register.person (id),
         type text NOT NULL,
         valid_from date NOT NULL,
         valid_to date,
         source text NOT NULL,
         details jsonb NOT NULL DEFAULT '{}',
         katottg char(19),
         version integer NOT NULL DEFAULT 1,
         client_request_id text UNIQUE,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         CHECK (valid_to IS NULL OR valid_to >= valid_from)
       )`,
      `CREATE INDEX person_status_person_idx ON social_register.person_status (person_id, type)`,
      `CREATE TABLE social_register.status_history (
         id bigserial PRIMARY KEY,
         status_id uuid NOT NULL REFERENCES social_register.person_status (id),
         person_id uuid NOT NULL,
         action text NOT NULL CHECK (action IN ('granted', 'ended', 'corrected', 'moved')),
         version integer NOT NULL,
         snapshot jsonb NOT NULL,
         reason text,
         source text NOT NULL,
         actor_id text NOT NULL,
         occurred_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX status_history_status_idx ON social_register.status_history (status_id, id)`,
      `CREATE TABLE social_register.entitlement (
         assignment_id uuid NOT NULL,
         person_id uuid NOT NULL,
         role text NOT NULL CHECK (role IN ('recipient', 'member')),
         programme_code text NOT NULL,
         status text NOT NULL,
         period_from text NOT NULL,
         period_to text NOT NULL,
         assignment_version integer NOT NULL,
         katottg char(19) NOT NULL,
         months jsonb NOT NULL,
         last_event text NOT NULL,
         updated_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (assignment_id, person_id)
       )`,
      `CREATE INDEX entitlement_person_idx ON social_register.entitlement (person_id)`,
      `CREATE TABLE social_register.entitlement_use (
         payment_id uuid PRIMARY KEY,
         assignment_id uuid NOT NULL,
         person_id uuid NOT NULL,
         programme_code text NOT NULL,
         month text NOT NULL,
         amount_kopiyky bigint NOT NULL,
         settled_on date NOT NULL,
         recorded_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX entitlement_use_person_idx ON social_register.entitlement_use (person_id, assignment_id)`,
      `CREATE TABLE social_register.provider (
         id uuid PRIMARY KEY,
         code text NOT NULL UNIQUE,
         name text NOT NULL,
         type text NOT NULL,
         katottg char(19) NOT NULL,
         active boolean NOT NULL DEFAULT true,
         version integer NOT NULL DEFAULT 1,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX provider_katottg_idx ON social_register.provider (katottg)`,
      `CREATE TABLE social_register.dci_transaction (
         id uuid PRIMARY KEY,
         sender_id text NOT NULL,
         message_id text NOT NULL,
         transaction_id text NOT NULL,
         correlation_id text NOT NULL UNIQUE,
         action text NOT NULL,
         status text NOT NULL CHECK (status IN ('rcvd', 'pdng', 'succ', 'rjct')),
         reference_ids text[] NOT NULL,
         callback_uri text,
         request jsonb NOT NULL,
         response jsonb,
         principal jsonb NOT NULL,
         error text,
         created_at timestamptz NOT NULL DEFAULT now(),
         completed_at timestamptz,
         UNIQUE (sender_id, message_id)
       )`,
      `CREATE INDEX dci_transaction_txn_idx ON social_register.dci_transaction (sender_id, transaction_id)`,
      `CREATE TABLE social_register.dci_subscription (
         code text PRIMARY KEY,
         sender_id text NOT NULL,
         sender_uri text NOT NULL,
         transaction_id text NOT NULL,
         reference_id text NOT NULL,
         reg_event_type text NOT NULL,
         filter jsonb NOT NULL,
         notify_record_type text NOT NULL,
         territory text NOT NULL,
         status text NOT NULL CHECK (status IN ('subscribe', 'unsubscribe')),
         created_at timestamptz NOT NULL DEFAULT now(),
         UNIQUE (sender_id, reference_id)
       )`,
      `CREATE TABLE social_register.dci_notification (
         event_id uuid NOT NULL,
         subscription_code text NOT NULL REFERENCES social_register.dci_subscription (code),
         outcome text NOT NULL,
         http_status integer,
         sent_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (event_id, subscription_code)
       )`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `DROP TABLE social_register.dci_notification`,
      `DROP TABLE social_register.dci_subscription`,
      `DROP TABLE social_register.dci_transaction`,
      `DROP TABLE social_register.provider`,
      `DROP TABLE social_register.entitlement_use`,
      `DROP TABLE social_register.entitlement`,
      `DROP TABLE social_register.status_history`,
      `DROP TABLE social_register.person_status`,
      `DROP TABLE social_register.household_member`,
      `DROP TABLE social_register.household`,
      `DROP TABLE social_register.merge_journal`,
      `DROP TABLE social_register.duplicate_review`,
      `DROP TABLE social_register.change_request`,
      `DROP TABLE social_register.person_history`,
      `DROP INDEX social_register.person_actual_katottg_idx`,
      `DROP INDEX social_register.person_name_key_idx`,
      `ALTER TABLE social_register.person
         DROP COLUMN created_by, DROP COLUMN merged_into, DROP COLUMN name_key, DROP COLUMN iban,
         DROP COLUMN actual_katottg, DROP COLUMN actual_address, DROP COLUMN registered_address,
         DROP COLUMN email, DROP COLUMN phone`,
    ]);
  }
}
