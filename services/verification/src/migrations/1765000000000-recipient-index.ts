import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13 (throughput): every preventive check reads the assignments of the persons as recipient or
 * member; the members have a GIN index, the recipient had none, so the OR scanned the whole table.
 */
export class RecipientIndex1765000000000 implements MigrationInterface {
  name = 'RecipientIndex1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX recipient_assignment_recipient_idx ON verification.recipient_assignment (recipient_person_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX verification.recipient_assignment_recipient_idx`);
  }
}
