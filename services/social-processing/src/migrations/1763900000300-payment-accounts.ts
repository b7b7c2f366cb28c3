import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The register's approved payment account per person (the only account an assignment carries);
 * assignments carry it with its holder (payee) and may have none yet; an application's account is
 * only a proposal. Maker-checker on for every programme unless settings say otherwise; assignment
 * versions record the second person of a two-person act; settings record who asked.
 */
export class PaymentAccounts1763900000300 implements MigrationInterface {
  name = 'PaymentAccounts1763900000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE social_processing.person_payment_account (
       person_id uuid PRIMARY KEY,
       account jsonb,
       holder jsonb NOT NULL,
       version integer NOT NULL,
       change_request_id uuid,
       requested_by text NOT NULL,
       approved_by text NOT NULL,
       changed_at timestamptz NOT NULL,
       last_event_id uuid NOT NULL,
       updated_at timestamptz NOT NULL DEFAULT now()
     )`);
    await q.query(`ALTER TABLE social_processing.application ALTER COLUMN payment DROP NOT NULL`);
    await q.query(`ALTER TABLE social_processing.assignment ALTER COLUMN payment DROP NOT NULL`);
    await q.query(`ALTER TABLE social_processing.assignment ADD COLUMN payee jsonb`);
    await q.query(`ALTER TABLE social_processing.assignment_version ADD COLUMN approved_by text`);
    await q.query(`ALTER TABLE social_processing.programme_setting ADD COLUMN requested_by text`);
    await q.query(
      `UPDATE social_processing.programme_setting SET requires_approval = true, updated_by = 'migration', updated_at = now() WHERE programme_code = 'idp-living-allowance'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE social_processing.programme_setting SET requires_approval = false, updated_by = 'migration', updated_at = now() WHERE programme_code = 'idp-living-allowance'`,
    );
    await q.query(`ALTER TABLE social_processing.programme_setting DROP COLUMN requested_by`);
    await q.query(`ALTER TABLE social_processing.assignment_version DROP COLUMN approved_by`);
    await q.query(`ALTER TABLE social_processing.assignment DROP COLUMN payee`);
    // Rows without an account cannot go back under NOT NULL (inventing one would be wrong): the down refuses instead.
    await q.query(`DO $$ BEGIN
       IF EXISTS (SELECT 1 FROM social_processing.assignment WHERE payment IS NULL) OR EXISTS (SELECT 1 FROM social_processing.application WHERE payment IS NULL) THEN
         RAISE EXCEPTION 'assignments or applications without a payment account exist: cannot restore NOT NULL';
       END IF;
     END $$`);
    await q.query(`ALTER TABLE social_processing.assignment ALTER COLUMN payment SET NOT NULL`);
    await q.query(`ALTER TABLE social_processing.application ALTER COLUMN payment SET NOT NULL`);
    await q.query(`DROP TABLE social_processing.person_payment_account`);
  }
}
