import { runStatements } from '@eisss/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Assignments (projection of processing's events), payrolls, payments, ledger, bank files and statements. */
export class Treasury1763900000200 implements MigrationInterface {
  name = 'Treasury1763900000200';

  async up(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      // The current version of each assignment, as processing last told us.
      `CREATE TABLE payments_treasury.assignment (
         assignment_id uuid PRIMARY KEY,
         version integer NOT NULL,
         programme_code text NOT NULL,
         recipient_person_id uuid NOT NULL,
         katottg char(19) NOT NULL,
         period_from char(7) NOT NULL,
         period_to char(7) NOT NULL,
         status text NOT NULL CHECK (status IN ('active', 'suspended', 'terminated')),
         stop_from char(7),
         payment_method text NOT NULL CHECK (payment_method IN ('bank', 'post')),
         iban char(29),
         postcode char(5),
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX assignment_programme_idx ON payments_treasury.assignment (programme_code, status)`,
      // Months of every version we received (history is kept; accrual reads the current version).
      `CREATE TABLE payments_treasury.assignment_month (
         assignment_id uuid NOT NULL,
         version integer NOT NULL,
         month char(7) NOT NULL,
         amount_kopiyky bigint NOT NULL CHECK (amount_kopiyky >= 0),
         explanation text NOT NULL,
         PRIMARY KEY (assignment_id, version, month)
       )`,
      `CREATE INDEX assignment_month_month_idx ON payments_treasury.assignment_month (month)`,
      // Arrears (positive differences) and overpayments (negative) for months already accrued.
      `CREATE TABLE payments_treasury.adjustment (
         id uuid PRIMARY KEY,
         assignment_id uuid NOT NULL,
         recipient_person_id uuid NOT NULL,
         programme_code text NOT NULL,
         month char(7) NOT NULL,
         kind text NOT NULL CHECK (kind IN ('arrears', 'overpayment')),
         amount_kopiyky bigint NOT NULL CHECK (amount_kopiyky > 0),
         settled_kopiyky bigint NOT NULL DEFAULT 0 CHECK (settled_kopiyky >= 0),
         voluntary boolean NOT NULL DEFAULT false,
         explanation text NOT NULL,
         source_event_id uuid NOT NULL,
         created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
         CHECK (settled_kopiyky <= amount_kopiyky),
         UNIQUE (source_event_id, month)
       )`,
      `CREATE INDEX adjustment_open_idx ON payments_treasury.adjustment (assignment_id) WHERE settled_kopiyky < amount_kopiyky`,
      `CREATE TABLE payments_treasury.payroll (
         id uuid PRIMARY KEY,
         programme_code text NOT NULL,
         month char(7) NOT NULL,
         status text NOT NULL CHECK (status IN ('submitted', 'approved', 'held', 'exported')),
         submission_id uuid NOT NULL,
         reservation_id uuid,
         line_count integer NOT NULL DEFAULT 0,
         accrued_kopiyky bigint NOT NULL DEFAULT 0,
         arrears_kopiyky bigint NOT NULL DEFAULT 0,
         deductions_kopiyky bigint NOT NULL DEFAULT 0,
         total_kopiyky bigint NOT NULL DEFAULT 0,
         hold_reason_code text,
         hold_reason text,
         client_request_id text UNIQUE,
         created_by text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         UNIQUE (programme_code, month)
       )`,
      `CREATE TABLE payments_treasury.payroll_line (
         payroll_id uuid NOT NULL REFERENCES payments_treasury.payroll (id),
         assignment_id uuid NOT NULL,
         assignment_version integer NOT NULL,
         recipient_person_id uuid NOT NULL,
         katottg char(19) NOT NULL,
         month char(7) NOT NULL,
         accrued_kopiyky bigint NOT NULL,
         arrears_kopiyky bigint NOT NULL DEFAULT 0,
         deduction_kopiyky bigint NOT NULL DEFAULT 0,
         net_kopiyky bigint NOT NULL,
         explanation text NOT NULL,
         PRIMARY KEY (payroll_id, assignment_id),
         CHECK (net_kopiyky = accrued_kopiyky + arrears_kopiyky - deduction_kopiyky AND net_kopiyky >= 0)
       )`,
      `CREATE INDEX payroll_line_assignment_idx ON payments_treasury.payroll_line (assignment_id, month)`,
      `CREATE TABLE payments_treasury.payment_batch (
         id uuid PRIMARY KEY,
         payroll_id uuid NOT NULL REFERENCES payments_treasury.payroll (id),
         channel text NOT NULL CHECK (channel IN ('bank', 'post')),
         mfo char(6),
         message_id text NOT NULL UNIQUE,
         payment_count integer NOT NULL,
         total_kopiyky bigint NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE TABLE payments_treasury.payment (
         id uuid PRIMARY KEY,
         payroll_id uuid NOT NULL REFERENCES payments_treasury.payroll (id),
         assignment_id uuid NOT NULL,
         recipient_person_id uuid NOT NULL,
         programme_code text NOT NULL,
         month char(7) NOT NULL,
         katottg char(19) NOT NULL,
         amount_kopiyky bigint NOT NULL CHECK (amount_kopiyky > 0),
         method text NOT NULL CHECK (method IN ('bank', 'post')),
         iban char(29),
         mfo char(6),
         postcode char(5),
         status text NOT NULL CHECK (status IN ('pending', 'sent', 'settled', 'returned', 'reissued')),
         batch_id uuid REFERENCES payments_treasury.payment_batch (id),
         end_to_end_id char(32) NOT NULL UNIQUE,
         reissue_of uuid REFERENCES payments_treasury.payment (id),
         return_reason_code text,
         settled_on date,
         returned_on date,
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX payment_payroll_idx ON payments_treasury.payment (payroll_id, status, method, mfo)`,
      `CREATE INDEX payment_assignment_idx ON payments_treasury.payment (assignment_id, status)`,
      `CREATE INDEX payment_batch_idx ON payments_treasury.payment (batch_id, id)`,
      // Double-entry ledger: every entry has legs summing to zero (debit +, credit −).
      `CREATE TABLE payments_treasury.ledger_leg (
         entry_id uuid NOT NULL,
         leg smallint NOT NULL,
         recipient_person_id uuid NOT NULL,
         programme_code text NOT NULL,
         assignment_id uuid NOT NULL,
         account text NOT NULL CHECK (account IN ('accrued', 'payable', 'paid', 'returned', 'overpaid', 'recovered')),
         amount_kopiyky bigint NOT NULL,
         kind text NOT NULL,
         month char(7) NOT NULL,
         ref_id uuid NOT NULL,
         posted_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (entry_id, leg)
       )`,
      `CREATE INDEX ledger_leg_recipient_idx ON payments_treasury.ledger_leg (recipient_person_id, programme_code, account)`,
      `CREATE TABLE payments_treasury.statement (
         id uuid PRIMARY KEY,
         message_id text NOT NULL,
         statement_id text NOT NULL,
         kind text NOT NULL CHECK (kind IN ('camt.053', 'camt.054')),
         entry_count integer NOT NULL,
         settled_count integer NOT NULL,
         returned_count integer NOT NULL,
         unmatched_count integer NOT NULL,
         imported_by text NOT NULL,
         imported_at timestamptz NOT NULL DEFAULT now(),
         UNIQUE (message_id, statement_id)
       )`,
      `CREATE TABLE payments_treasury.statement_entry (
         statement_id uuid NOT NULL REFERENCES payments_treasury.statement (id),
         seq integer NOT NULL,
         end_to_end_id text,
         amount_kopiyky bigint NOT NULL,
         direction text NOT NULL CHECK (direction IN ('DBIT', 'CRDT')),
         booking_date date,
         return_reason_code text,
         outcome text NOT NULL CHECK (outcome IN ('settled', 'returned', 'unmatched', 'duplicate')),
         payment_id uuid,
         note text,
         PRIMARY KEY (statement_id, seq)
       )`,
      `CREATE INDEX statement_entry_unmatched_idx ON payments_treasury.statement_entry (outcome) WHERE outcome = 'unmatched'`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `DROP TABLE payments_treasury.statement_entry`,
      `DROP TABLE payments_treasury.statement`,
      `DROP TABLE payments_treasury.ledger_leg`,
      `DROP TABLE payments_treasury.payment`,
      `DROP TABLE payments_treasury.payment_batch`,
      `DROP TABLE payments_treasury.payroll_line`,
      `DROP TABLE payments_treasury.payroll`,
      `DROP TABLE payments_treasury.adjustment`,
      `DROP TABLE payments_treasury.assignment_month`,
      `DROP TABLE payments_treasury.assignment`,
    ]);
  }
}
