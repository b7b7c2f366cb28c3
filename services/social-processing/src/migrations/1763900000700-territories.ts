import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The official list of territories of hostilities or temporary occupation, with history: every import is
 * a list version (`territory_import`); its rows (`territory_entry`) supersede the current row of the same
 * code and kind (the old row keeps `superseded_by`), nothing is updated in place or deleted.
 *
 * Seeded with a minimal default version (the oblast-level units of Donetsk, Luhansk, Crimea and
 * Sevastopol as published since the first lists), so that the IDP rules have a list to read before the
 * first import of the ministry's file; imports replace it row by row.
 */
export class Territories1763900000700 implements MigrationInterface {
  name = 'Territories1763900000700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE social_processing.territory_import (
       id uuid PRIMARY KEY,
       list_version int NOT NULL UNIQUE,
       source_order text NOT NULL,
       source_order_date date NOT NULL,
       source_version text,
       format text NOT NULL CHECK (format IN ('csv', 'json', 'seed')),
       row_count int NOT NULL,
       requested_by text NOT NULL,
       approved_by text NOT NULL,
       dual_control_request_id uuid,
       recalculation jsonb NOT NULL DEFAULT '{}'::jsonb,
       imported_at timestamptz NOT NULL DEFAULT now()
     )`);
    await q.query(`CREATE TABLE social_processing.territory_entry (
       id uuid PRIMARY KEY,
       import_id uuid NOT NULL REFERENCES social_processing.territory_import (id),
       katottg text NOT NULL CHECK (katottg ~ '^UA[0-9]{17}$'),
       katottg_prefix text NOT NULL,
       name text,
       kind text NOT NULL CHECK (kind IN ('possible_hostilities', 'active_hostilities', 'active_hostilities_e_resources', 'occupation')),
       started_on date NOT NULL,
       ended_on date,
       included_on date NOT NULL,
       superseded_by uuid REFERENCES social_processing.territory_import (id),
       CHECK (ended_on IS NULL OR ended_on >= started_on)
     )`);
    await q.query(
      `CREATE UNIQUE INDEX territory_entry_current_uq ON social_processing.territory_entry (katottg, kind) WHERE superseded_by IS NULL`,
    );
    await q.query(
      `CREATE INDEX territory_entry_prefix_idx ON social_processing.territory_entry (katottg_prefix text_pattern_ops) WHERE superseded_by IS NULL`,
    );
    await q.query(`CREATE INDEX territory_entry_import_idx ON social_processing.territory_entry (import_id)`);
    await q.query(
      `INSERT INTO social_processing.territory_import (id, list_version, source_order, source_order_date, source_version, format, row_count, requested_by, approved_by)
       VALUES ('00000000-0000-4000-8000-000000000700', 1, 'наказ Мінреінтеграції № 309', '2022-12-22', 'default seed (oblast-level units)', 'seed', 4, 'migration', 'migration')`,
    );
    await q.query(
      `INSERT INTO social_processing.territory_entry (id, import_id, katottg, katottg_prefix, name, kind, started_on, ended_on, included_on) VALUES
       ('00000000-0000-4000-8000-000000000701', '00000000-0000-4000-8000-000000000700', 'UA14000000000000000', 'UA14', 'Донецька область', 'active_hostilities', '2022-02-24', NULL, '2022-04-25'),
       ('00000000-0000-4000-8000-000000000702', '00000000-0000-4000-8000-000000000700', 'UA44000000000000000', 'UA44', 'Луганська область', 'occupation', '2022-02-24', NULL, '2022-04-25'),
       ('00000000-0000-4000-8000-000000000703', '00000000-0000-4000-8000-000000000700', 'UA01000000000000000', 'UA01', 'Автономна Республіка Крим', 'occupation', '2014-02-20', NULL, '2022-04-25'),
       ('00000000-0000-4000-8000-000000000704', '00000000-0000-4000-8000-000000000700', 'UA85000000000000000', 'UA85', 'м. Севастополь', 'occupation', '2014-02-20', NULL, '2022-04-25')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE social_processing.territory_entry`);
    await q.query(`DROP TABLE social_processing.territory_import`);
  }
}
