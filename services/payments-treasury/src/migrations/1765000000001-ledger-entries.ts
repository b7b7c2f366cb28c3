import { runStatements } from '@eisss/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = 'payments_treasury';
const ACCOUNTS = `('accrued', 'payable', 'paid', 'returned', 'overpaid', 'recovered')`;
/** The posting rules (ledger.rules.ts) as they stand at this migration: kind, debit, credit. */
const RULES = `(('accrual', 'accrued', 'payable'), ('arrears', 'accrued', 'payable'), ('overpayment', 'overpaid', 'accrued'),
  ('deduction', 'payable', 'overpaid'), ('voluntary_return', 'recovered', 'overpaid'), ('payment', 'payable', 'paid'),
  ('return', 'paid', 'returned'), ('reissue', 'returned', 'paid'))`;
const LEG_COLUMNS = `entry_id, recipient_person_id, programme_code, assignment_id, kind, amount_kopiyky, month, ref_id, posted_at`;

/**
 * The ledger stores one row per entry (issue 13): its debit and its credit account and the amount,
 * instead of two leg rows. An entry is double by construction (one debit, one credit of the same
 * positive amount, two different accounts, the pair the posting rule of its kind names), and a
 * payroll posts a million rows instead of two million. `ledger_leg` stays, as a view of the two legs
 * of every entry (debit +, credit −), for whoever reads legs.
 * Existing legs are converted pairwise; an entry whose legs do not pair (not two legs of opposite
 * amounts) stops the migration, as it would be a ledger error to look at by hand.
 */
export class LedgerEntries1765000000001 implements MigrationInterface {
  name = 'LedgerEntries1765000000001';

  async up(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `CREATE TABLE ${S}.ledger_entry (
         entry_id uuid PRIMARY KEY,
         recipient_person_id uuid NOT NULL,
         programme_code text NOT NULL,
         assignment_id uuid NOT NULL,
         kind text NOT NULL,
         debit_account text NOT NULL CHECK (debit_account IN ${ACCOUNTS}),
         credit_account text NOT NULL CHECK (credit_account IN ${ACCOUNTS}),
         amount_kopiyky bigint NOT NULL CHECK (amount_kopiyky > 0),
         month char(7) NOT NULL,
         ref_id uuid NOT NULL,
         posted_at timestamptz NOT NULL DEFAULT now(),
         CONSTRAINT ledger_entry_rule CHECK ((kind, debit_account, credit_account) IN ${RULES})
       )`,
      `INSERT INTO ${S}.ledger_entry (${LEG_COLUMNS}, debit_account, credit_account)
       SELECT d.entry_id, d.recipient_person_id, d.programme_code, d.assignment_id, d.kind, d.amount_kopiyky, d.month, d.ref_id, d.posted_at, d.account, c.account
       FROM ${S}.ledger_leg d JOIN ${S}.ledger_leg c ON c.entry_id = d.entry_id AND c.leg = 2 AND c.amount_kopiyky = -d.amount_kopiyky
       WHERE d.leg = 1`,
      `DO $$ BEGIN
         IF (SELECT count(*) FROM ${S}.ledger_leg) <> 2 * (SELECT count(*) FROM ${S}.ledger_entry) THEN
           RAISE EXCEPTION 'ledger_leg holds entries whose legs do not pair: fix them before this migration';
         END IF;
       END $$`,
      `DROP TABLE ${S}.ledger_leg`,
      `CREATE INDEX ledger_entry_recipient_idx ON ${S}.ledger_entry (recipient_person_id, programme_code)`,
      `CREATE VIEW ${S}.ledger_leg AS
         SELECT entry_id, 1::smallint AS leg, recipient_person_id, programme_code, assignment_id, debit_account AS account, amount_kopiyky, kind, month, ref_id, posted_at
         FROM ${S}.ledger_entry
         UNION ALL
         SELECT entry_id, 2::smallint, recipient_person_id, programme_code, assignment_id, credit_account, -amount_kopiyky, kind, month, ref_id, posted_at
         FROM ${S}.ledger_entry`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `ALTER VIEW ${S}.ledger_leg RENAME TO ledger_leg_of_entries`,
      `CREATE TABLE ${S}.ledger_leg (
         entry_id uuid NOT NULL,
         leg smallint NOT NULL,
         recipient_person_id uuid NOT NULL,
         programme_code text NOT NULL,
         assignment_id uuid NOT NULL,
         account text NOT NULL CHECK (account IN ${ACCOUNTS}),
         amount_kopiyky bigint NOT NULL,
         kind text NOT NULL,
         month char(7) NOT NULL,
         ref_id uuid NOT NULL,
         posted_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (entry_id, leg)
       )`,
      `INSERT INTO ${S}.ledger_leg (entry_id, leg, recipient_person_id, programme_code, assignment_id, account, amount_kopiyky, kind, month, ref_id, posted_at)
       SELECT entry_id, leg, recipient_person_id, programme_code, assignment_id, account, amount_kopiyky, kind, month, ref_id, posted_at
       FROM ${S}.ledger_leg_of_entries ORDER BY entry_id, leg`,
      `CREATE INDEX ledger_leg_recipient_idx ON ${S}.ledger_leg (recipient_person_id, programme_code, account)`,
      `DROP VIEW ${S}.ledger_leg_of_entries`,
      `DROP TABLE ${S}.ledger_entry`,
    ]);
  }
}
