import { piiDataKeyDeactivatedAtDown, piiDataKeyDeactivatedAtUp, runStatements } from '@eisss/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When each personal-data key stopped being the active one (`pii_data_key.deactivated_at`): the
 * rotation command retires a key only once every replica has reloaded its keys since (2 ×
 * PII_KEY_REFRESH_MS), so that none still encrypts with it.
 */
export class PiiDataKeyDeactivatedAt1764500000000 implements MigrationInterface {
  name = 'PiiDataKeyDeactivatedAt1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await runStatements(q, piiDataKeyDeactivatedAtUp('social_register'));
  }

  async down(q: QueryRunner): Promise<void> {
    await runStatements(q, piiDataKeyDeactivatedAtDown('social_register'));
  }
}
