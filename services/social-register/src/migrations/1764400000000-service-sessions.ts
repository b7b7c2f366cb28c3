import { runStatements } from '@eisss/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Service sessions («єдине вікно»): an office serving a person who is present, wherever they are registered. */
export class ServiceSessions1764400000000 implements MigrationInterface {
  name = 'ServiceSessions1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `CREATE TABLE social_register.service_session (
         id uuid PRIMARY KEY,
         person_id uuid NOT NULL REFERENCES social_register.person (id),
         officer_id text NOT NULL,
         officer_roles text[] NOT NULL,
         office_territory text NOT NULL,
         home_katottg text,
         purpose text NOT NULL,
         reference_type text,
         reference_id uuid,
         identified_by text NOT NULL CHECK (identified_by IN ('document', 'diia-consent')),
         evidence text NOT NULL,
         opened_at timestamptz NOT NULL DEFAULT now(),
         expires_at timestamptz NOT NULL,
         closed_at timestamptz,
         CHECK (expires_at > opened_at)
       )`,
      `CREATE INDEX service_session_person_idx ON social_register.service_session (person_id, opened_at DESC)`,
      `CREATE INDEX service_session_officer_idx ON social_register.service_session (officer_id) WHERE closed_at IS NULL`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await runStatements(q, [`DROP TABLE social_register.service_session`]);
  }
}
