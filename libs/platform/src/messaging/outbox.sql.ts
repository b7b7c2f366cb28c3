/**
 * DDL of the platform tables every service schema has: the outbox, the inbox and the audit log
 * of personal-data reads. Used by each service's first migration (up and down).
 */
export function platformTablesUp(schema: string): string[] {
  return [
    `CREATE TABLE ${schema}.outbox (
       seq bigserial PRIMARY KEY,
       event_id uuid NOT NULL UNIQUE,
       topic text NOT NULL,
       message_key text NOT NULL,
       envelope jsonb NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       published_at timestamptz
     )`,
    `CREATE INDEX outbox_unpublished_idx ON ${schema}.outbox (seq) WHERE published_at IS NULL`,
    `CREATE INDEX outbox_published_at_idx ON ${schema}.outbox (published_at) WHERE published_at IS NOT NULL`,
    `CREATE TABLE ${schema}.inbox (
       consumer_group text NOT NULL,
       event_id uuid NOT NULL,
       event_type text NOT NULL,
       topic text NOT NULL,
       kafka_partition integer NOT NULL,
       kafka_offset bigint NOT NULL,
       processed_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (consumer_group, event_id)
     )`,
    `CREATE TABLE ${schema}.audit_log (
       id bigserial PRIMARY KEY,
       occurred_at timestamptz NOT NULL DEFAULT now(),
       actor_id text NOT NULL,
       actor_roles text[] NOT NULL,
       action text NOT NULL,
       subject_type text NOT NULL,
       subject_id text NOT NULL,
       purpose text,
       correlation_id text
     )`,
    `CREATE INDEX audit_log_subject_idx ON ${schema}.audit_log (subject_type, subject_id, occurred_at)`,
  ];
}

export function platformTablesDown(schema: string): string[] {
  return [`DROP TABLE ${schema}.audit_log`, `DROP TABLE ${schema}.inbox`, `DROP TABLE ${schema}.outbox`];
}

export function outboxChannel(schema: string): string {
  return `${schema}_outbox`;
}
