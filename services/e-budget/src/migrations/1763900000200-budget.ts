import { runStatements } from '@eisss/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Budget holders, programmes (КПКВК), appropriations, commitments, funds reservations and execution. */
export class Budget1763900000200 implements MigrationInterface {
  name = 'Budget1763900000200';

  async up(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `CREATE TABLE e_budget.budget_holder (
         code text PRIMARY KEY,
         name text NOT NULL,
         katottg char(19),
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE TABLE e_budget.programme (
         code text PRIMARY KEY,
         kpkvk char(7) NOT NULL UNIQUE,
         name text NOT NULL,
         holder_code text NOT NULL REFERENCES e_budget.budget_holder (code),
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
      // Region: 'UA' (national, not allocated) or an oblast-level КАТОТТГ prefix 'UA' + 2 digits.
      `CREATE TABLE e_budget.appropriation (
         programme_code text NOT NULL REFERENCES e_budget.programme (code),
         region varchar(4) NOT NULL CHECK (region ~ '^UA([0-9]{2})?$'),
         month char(7) NOT NULL,
         amount_kopiyky bigint NOT NULL CHECK (amount_kopiyky >= 0),
         source text NOT NULL,
         updated_by text NOT NULL,
         updated_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (programme_code, region, month)
       )`,
      `CREATE TABLE e_budget.commitment (
         assignment_id uuid PRIMARY KEY,
         version integer NOT NULL,
         programme_code text NOT NULL,
         katottg char(19) NOT NULL,
         status text NOT NULL,
         period_to char(7) NOT NULL,
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE TABLE e_budget.commitment_line (
         assignment_id uuid NOT NULL REFERENCES e_budget.commitment (assignment_id),
         month char(7) NOT NULL,
         programme_code text NOT NULL,
         region char(4) NOT NULL,
         amount_kopiyky bigint NOT NULL,
         PRIMARY KEY (assignment_id, month)
       )`,
      `CREATE INDEX commitment_line_programme_idx ON e_budget.commitment_line (programme_code, month)`,
      `CREATE TABLE e_budget.funds_check (
         submission_id uuid PRIMARY KEY,
         payroll_id uuid NOT NULL,
         programme_code text NOT NULL,
         month char(7) NOT NULL,
         requested_kopiyky bigint NOT NULL,
         available_kopiyky bigint NOT NULL,
         outcome text NOT NULL CHECK (outcome IN ('reserved', 'rejected')),
         reservation_id uuid UNIQUE,
         reason_code text,
         reason text,
         checked_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX funds_check_reserved_idx ON e_budget.funds_check (programme_code, month) WHERE outcome = 'reserved'`,
      `CREATE TABLE e_budget.reservation_region (
         reservation_id uuid NOT NULL,
         region char(4) NOT NULL,
         amount_kopiyky bigint NOT NULL,
         PRIMARY KEY (reservation_id, region)
       )`,
      `CREATE TABLE e_budget.paid (
         payment_id uuid PRIMARY KEY,
         assignment_id uuid NOT NULL,
         programme_code text NOT NULL,
         month char(7) NOT NULL,
         region char(4),
         amount_kopiyky bigint NOT NULL,
         settled_on date NOT NULL,
         returned_on date
       )`,
      `CREATE INDEX paid_programme_idx ON e_budget.paid (programme_code, month)`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `DROP TABLE e_budget.paid`,
      `DROP TABLE e_budget.reservation_region`,
      `DROP TABLE e_budget.funds_check`,
      `DROP TABLE e_budget.commitment_line`,
      `DROP TABLE e_budget.commitment`,
      `DROP TABLE e_budget.appropriation`,
      `DROP TABLE e_budget.programme`,
      `DROP TABLE e_budget.budget_holder`,
    ]);
  }
}
