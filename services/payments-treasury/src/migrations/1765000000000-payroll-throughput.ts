import { runStatements } from '@eisss/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = 'payments_treasury';

/**
 * A reference of `table.column` to `parent.id`, checked once per statement instead of once per row.
 * A foreign key checks every inserted row with its own lookup (a million lookups for a payroll's
 * lines, three million for its payments); these triggers check the same rule set-based over the
 * statement's transition table: the distinct referenced ids are locked as a foreign key locks them
 * (FOR KEY SHARE: a concurrent delete or key change of the parent waits for this transaction) and
 * must all exist; on the parent, a statement that deletes or re-keys referenced rows fails (as NO
 * ACTION), and TRUNCATE is refused while referencing rows exist. The errors carry SQLSTATE 23503
 * (foreign_key_violation) and the name of the foreign key they replace.
 */
interface Reference {
  table: string;
  column: string;
  parent: string;
  constraint: string;
}

const REFERENCES: Reference[] = [
  { table: 'payroll_line', column: 'payroll_id', parent: 'payroll', constraint: 'payroll_line_payroll_id_fkey' },
  { table: 'payment', column: 'payroll_id', parent: 'payroll', constraint: 'payment_payroll_id_fkey' },
  { table: 'payment', column: 'batch_id', parent: 'payment_batch', constraint: 'payment_batch_id_fkey' },
  { table: 'payment', column: 'reissue_of', parent: 'payment', constraint: 'payment_reissue_of_fkey' },
];

const CHILDREN = [...new Set(REFERENCES.map((r) => r.table))];
const PARENTS = [...new Set(REFERENCES.map((r) => r.parent))];

/** The check of a child table's new rows (every reference of the table, one pass per column over the distinct ids). */
function childCheck(table: string): string {
  const checks = REFERENCES.filter((r) => r.table === table)
    .map(
      (r) => `
  SELECT array_agg(v) INTO ids FROM (SELECT DISTINCT ${r.column} AS v FROM new_rows WHERE ${r.column} IS NOT NULL) d;
  IF ids IS NOT NULL THEN
    SELECT count(*) INTO found FROM (SELECT 1 FROM ${S}.${r.parent} p WHERE p.id = ANY (ids) FOR KEY SHARE OF p) x;
    IF found <> cardinality(ids) THEN
      RAISE EXCEPTION 'insert or update on table "${table}" violates foreign key constraint "${r.constraint}"'
        USING ERRCODE = 'foreign_key_violation', CONSTRAINT = '${r.constraint}', TABLE = '${table}', SCHEMA = '${S}',
              DETAIL = 'a referenced ${r.parent} is not present';
    END IF;
  END IF;`,
    )
    .join('');
  return `CREATE FUNCTION ${S}.${table}_references_check() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE ids uuid[]; found bigint;
BEGIN${checks}
  RETURN NULL;
END $fn$`;
}

/** The check of a parent's removed ids (deleted rows, or ids changed by an update) against every child referencing it. */
function parentCheck(parent: string): string {
  const checks = REFERENCES.filter((r) => r.parent === parent)
    .map(
      (r) => `
  IF EXISTS (SELECT 1 FROM ${S}.${r.table} c WHERE c.${r.column} = ANY (ids)) THEN
    RAISE EXCEPTION 'update or delete on table "${parent}" violates foreign key constraint "${r.constraint}" on table "${r.table}"'
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = '${r.constraint}', TABLE = '${parent}', SCHEMA = '${S}',
            DETAIL = 'the ${parent} is still referenced from table "${r.table}"';
  END IF;`,
    )
    .join('');
  return `CREATE FUNCTION ${S}.${parent}_referenced_check() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE ids uuid[];
BEGIN
  IF TG_OP = 'DELETE' THEN
    SELECT array_agg(id) INTO ids FROM old_rows;
  ELSE
    SELECT array_agg(id) INTO ids FROM (SELECT id FROM old_rows EXCEPT SELECT id FROM new_rows) removed;
  END IF;
  IF ids IS NULL THEN RETURN NULL; END IF;${checks}
  RETURN NULL;
END $fn$`;
}

