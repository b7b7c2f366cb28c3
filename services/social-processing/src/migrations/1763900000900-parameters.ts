import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One seeded row: the value (kopiyky, a count or a percentage, as an integer), from when, by which act. */
export interface ParameterSeedRow {
  key: string;
  from: string;
  value: bigint;
  source: string;
}

const BUDGET_2025 = 'Закон про Державний бюджет України на 2025 рік, ст. 7';
const BUDGET_2026 = 'Закон про Державний бюджет України на 2026 рік, ст. 7';
const LOW_INCOME_LAW = "Закон України «Про державну соціальну допомогу малозабезпеченим сім'ям» від 01.06.2000 № 1768-III";
const LOW_INCOME_PROCEDURE = 'Порядок, затверджений постановою КМУ від 24.02.2003 № 250';

/**
 * The parameter values in force when parameters became data (issue 9): the rows the code held in
 * src/rules/parameters.ts, with their effective dates and legal sources, plus the low-income family
 * assistance. Literal on purpose: a migration never changes; a later value is a new row (POST
 * /parameters with a second person's approval, or a new migration), never an edit here.
 */
export const PARAMETER_SEED: readonly ParameterSeedRow[] = [
  // Subsistence minimum (прожитковий мінімум), UAH per month → kopiyky (RULES.md §3).
  { key: 'subsistence-minimum.general', from: '2025-01-01', value: 292000n, source: BUDGET_2025 },
  { key: 'subsistence-minimum.child-under-6', from: '2025-01-01', value: 256300n, source: BUDGET_2025 },
  { key: 'subsistence-minimum.child-6-18', from: '2025-01-01', value: 319600n, source: BUDGET_2025 },
  { key: 'subsistence-minimum.able-bodied', from: '2025-01-01', value: 302800n, source: BUDGET_2025 },
  { key: 'subsistence-minimum.unable-to-work', from: '2025-01-01', value: 236100n, source: BUDGET_2025 },
  { key: 'subsistence-minimum.general', from: '2026-01-01', value: 320900n, source: BUDGET_2026 },
  { key: 'subsistence-minimum.child-under-6', from: '2026-01-01', value: 281700n, source: BUDGET_2026 },
  { key: 'subsistence-minimum.child-6-18', from: '2026-01-01', value: 351200n, source: BUDGET_2026 },
  { key: 'subsistence-minimum.able-bodied', from: '2026-01-01', value: 332800n, source: BUDGET_2026 },
  { key: 'subsistence-minimum.unable-to-work', from: '2026-01-01', value: 259500n, source: BUDGET_2026 },
  // IDP living allowance (КМУ № 332 п. 4).
  { key: 'idp.amount.child-or-disability', from: '2022-03-20', value: 300000n, source: 'КМУ № 332 від 20.03.2022, п. 4' },
  { key: 'idp.amount.other', from: '2022-03-20', value: 200000n, source: 'КМУ № 332 від 20.03.2022, п. 4' },
  { key: 'idp.term-months', from: '2023-08-01', value: 6n, source: 'КМУ № 332, п. 4 (ред. 2023): шість місяців' },
  {
    key: 'idp.extension.income-multiplier',
    from: '2024-03-01',
    value: 4n,
    source: 'КМУ № 332 (ред. № 94 від 26.01.2024): 4 прожиткові мінімуми для непрацездатних',
  },
  // Birth-of-a-child assistance (Закон «Про державну допомогу сім'ям з дітьми», ст. 12).
  { key: 'birth.legacy.lump-sum', from: '2014-07-01', value: 1032000n, source: "Закон «Про державну допомогу сім'ям з дітьми», ст. 12" },
  { key: 'birth.legacy.monthly', from: '2014-07-01', value: 86000n, source: "Закон «Про державну допомогу сім'ям з дітьми», ст. 12" },
  { key: 'birth.legacy.months', from: '2014-07-01', value: 36n, source: "Закон «Про державну допомогу сім'ям з дітьми», ст. 12" },
  {
    key: 'birth.one-time',
    from: '2026-01-01',
    value: 5000000n,
    source: 'Закон № 4681-IX від 05.11.2025; Порядок КМУ № 1805 від 31.12.2025',
  },
  // Low-income family assistance: the guaranteed level (рівень забезпечення прожиткового мінімуму), % of the category's subsistence minimum.
  {
    key: 'low-income.level.able-bodied.percent',
    from: '2025-01-01',
    value: 55n,
    source: `${BUDGET_2025} (рівень забезпечення прожиткового мінімуму для призначення допомоги: працездатні 55 %)`,
  },
  {
    key: 'low-income.level.unable-to-work.percent',
    from: '2025-01-01',
    value: 100n,
    source: `${BUDGET_2025} (особи, які втратили працездатність, та особи з інвалідністю 100 %)`,
  },
  { key: 'low-income.level.child.percent', from: '2025-01-01', value: 140n, source: `${BUDGET_2025} (діти 140 %)` },
  { key: 'low-income.level.able-bodied.percent', from: '2026-01-01', value: 60n, source: `${BUDGET_2026} (працездатні 60 %)` },
  {
    key: 'low-income.level.unable-to-work.percent',
    from: '2026-01-01',
    value: 100n,
    source: `${BUDGET_2026} (особи, які втратили працездатність, та особи з інвалідністю 100 %)`,
  },
  { key: 'low-income.level.child.percent', from: '2026-01-01', value: 145n, source: `${BUDGET_2026} (діти 145 %)` },
  {
    key: 'low-income.term-months',
    from: '2003-03-01',
    value: 6n,
    source: `${LOW_INCOME_PROCEDURE}: призначається на шість місяців з місяця звернення`,
  },
  {
    key: 'low-income.unable-to-work.age',
    from: '2003-03-01',
    value: 60n,
    source: "Закон «Про загальнообов'язкове державне пенсійне страхування», ст. 26 (пенсійний вік 60 років)",
  },
  {
    key: 'low-income.student.age-limit',
    from: '2003-03-01',
    value: 23n,
    source: `${LOW_INCOME_LAW}, ст. 1 (діти до 23 років, які навчаються за денною формою)`,
  },
];

