import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root (where package.json and nx.json are). */
export const REPO_ROOT = ((): string => {
  let dir = resolve(__dirname);
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = resolve(dir, '..');
    if (parent === dir) throw new Error('repository root not found');
    dir = parent;
  }
  return dir;
})();

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const infraServices: { name: string; schema: string; port: number }[] = require(join(REPO_ROOT, 'scripts/infra/services.js')).SERVICES;
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const postgresInfra: {
  ensureDatabase(name: string, o?: { template?: string }): Promise<void>;
  dropDatabase(name: string): Promise<void>;
  serviceDatabaseUrl(schema: string, db: string): string;
  adminUrl(): string;
} = require(join(REPO_ROOT, 'scripts/infra/postgres.js'));

/** Set by the integration global setup: one id per Jest run, so concurrent runs never touch each other's databases or topics. */
export function testRunId(): string {
  return process.env.EISSS_TEST_RUN ?? String(process.pid);
}
export function templateDb(): string {
  return `eisss_tpl_${testRunId()}`;
}
/** The shared folder (standards, domain documents) that sits beside the repository clone. */
export const SHARED_DIR = [join(REPO_ROOT, '..', 'shared'), '/work/shared'].find((d) => existsSync(d)) ?? join(REPO_ROOT, '..', 'shared');

export const TEST_JWT_SECRET = 'test-only-jwt-secret-0123456789';
/** Read when a test module loads (after the global setup, which may have started containers). */
export const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? `127.0.0.1:${process.env.KAFKA_PORT ?? 9092}`;
