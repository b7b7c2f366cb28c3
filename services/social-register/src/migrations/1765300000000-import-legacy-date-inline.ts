import { runStatements } from '@eisss/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = 'social_register';

/**
 * legacy_date as one expression the planner inlines (issue 14 bench): the first version selected from
 * a subquery, so each call was a function call of its own (about 18 µs; a person row's checks call it
 * six times). Same answers: the date of `YYYY-MM-DD` or `DD.MM.YYYY` when it is a real calendar date
 * (leap years by the Gregorian rule), else NULL — never an error, also for constant arguments (the
 * validity is in the WHEN, so make_date is never folded with a bad month or day).
 */
export class ImportLegacyDateInline1765300000000 implements MigrationInterface {
  name = 'ImportLegacyDateInline1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `CREATE FUNCTION ${S}.legacy_ymd(y int, m int, d int) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
         SELECT CASE WHEN y >= 1 AND m BETWEEN 1 AND 12 AND d >= 1
                      AND d <= CASE WHEN m IN (4, 6, 9, 11) THEN 30
                                    WHEN m = 2 THEN CASE WHEN y % 4 = 0 AND (y % 100 <> 0 OR y % 400 = 0) THEN 29 ELSE 28 END
                                    ELSE 31 END
                     THEN make_date(y, m, d) END
       $$`,
      `CREATE OR REPLACE FUNCTION ${S}.legacy_date(t text) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
         SELECT CASE WHEN t ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN ${S}.legacy_ymd(substr(t, 1, 4)::int, substr(t, 6, 2)::int, substr(t, 9, 2)::int)
                     WHEN t ~ '^[0-9]{2}[.][0-9]{2}[.][0-9]{4}$' THEN ${S}.legacy_ymd(substr(t, 7, 4)::int, substr(t, 4, 2)::int, substr(t, 1, 2)::int) END
       $$`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `CREATE OR REPLACE FUNCTION ${S}.legacy_date(t text) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
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
      `DROP FUNCTION ${S}.legacy_ymd(int, int, int)`,
    ]);
  }
}
