import type { MigrationInterface, QueryRunner } from 'typeorm';
import { runStatements, type MigrationClass } from '../db/migrations';

/**
 * The two-person rule's table in a service schema: one row per act that needs a second person
 * (requested → approved and executed, or rejected), with both identities.
 */
export function dualControlTablesUp(schema: string): string[] {
  return [
    `CREATE TABLE ${schema}.dual_control_request (
       id uuid PRIMARY KEY,
       action text NOT NULL,
       subject_type text NOT NULL,
       subject_id text NOT NULL,
       katottg text,
       payload jsonb NOT NULL DEFAULT '{}'::jsonb,
       evidence_ref text,
       reason text NOT NULL,
       status text NOT NULL CHECK (status IN ('pending', 'executed', 'rejected')),
       requested_by text NOT NULL,
       requested_roles text[] NOT NULL,
       requested_at timestamptz NOT NULL DEFAULT now(),
       decided_by text,
       decided_roles text[],
       decided_at timestamptz,
       decision_note text,
       result jsonb,
       correlation_id text,
       CHECK (decided_by IS NULL OR decided_by <> requested_by)
     )`,
    `CREATE UNIQUE INDEX dual_control_one_pending_uq ON ${schema}.dual_control_request (action, subject_id) WHERE status = 'pending'`,
    `CREATE INDEX dual_control_status_idx ON ${schema}.dual_control_request (status, requested_at)`,
  ];
}

export function dualControlTablesDown(schema: string): string[] {
  return [`DROP TABLE ${schema}.dual_control_request`];
}

/** The two-person rule's table as a migration of a service. */
export function dualControlMigration(schema: string, name: string): MigrationClass {
  const cls = class implements MigrationInterface {
    name = name;
    async up(q: QueryRunner): Promise<void> {
      await runStatements(q, dualControlTablesUp(schema));
    }
    async down(q: QueryRunner): Promise<void> {
      await runStatements(q, dualControlTablesDown(schema));
    }
  };
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
}
