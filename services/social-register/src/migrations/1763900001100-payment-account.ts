import { runStatements } from '@eisss/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The payment account as a register attribute: beside the bank account (iban) a postcode for delivery
 * through the post (the account is the bank one when an IBAN is held, else the post one); both change
 * only by an approved change request. Merges record who asked for them and the two-person request.
 */
export class PaymentAccount1763900001100 implements MigrationInterface {
  name = 'PaymentAccount1763900001100';

  async up(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `ALTER TABLE social_register.person ADD COLUMN payment_postcode text CHECK (payment_postcode ~ '^[0-9]{5}$')`,
      `ALTER TABLE social_register.merge_journal ADD COLUMN requested_by text, ADD COLUMN approval_id uuid`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `ALTER TABLE social_register.merge_journal DROP COLUMN approval_id, DROP COLUMN requested_by`,
      `ALTER TABLE social_register.person DROP COLUMN payment_postcode`,
    ]);
  }
}
