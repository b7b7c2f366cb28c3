import 'reflect-metadata';
import { AuditLog, Clock, DualControl, OutboxWriter, serviceConfig, standaloneDataSource, TransactionHost } from '@eisss/platform';
import { DataSource } from 'typeorm';
import { PaymentRepository } from './bank/payment.repository';
import { PaymentService } from './bank/payment.service';
import { treasuryConfig, type PaymentsTreasuryConfig, type PaymentsTreasuryRawConfig } from './config/config';
import { LedgerRepository } from './ledger/ledger.repository';
import { LedgerService } from './ledger/ledger.service';
import { PayrollRepository } from './payroll/payroll.repository';
import { PayrollService } from './payroll/payroll.service';
import { TreasuryPii } from './pii/treasury-pii';
import { definition } from './service.definition';

/**
 * The treasury's application services without HTTP or Kafka (for the operators' CLI and the bench):
 * the same classes the service runs, wired by hand on one DataSource. Events still go to the outbox;
 * the running service's relay publishes them.
 */
export interface Treasury {
  config: PaymentsTreasuryConfig;
  dataSource: DataSource;
  payrolls: PayrollService;
  payments: PaymentService;
  ledger: LedgerService;
  /** The two-person rule, with the treasury's acts registered (requests opened here are approved over HTTP). */
  dual: DualControl;
  /** The treasury's personal-data keys (bank accounts at rest). */
  pii: TreasuryPii;
  close(): Promise<void>;
}

export async function openTreasury(env: NodeJS.ProcessEnv = process.env): Promise<Treasury> {
  const config = treasuryConfig(serviceConfig(definition, env) as unknown as PaymentsTreasuryRawConfig);
  const dataSource = await standaloneDataSource({
    url: config.DATABASE_URL,
    schema: definition.schema,
    applicationName: 'payments-treasury-cli',
  });
  const transactions = TransactionHost.register(new TransactionHost(dataSource));
  const outbox = new OutboxWriter(definition.schema, definition.service);
  const audit = new AuditLog(definition.schema, definition.service);
  const ledgerRepo = new LedgerRepository(transactions);
  const dual = new DualControl(transactions, audit, {
    service: definition.service,
    schema: definition.schema,
    entities: [],
    dualControl: true,
  });
  // The personal-data keys are loaded on first use (a bank file) and reloaded on meeting a newer key.
  const pii = new TreasuryPii(config, transactions);
  const payments = new PaymentService(new PaymentRepository(transactions), ledgerRepo, outbox, audit, dual, config, pii, new Clock());
  payments.onModuleInit();
  const payrolls = new PayrollService(new PayrollRepository(transactions), payments, outbox, audit, config);
  const ledger = new LedgerService(ledgerRepo, audit);
  return { config, dataSource, payrolls, payments, ledger, dual, pii, close: () => (transactions.onModuleDestroy(), dataSource.destroy()) };
}
