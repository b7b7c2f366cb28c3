import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14 (bulk migration): an assignment taken over from a system in use (AssignmentMigratedV1) keeps
 * where it came from (`origin`: source system, legacy case number, import job) and the register's household.
 * One legacy case is one assignment: a redelivery or a second import of the same case finds it by the
 * unique index and creates nothing.
 */
export class MigratedAssignments1765200000100 implements MigrationInterface {
  name = 'MigratedAssignments1765200000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE social_processing.assignment ADD COLUMN origin jsonb, ADD COLUMN household_id uuid`);
    await q.query(
      `CREATE UNIQUE INDEX assignment_legacy_case_key ON social_processing.assignment ((origin->>'sourceSystem'), (origin->>'legacyCaseNumber'))
         WHERE origin IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX social_processing.assignment_legacy_case_key`);
    await q.query(`ALTER TABLE social_processing.assignment DROP COLUMN origin, DROP COLUMN household_id`);
  }
}
