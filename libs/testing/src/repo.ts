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
export const infraServices: { name: string; schema: string; port: number }[] = require(
  join(REPO_ROOT, 'scripts/infra/services.js'),
).SERVICES;
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

/** Read when a test module loads (after the global setup, which may have started containers). */
export const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? `127.0.0.1:${process.env.KAFKA_PORT ?? 9092}`;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkaCredentials: {
  clientEnv(name: string): Record<'KAFKA_SASL_USERNAME' | 'KAFKA_SASL_PASSWORD' | 'KAFKA_SSL_CA_FILE', string>;
} = require(join(REPO_ROOT, 'scripts/infra/kafka-credentials.js'));

/**
 * The project's broker authenticates every client (SASL_SSL, SCRAM-SHA-512; scripts/infra/kafka.sh).
 * Only the testcontainers path (a laptop with Docker) runs a broker without authentication.
 */
export function kafkaSecured(): boolean {
  return process.env.EISSS_KAFKA_PLAINTEXT !== '1';
}

/** The environment that makes a client `principal` (a service, an adapter or `admin`) on the test broker. */
export function kafkaClientEnv(principal: string): Record<string, string> {
  return kafkaSecured() ? kafkaCredentials.clientEnv(principal) : {};
}

/** createKafka options for `principal` (tests and probes connect as `admin`, the super user). */
export function kafkaClientOptions(principal = 'admin', brokers = process.env.KAFKA_BROKERS ?? KAFKA_BROKERS) {
  const list = brokers.split(',');
  if (!kafkaSecured()) return { brokers: list };
  const e = kafkaCredentials.clientEnv(principal);
  return {
    brokers: list,
    sasl: { mechanism: 'scram-sha-512' as const, username: e.KAFKA_SASL_USERNAME, password: e.KAFKA_SASL_PASSWORD },
    ssl: { ca: e.KAFKA_SSL_CA_FILE },
  };
}
