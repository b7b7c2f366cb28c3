import { runStatements } from '@eisss/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a DCI client's records may hold per purpose (issue 11): `dci_client.purpose_attributes`, a
 * JSON object `{ "<purpose code>": ["<record attribute>", …] }` (attributes of dci-records.ts
 * RECORD_ATTRIBUTES). NULL: no limit (every attribute, as before). A search names its purpose in
 * search_criteria.consent.purpose.code (or authorize.purpose.code).
 */
export class DciPurposeAttributes1764800000000 implements MigrationInterface {
  name = 'DciPurposeAttributes1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await runStatements(q, [
      `ALTER TABLE social_register.dci_client ADD COLUMN purpose_attributes jsonb CHECK (purpose_attributes IS NULL OR jsonb_typeof(purpose_attributes) = 'object')`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await runStatements(q, [`ALTER TABLE social_register.dci_client DROP COLUMN purpose_attributes`]);
  }
}
