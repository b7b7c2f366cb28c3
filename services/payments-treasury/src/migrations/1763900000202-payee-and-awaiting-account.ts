import { runStatements } from '@eisss/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Money integrity:
 * - the assignment copy keeps the account holder (`payee`) the register approved, and may have no
 *   account at all (`payment: null`): such an assignment is accrued but not paid until one arrives;
 * - payments carry the holder (pain.001 Cdtr/Nm and Cdtr/Id) with the account they were made to;
 * - `awaiting_account`: payroll lines accrued without an account; a payment is made for them as soon
 *   as the assignment has one (assignment event), at the latest by the next export of the payroll;
 * - a statement entry returning an already settled payment waits for a second person
 *   (`return-pending-approval`).
 */
export class PayeeAndAwaitingAccount1763900000202 implements MigrationInterface {
  name = 'PayeeAndAwaitingAccount1763900000202';

  async up(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `ALTER TABLE payments_treasury.assignment ALTER COLUMN payment_method DROP NOT NULL`,
      `ALTER TABLE payments_treasury.assignment
         ADD COLUMN payee_full_name text CHECK (char_length(payee_full_name) BETWEEN 1 AND 140),
         ADD COLUMN payee_rnokpp char(10),
         ADD COLUMN payee_document_number text CHECK (char_length(payee_document_number) BETWEEN 1 AND 35)`,
      // The ledger of a person is visible in a territory through their assignments.
      `CREATE INDEX assignment_recipient_idx ON payments_treasury.assignment (recipient_person_id, programme_code)`,
      `ALTER TABLE payments_treasury.payment
         ADD COLUMN payee_full_name text,
         ADD COLUMN payee_rnokpp char(10),
         ADD COLUMN payee_document_number text`,
      `CREATE TABLE payments_treasury.awaiting_account (
         payroll_id uuid NOT NULL REFERENCES payments_treasury.payroll (id),
         assignment_id uuid NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (payroll_id, assignment_id)
       )`,
      `CREATE INDEX awaiting_account_assignment_idx ON payments_treasury.awaiting_account (assignment_id)`,
      `ALTER TABLE payments_treasury.statement_entry DROP CONSTRAINT statement_entry_outcome_check`,
      `ALTER TABLE payments_treasury.statement_entry ADD CONSTRAINT statement_entry_outcome_check
         CHECK (outcome IN ('settled', 'returned', 'unmatched', 'duplicate', 'return-pending-approval'))`,
      `ALTER TABLE payments_treasury.statement ADD COLUMN pending_approval_count integer NOT NULL DEFAULT 0`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `ALTER TABLE payments_treasury.statement DROP COLUMN pending_approval_count`,
      `UPDATE payments_treasury.statement_entry SET outcome = 'duplicate' WHERE outcome = 'return-pending-approval'`,
      `ALTER TABLE payments_treasury.statement_entry DROP CONSTRAINT statement_entry_outcome_check`,
      `ALTER TABLE payments_treasury.statement_entry ADD CONSTRAINT statement_entry_outcome_check CHECK (outcome IN ('settled', 'returned', 'unmatched', 'duplicate'))`,
      `DROP TABLE payments_treasury.awaiting_account`,
      `ALTER TABLE payments_treasury.payment DROP COLUMN payee_full_name, DROP COLUMN payee_rnokpp, DROP COLUMN payee_document_number`,
      `DROP INDEX payments_treasury.assignment_recipient_idx`,
      `ALTER TABLE payments_treasury.assignment DROP COLUMN payee_full_name, DROP COLUMN payee_rnokpp, DROP COLUMN payee_document_number`,
      `DELETE FROM payments_treasury.assignment WHERE payment_method IS NULL`,
      `ALTER TABLE payments_treasury.assignment ALTER COLUMN payment_method SET NOT NULL`,
    ]);
  }
}
