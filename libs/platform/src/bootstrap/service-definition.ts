import type { ServiceName } from '@eisss/contracts';
import type { TObject } from '@sinclair/typebox';
import { loadConfig, type BaseConfig } from '../config/config';
import { runMigrationCli, type MigrationClass } from '../db/migrations';
import { bootstrapService } from './bootstrap';

/** Everything the platform needs to run, migrate and test one service. */
export interface ServiceDefinition<C extends BaseConfig = BaseConfig> {
  service: ServiceName;
  schema: string;
  port: number;
  title: string;
  description: string;
  configSchema: TObject;
  migrations: MigrationClass[];
  appModule: (config: C) => unknown;
}

export function defaultDatabaseUrl(schema: string): string {
  return `postgres://${schema}@127.0.0.1:5432/eisss`;
}

export function serviceConfig<C extends BaseConfig>(def: ServiceDefinition<C>, env: NodeJS.ProcessEnv = process.env): C {
  return loadConfig(def.service, def.configSchema, { PORT: def.port, DATABASE_URL: defaultDatabaseUrl(def.schema) }, env) as C;
}

function fail(service: string, err: unknown): never {
  process.stderr.write(`${service}: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
}

/** `main.ts` of a service. */
export function runServiceMain<C extends BaseConfig>(def: ServiceDefinition<C>): void {
  let config: C;
  try {
    config = serviceConfig(def);
  } catch (err) {
    fail(def.service, err);
  }
  bootstrapService(def.appModule(config), config, def).catch((err) => fail(def.service, err));
}

/** `migrate.ts` of a service: `up`, `down [N]`, `status`. */
export function runMigrateMain<C extends BaseConfig>(def: ServiceDefinition<C>): void {
  let config: C;
  try {
    config = serviceConfig(def);
  } catch (err) {
    fail(def.service, err);
  }
  runMigrationCli(def.service, config.DATABASE_URL, def.schema, def.migrations).catch((err) => fail(def.service, err));
}
