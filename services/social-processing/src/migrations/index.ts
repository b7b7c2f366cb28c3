import { auditTrailMigration, dualControlMigration, platformTablesMigration, type MigrationClass } from '@eisss/platform';
import { PersonProjection1763900000100 } from './1763900000100-person-projection';
import { Applications1763900000200 } from './1763900000200-applications';
import { PaymentAccounts1763900000300 } from './1763900000300-payment-accounts';
import { Findings1763900000500 } from './1763900000500-findings';
import { Appeals1763900000600 } from './1763900000600-appeals';
import { Territories1763900000700 } from './1763900000700-territories';
import { EmploymentFacts1763900000800 } from './1763900000800-employment-facts';
import { Parameters1763900000900 } from './1763900000900-parameters';
import { PaymentsSealed1764700000000 } from './1764700000000-payments-sealed';
import { ThroughputIndexes1765000000000 } from './1765000000000-throughput-indexes';
import { MigratedAssignments1765200000100 } from './1765200000100-migrated-assignments';

/** Append-only, in order. */
export const migrations: MigrationClass[] = [
  platformTablesMigration('social_processing', 'PlatformTables1763900000000'),
  PersonProjection1763900000100,
  Applications1763900000200,
  PaymentAccounts1763900000300,
  dualControlMigration('social_processing', 'DualControl1763900000400'),
  Findings1763900000500,
  Appeals1763900000600,
  Territories1763900000700,
  EmploymentFacts1763900000800,
  Parameters1763900000900,
  auditTrailMigration('social_processing', 'AuditTrail1764100000000'),
  PaymentsSealed1764700000000,
  ThroughputIndexes1765000000000,
  MigratedAssignments1765200000100,
];
