import { runStatements } from '@eisss/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = 'social_register';

/** The common head of every staging table: the job, the file line, the source system and legacy id, the outcome. */
const STAGE_HEAD = `job_id uuid NOT NULL REFERENCES ${S}.import_job (id) ON DELETE CASCADE,
         line integer NOT NULL,
         source_system text,
         legacy_id text,
         malformed text,
         rejected boolean NOT NULL DEFAULT false,
         action text CHECK (action IN ('create', 'link')),
         register_id uuid`;

/**
 * Bulk migration from the systems in use (issue 14, docs/migration.md): import jobs, one staging table
 * per entity (rows as they came, identifiers already encrypted and hashed, validated set-based), the
 * rejects with line, field and code, and the map from a source system's legacy id to the register id.
 * A job is identified by its entity and the SHA-256 of its file: a second run of the same file finds it.
 */
export class MigrationImport1765200000000 implements MigrationInterface {
  name = 'MigrationImport1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `CREATE TABLE ${S}.import_job (
         id uuid PRIMARY KEY,
         entity text NOT NULL CHECK (entity IN ('persons', 'accounts', 'households', 'members', 'statuses', 'assignments')),
         file_name text NOT NULL,
         file_sha256 text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
         encoding text NOT NULL,
         status text NOT NULL CHECK (status IN ('staging', 'validated', 'awaiting_approval', 'applying', 'completed', 'failed')),
         created_by text NOT NULL,
         approved_by text,
         approved_at timestamptz,
         total_rows integer NOT NULL DEFAULT 0,
         rejected_rows integer NOT NULL DEFAULT 0,
         created_rows integer NOT NULL DEFAULT 0,
         linked_rows integer NOT NULL DEFAULT 0,
         review_rows integer NOT NULL DEFAULT 0,
         chunk_size integer NOT NULL CHECK (chunk_size > 0),
         applied_through integer NOT NULL DEFAULT 0,
         chunks_applied integer NOT NULL DEFAULT 0,
         error text,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         finished_at timestamptz,
         UNIQUE (entity, file_sha256),
         CHECK (approved_by IS NULL OR approved_by <> created_by)
       )`,
      `CREATE INDEX import_job_created_idx ON ${S}.import_job (created_at DESC)`,
      `CREATE TABLE ${S}.import_reject (
         job_id uuid NOT NULL REFERENCES ${S}.import_job (id) ON DELETE CASCADE,
         line integer NOT NULL,
         legacy_id text,
         field text NOT NULL,
         code text NOT NULL,
         message text NOT NULL,
         PRIMARY KEY (job_id, line, field, code)
       )`,
      `CREATE TABLE ${S}.legacy_id_map (
         source_system text NOT NULL CHECK (source_system IN ('asopd', 'komtekh', 'edarp', 'subsidies')),
         entity text NOT NULL CHECK (entity IN ('person', 'household', 'status', 'account', 'assignment')),
         legacy_id text NOT NULL,
         register_id uuid NOT NULL,
         job_id uuid NOT NULL REFERENCES ${S}.import_job (id),
         line integer NOT NULL,
         imported_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (source_system, entity, legacy_id)
       )`,
      `CREATE INDEX legacy_id_map_register_idx ON ${S}.legacy_id_map (register_id)`,
      `CREATE TABLE ${S}.import_stage_person (
         ${STAGE_HEAD},
         rnokpp_enc text, rnokpp_hash text, rnokpp_masked text, rnokpp_bad boolean NOT NULL DEFAULT false,
         unzr_enc text, unzr_hash text, unzr_bad boolean NOT NULL DEFAULT false,
         phone_enc text, phone_bad boolean NOT NULL DEFAULT false,
         last_name text, first_name text, patronymic text, name_key text,
         birth_date text, sex text, death_date text,
         katottg text, address_text text, actual_katottg text,
         candidate_ids uuid[],
         PRIMARY KEY (job_id, line)
       )`,
      `CREATE TABLE ${S}.import_stage_account (
         ${STAGE_HEAD},
         person_legacy_id text,
         iban_enc text, iban_hash text, iban_masked text, iban_bad boolean NOT NULL DEFAULT false,
         person_id uuid,
         PRIMARY KEY (job_id, line)
       )`,
      `CREATE TABLE ${S}.import_stage_household (
         ${STAGE_HEAD},
         katottg text, address_text text,
         PRIMARY KEY (job_id, line)
       )`,
      `CREATE TABLE ${S}.import_stage_member (
         ${STAGE_HEAD},
         household_legacy_id text, person_legacy_id text, role text, joined_on text,
         household_id uuid, person_id uuid,
         PRIMARY KEY (job_id, line)
       )`,
      `CREATE TABLE ${S}.import_stage_status (
         ${STAGE_HEAD},
         person_legacy_id text, type text, valid_from text, valid_to text,
         document text, document_date text, disability_group text, origin_katottg text,
         person_id uuid,
         PRIMARY KEY (job_id, line)
       )`,
      `CREATE TABLE ${S}.import_stage_assignment (
         ${STAGE_HEAD},
         person_legacy_id text, programme_code text, period_from text, period_to text, monthly_amount text,
         amount_kopiyky bigint, decision_number text, decision_date text,
         person_id uuid,
         PRIMARY KEY (job_id, line)
       )`,
      // A legacy date (YYYY-MM-DD or DD.MM.YYYY) or NULL when it is not a real calendar date; never an error (set-based checks).
      `CREATE FUNCTION ${S}.legacy_date(t text) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
         SELECT CASE
                  WHEN p.y IS NULL OR p.y < 1 OR p.m NOT BETWEEN 1 AND 12 THEN NULL
                  WHEN p.d BETWEEN 1 AND extract(day FROM make_date(p.y, p.m, 1) + interval '1 month - 1 day')::int THEN make_date(p.y, p.m, p.d)
                END
           FROM (SELECT CASE WHEN t ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN substr(t, 1, 4)::int
                             WHEN t ~ '^[0-9]{2}[.][0-9]{2}[.][0-9]{4}$' THEN substr(t, 7, 4)::int END AS y,
                        CASE WHEN t ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN substr(t, 6, 2)::int
                             WHEN t ~ '^[0-9]{2}[.][0-9]{2}[.][0-9]{4}$' THEN substr(t, 4, 2)::int END AS m,
                        CASE WHEN t ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN substr(t, 9, 2)::int
                             WHEN t ~ '^[0-9]{2}[.][0-9]{2}[.][0-9]{4}$' THEN substr(t, 1, 2)::int END AS d) p
       $$`,
      // Hryvnias as the legacy systems write them (3000,00 / 3000.5 / 3 000,00) in kopiyky, exactly; NULL when not such a positive amount.
      `CREATE FUNCTION ${S}.legacy_kopiyky(t text) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
         SELECT CASE WHEN a.v ~ '^[0-9]{1,10}([.,][0-9]{1,2})?$'
                     THEN nullif(split_part(translate(a.v, ',', '.'), '.', 1)::bigint * 100
                                 + rpad(coalesce(nullif(split_part(translate(a.v, ',', '.'), '.', 2), ''), '0'), 2, '0')::bigint, 0) END
           FROM (SELECT regexp_replace(t, '[[:space:]\u00a0]', '', 'g') AS v) a
       $$`,
      `CREATE TABLE ${S}.migrated_assignment (
         id uuid PRIMARY KEY,
         job_id uuid NOT NULL REFERENCES ${S}.import_job (id),
         source_system text NOT NULL,
         legacy_case_number text NOT NULL,
         person_id uuid NOT NULL REFERENCES ${S}.person (id),
         programme_code text NOT NULL,
         period_from date NOT NULL,
         period_to date NOT NULL,
         monthly_amount_kopiyky bigint NOT NULL CHECK (monthly_amount_kopiyky > 0),
         decision_number text,
         decision_date date,
         created_at timestamptz NOT NULL DEFAULT now(),
         UNIQUE (source_system, legacy_case_number),
         CHECK (period_to >= period_from)
       )`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await runStatements(
      q,
      [
        'migrated_assignment',
        'import_stage_assignment',
        'import_stage_status',
        'import_stage_member',
        'import_stage_household',
        'import_stage_account',
        'import_stage_person',
        'legacy_id_map',
        'import_reject',
        'import_job',
      ]
        .map((t) => `DROP TABLE ${S}.${t}`)
        .concat([`DROP FUNCTION ${S}.legacy_kopiyky(text)`, `DROP FUNCTION ${S}.legacy_date(text)`]),
    );
  }
}