/**
 * Parameters as data (issue 9): effective-dated values with their legal source, one row per value.
 * A row is never updated or deleted (a trigger refuses it): a correction is a new row, and for the same
 * key and date the later row (higher seq) wins. Rows added through the API carry who asked and the
 * second person who approved (never the same, a check says so too) and the approval request.
 */
export class Parameters1763900000900 implements MigrationInterface {
  name = 'Parameters1763900000900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE social_processing.parameter (
       id uuid PRIMARY KEY,
       seq bigserial NOT NULL UNIQUE,
       key text NOT NULL CHECK (key ~ '^[a-z0-9][a-z0-9.-]*$'),
       value bigint NOT NULL,
       effective_from date NOT NULL,
       legal_source text NOT NULL CHECK (length(btrim(legal_source)) > 0),
       reason text NOT NULL CHECK (length(btrim(reason)) > 0),
       requested_by text NOT NULL,
       approved_by text,
       approval_id uuid UNIQUE,
       created_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT parameter_approved_together CHECK ((approved_by IS NULL) = (approval_id IS NULL)),
       CONSTRAINT parameter_second_person CHECK (approved_by IS NULL OR approved_by <> requested_by)
     )`);
    await q.query(`CREATE INDEX parameter_key_from ON social_processing.parameter (key, effective_from, seq)`);
    await q.query(`CREATE FUNCTION social_processing.parameter_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'social_processing.parameter rows are never updated or deleted: add a new row' USING ERRCODE = 'restrict_violation';
       END $$`);
    await q.query(
      `CREATE TRIGGER parameter_append_only BEFORE UPDATE OR DELETE ON social_processing.parameter FOR EACH ROW EXECUTE FUNCTION social_processing.parameter_append_only()`,
    );
    await q.query(
      `CREATE TRIGGER parameter_no_truncate BEFORE TRUNCATE ON social_processing.parameter FOR EACH STATEMENT EXECUTE FUNCTION social_processing.parameter_append_only()`,
    );
    for (const r of PARAMETER_SEED) {
      await q.query(
        `INSERT INTO social_processing.parameter (id, key, value, effective_from, legal_source, reason, requested_by) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6)`,
        [
          r.key,
          r.value.toString(),
          r.from,
          r.source,
          'seeded: the value in force when parameters became data (issue 9)',
          'migration:Parameters1763900000900',
        ],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE social_processing.parameter`);
    await q.query(`DROP FUNCTION social_processing.parameter_append_only()`);
  }
}
