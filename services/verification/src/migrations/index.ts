import { auditTrailMigration, platformTablesMigration, type MigrationClass } from '@eisss/platform';
import { VerificationTables1763900000200 } from './1763900000200-verification-tables';
import { VerificationRuleTableIdp1764000000000 } from './1764000000000-verification-rule-table-idp';
import { RecipientIndex1765000000000 } from './1765000000000-recipient-index';

/** Append-only, in order. */
export const migrations: MigrationClass[] = [
  platformTablesMigration('verification', 'PlatformTables1763900000000'),
  VerificationTables1763900000200,
  VerificationRuleTableIdp1764000000000,
  auditTrailMigration('verification', 'AuditTrail1764100000000'),
  RecipientIndex1765000000000,
];
