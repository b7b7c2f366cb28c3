import { auditTrailMigration, dualControlMigration, platformTablesMigration, type MigrationClass } from '@eisss/platform';
import { Treasury1763900000200 } from './1763900000200-treasury';
import { BatchSentAt1763900000201 } from './1763900000201-batch-sent-at';
import { PayeeAndAwaitingAccount1763900000202 } from './1763900000202-payee-and-awaiting-account';
import { TreasuryPiiEncrypted1764700000000 } from './1764700000000-pii-encrypted';
import { PayrollThroughput1765000000000 } from './1765000000000-payroll-throughput';
import { LedgerEntries1765000000001 } from './1765000000001-ledger-entries';
import { PaymentIndexes1765000000002 } from './1765000000002-payment-indexes';
import { PaymentsOfPayrollByBatch1765000000003 } from './1765000000003-payments-of-payroll-by-batch';

/** Append-only, in order. */
export const migrations: MigrationClass[] = [
  platformTablesMigration('payments_treasury', 'PlatformTables1763900000000'),
  Treasury1763900000200,
  BatchSentAt1763900000201,
  PayeeAndAwaitingAccount1763900000202,
  dualControlMigration('payments_treasury', 'DualControl1763900000203'),
  auditTrailMigration('payments_treasury', 'AuditTrail1764100000000'),
  TreasuryPiiEncrypted1764700000000,
  PayrollThroughput1765000000000,
  LedgerEntries1765000000001,
  PaymentIndexes1765000000002,
  PaymentsOfPayrollByBatch1765000000003,
];