function truncateCheck(parent: string): string {
  const children = REFERENCES.filter((r) => r.parent === parent);
  return `CREATE FUNCTION ${S}.${parent}_truncate_check() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF ${children.map((r) => `EXISTS (SELECT 1 FROM ${S}.${r.table} WHERE ${r.column} IS NOT NULL)`).join(' OR ')} THEN
    RAISE EXCEPTION 'cannot truncate table "${parent}": it is referenced (${children.map((r) => r.constraint).join(', ')})'
      USING ERRCODE = 'feature_not_supported';
  END IF;
  RETURN NULL;
END $fn$`;
}

/**
 * Payroll at a million lines (issue 13):
 * - the references of payroll lines and payments (to their payroll, batch and re-issued payment) are
 *   checked per statement (see Reference) instead of by foreign keys that look up every row;
 * - payments not yet in a batch (re-issues, payments of lines whose account arrived) are found by a
 *   partial index, so that exporting a payroll does not walk all its payments to find the few
 *   without a batch (normally none: the index stays empty).
 */
export class PayrollThroughput1765000000000 implements MigrationInterface {
  name = 'PayrollThroughput1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      ...REFERENCES.map((r) => `ALTER TABLE ${S}.${r.table} DROP CONSTRAINT ${r.constraint}`),
      ...CHILDREN.flatMap((t) => [
        childCheck(t),
        `CREATE TRIGGER ${t}_references_insert AFTER INSERT ON ${S}.${t} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${S}.${t}_references_check()`,
        `CREATE TRIGGER ${t}_references_update AFTER UPDATE ON ${S}.${t} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${S}.${t}_references_check()`,
      ]),
      ...PARENTS.flatMap((p) => [
        parentCheck(p),
        `CREATE TRIGGER ${p}_referenced_delete AFTER DELETE ON ${S}.${p} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${S}.${p}_referenced_check()`,
        `CREATE TRIGGER ${p}_referenced_update AFTER UPDATE ON ${S}.${p} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${S}.${p}_referenced_check()`,
        truncateCheck(p),
        `CREATE TRIGGER ${p}_truncate BEFORE TRUNCATE ON ${S}.${p} FOR EACH STATEMENT EXECUTE FUNCTION ${S}.${p}_truncate_check()`,
      ]),
      // The reissue_of reference had no index: a parent check looks its ids up (as the foreign key's did by scanning).
      `CREATE INDEX payment_reissue_of_idx ON ${S}.payment (reissue_of) WHERE reissue_of IS NOT NULL`,
      `CREATE INDEX payment_unbatched_idx ON ${S}.payment (payroll_id) WHERE batch_id IS NULL`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `DROP INDEX ${S}.payment_unbatched_idx`,
      `DROP INDEX ${S}.payment_reissue_of_idx`,
      ...PARENTS.flatMap((p) => [
        `DROP TRIGGER ${p}_truncate ON ${S}.${p}`,
        `DROP TRIGGER ${p}_referenced_update ON ${S}.${p}`,
        `DROP TRIGGER ${p}_referenced_delete ON ${S}.${p}`,
        `DROP FUNCTION ${S}.${p}_truncate_check()`,
        `DROP FUNCTION ${S}.${p}_referenced_check()`,
      ]),
      ...CHILDREN.flatMap((t) => [
        `DROP TRIGGER ${t}_references_update ON ${S}.${t}`,
        `DROP TRIGGER ${t}_references_insert ON ${S}.${t}`,
        `DROP FUNCTION ${S}.${t}_references_check()`,
      ]),
      ...REFERENCES.map(
        (r) => `ALTER TABLE ${S}.${r.table} ADD CONSTRAINT ${r.constraint} FOREIGN KEY (${r.column}) REFERENCES ${S}.${r.parent} (id)`,
      ),
    ]);
  }
}
