import { runStatements } from '@eisss/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * DCI traffic between known parties: the register of DCI clients (who may send, where answers go,
 * the key their requests are signed with, what they may ask, how many records), the records each
 * client was given per day (quota), and the outbox of callbacks a worker delivers with retries.
 */
export class DciClients1764200000000 implements MigrationInterface {
  name = 'DciClients1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `CREATE TABLE social_register.dci_client (
         id uuid PRIMARY KEY,
         sender_id text NOT NULL UNIQUE CHECK (sender_id ~ '^[A-Za-z0-9._:-]{1,100}$'),
         name text NOT NULL,
         callback_uri text NOT NULL,
         public_key jsonb NOT NULL,
         key_id text NOT NULL,
         key_algorithm text NOT NULL CHECK (key_algorithm IN ('ed25519', 'es256', 'rs256')),
         key_thumbprint text NOT NULL,
         allowed_actions text[] NOT NULL,
         allowed_query_types text[] NOT NULL,
         max_records_per_request integer NOT NULL CHECK (max_records_per_request BETWEEN 1 AND 100000),
         max_records_per_day integer NOT NULL CHECK (max_records_per_day BETWEEN 1 AND 100000000),
         allow_private_address boolean NOT NULL DEFAULT false,
         active boolean NOT NULL DEFAULT true,
         version integer NOT NULL DEFAULT 1,
         created_by text NOT NULL,
         updated_by text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE TABLE social_register.dci_client_usage (
         sender_id text NOT NULL,
         day date NOT NULL,
         records integer NOT NULL DEFAULT 0 CHECK (records >= 0),
         PRIMARY KEY (sender_id, day)
       )`,
      `CREATE TABLE social_register.dci_callback (
         id uuid PRIMARY KEY,
         sender_id text NOT NULL,
         endpoint text NOT NULL CHECK (endpoint IN ('on-search', 'on-subscribe', 'on-unsubscribe', 'notify')),
         url text NOT NULL,
         body jsonb,
         transaction_id uuid,
         event_id uuid,
         subscription_code text,
         status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
         attempts integer NOT NULL DEFAULT 0,
         next_attempt_at timestamptz NOT NULL DEFAULT now(),
         last_status integer,
         last_error text,
         created_at timestamptz NOT NULL DEFAULT now(),
         finished_at timestamptz
       )`,
      `CREATE INDEX dci_callback_due_idx ON social_register.dci_callback (next_attempt_at) WHERE status = 'pending'`,
      `CREATE INDEX dci_callback_sender_idx ON social_register.dci_callback (sender_id, created_at)`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `DROP TABLE social_register.dci_callback`,
      `DROP TABLE social_register.dci_client_usage`,
      `DROP TABLE social_register.dci_client`,
    ]);
  }
}
