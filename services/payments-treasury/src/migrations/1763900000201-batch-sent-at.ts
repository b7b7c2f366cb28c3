import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payments are grouped into batches when the payroll is approved; sending a batch stamps `sent_at`
 * (a pending payment in a sent batch is sent) instead of updating a million payment rows.
 */
export class BatchSentAt1763900000201 implements MigrationInterface {
  name = 'BatchSentAt1763900000201';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE payments_treasury.payment_batch ADD COLUMN sent_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE payments_treasury.payment_batch DROP COLUMN sent_at`);
  }
}
