import { auditTrailMigration, platformTablesMigration, type MigrationClass } from '@eisss/platform';
import { Cases1763900000200 } from './1763900000200-cases';

/** Append-only, in order. */
export const migrations: MigrationClass[] = [
  platformTablesMigration('case_management', 'PlatformTables1763900000000'),
  Cases1763900000200,
  auditTrailMigration('case_management', 'AuditTrail1764100000000'),
];
