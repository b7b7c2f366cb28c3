import { auditTrailMigration, platformTablesMigration, type MigrationClass } from '@eisss/platform';
import { Budget1763900000200 } from './1763900000200-budget';

/** Append-only, in order. */
export const migrations: MigrationClass[] = [
  platformTablesMigration('e_budget', 'PlatformTables1763900000000'),
  Budget1763900000200,
  auditTrailMigration('e_budget', 'AuditTrail1764100000000'),
];
