import { runStatements } from '@eisss/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = 'payments_treasury';

/**
 * One index entry fewer per payment (issue 13: approving a payroll writes a million payments). The
 * payments of a payroll are found through its batches (`payment_batch_idx`, batch then id) and,
 * for the few not yet in a batch, the partial `payment_unbatched_idx`: the index of `payroll_id`
 * alone, whose every entry of a payroll is the same key (a posting list rewritten at each insert),
 * goes. A payroll's deletion (never done by the service: its reference check refuses it while
 * lines exist) scans the payments for references instead of using it.
 */
export class PaymentsOfPayrollByBatch1765000000003 implements MigrationInterface {
  name = 'PaymentsOfPayrollByBatch1765000000003';

  async up(q: QueryRunner): Promise<void> {
    await runStatements(q, [`DROP INDEX ${S}.payment_payroll_idx`]);
  }

  async down(q: QueryRunner): Promise<void> {
    await runStatements(q, [`CREATE INDEX payment_payroll_idx ON ${S}.payment (payroll_id)`]);
  }
}
