import { runStatements } from '@eisss/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = 'payments_treasury';

/**
 * Fewer and narrower index entries per payment (issue 13: a payroll writes a million payments).
 * - The EndToEndId of a payment has always been its id without hyphens: a CHECK now says so, and the
 *   unique index of end_to_end_id goes (uniqueness follows from the primary key: the mapping is
 *   one-to-one); a statement's EndToEndId is looked up by the id it names. A payment whose
 *   EndToEndId is not its id stops the migration (it would be a payment to look at by hand).
 * - Payments of a payroll are found by `(payroll_id)`: the status, method and МФО columns of the old
 *   index served no query (the listed status is computed with the batch; payments without a batch
 *   have their own partial index).
 */
export class PaymentIndexes1765000000002 implements MigrationInterface {
  name = 'PaymentIndexes1765000000002';

  async up(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `DO $$ BEGIN
         IF EXISTS (SELECT 1 FROM ${S}.payment WHERE end_to_end_id <> replace(id::text, '-', '')) THEN
           RAISE EXCEPTION 'payments whose end_to_end_id is not their id without hyphens: resolve them before this migration';
         END IF;
       END $$`,
      `ALTER TABLE ${S}.payment ADD CONSTRAINT payment_end_to_end_id_is_id CHECK (end_to_end_id = replace(id::text, '-', ''))`,
      `ALTER TABLE ${S}.payment DROP CONSTRAINT payment_end_to_end_id_key`,
      `DROP INDEX ${S}.payment_payroll_idx`,
      `CREATE INDEX payment_payroll_idx ON ${S}.payment (payroll_id)`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `DROP INDEX ${S}.payment_payroll_idx`,
      `CREATE INDEX payment_payroll_idx ON ${S}.payment (payroll_id, status, method, mfo)`,
      `ALTER TABLE ${S}.payment ADD CONSTRAINT payment_end_to_end_id_key UNIQUE (end_to_end_id)`,
      `ALTER TABLE ${S}.payment DROP CONSTRAINT payment_end_to_end_id_is_id`,
    ]);
  }
}
