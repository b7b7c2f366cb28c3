import 'reflect-metadata';
import { AuditLog, Clock, OutboxWriter, serviceConfig, standaloneDataSource, TransactionHost } from '@eisss/platform';
import { DataSource } from 'typeorm';
import type { SocialRegisterConfig } from './config/config';
import { MigrationRepository } from './migration/migration.repository';
import { MigrationService } from './migration/migration.service';
import { AccountSealing } from './person/account-sealing';
import { PersonPii } from './person/pii.service';
import { definition } from './service.definition';

/**
 * The register's migration without HTTP or Kafka (the operators' CLI and the bench): the same classes
 * the service runs, wired by hand on one DataSource. Events go to the outbox; the running service's
 * relay publishes them.
 */
export interface Register {
  config: SocialRegisterConfig;
  dataSource: DataSource;
  migration: MigrationService;
  close(): Promise<void>;
}

export async function openRegister(env: NodeJS.ProcessEnv = process.env): Promise<Register> {
  const config = serviceConfig(definition, env) as unknown as SocialRegisterConfig;
  const dataSource = await standaloneDataSource({
    url: config.DATABASE_URL,
    schema: definition.schema,
    applicationName: 'social-register-cli',
  });
  const transactions = TransactionHost.register(new TransactionHost(dataSource));
  const pii = new PersonPii(config, transactions);
  await pii.onModuleInit();
  const migration = new MigrationService(
    new MigrationRepository(transactions),
    transactions,
    new OutboxWriter(definition.schema, definition.service),
    new AuditLog(definition.schema, definition.service),
    pii,
    new AccountSealing(config),
    new Clock(),
    config,
  );
  return {
    config,
    dataSource,
    migration,
    close: async () => {
      pii.onModuleDestroy();
      transactions.onModuleDestroy();
      await dataSource.destroy();
    },
  };
}
