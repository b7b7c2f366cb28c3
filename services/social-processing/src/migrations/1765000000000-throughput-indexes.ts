import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13 (throughput): "is a person already in an undecided application of the programme?" is asked at
 * every submission. It read every undecided application's household; with a partial GIN index on the
 * members of undecided applications it is an index lookup per person (the index holds only the open ones;
 * without the pending list, so a lookup under a steady stream of submissions does not scan unmerged entries).
 */
export class ThroughputIndexes1765000000000 implements MigrationInterface {
  name = 'ThroughputIndexes1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX application_open_members_idx ON social_processing.application USING gin ((household->'members') jsonb_path_ops)
         WITH (fastupdate = off) WHERE status <> 'decided'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX social_processing.application_open_members_idx`);
  }
}
