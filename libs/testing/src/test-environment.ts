import type { ServiceName } from '@eisss/contracts';
import { catalogueTopics, createKafka, ensureTopics } from '@eisss/platform';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { KAFKA_BROKERS, TEST_JWT_SECRET, infraServices, postgresInfra, templateDb, testRunId } from './repo';

/**
 * One isolated world per test file: a fresh database cloned from the migrated template, and a
 * topic prefix of its own on the shared broker (all catalogue topics created under it).
 */
export class TestEnvironment {
  private constructor(readonly database: string, readonly topicPrefix: string) {}

  static async create(options: { topics?: boolean } = {}): Promise<TestEnvironment> {
    const id = randomBytes(4).toString('hex');
    const database = `eisss_t_${testRunId()}_${id}`;
    for (let attempt = 0; ; attempt++) {
      try {
        await postgresInfra.ensureDatabase(database, { template: templateDb() });
        break;
      } catch (err) {
        // Two files cloning the template at once: "source database is being accessed by other users".
        if (attempt >= 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
        await postgresInfra.dropDatabase(database).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 250 + Math.random() * 500));
      }
    }
    const env = new TestEnvironment(database, `t${testRunId()}x${id}.`);
    if (options.topics !== false) await ensureTopics(env.kafka(), catalogueTopics({ partitions: 3 }), env.topicPrefix);
    return env;
  }

  kafka(clientId = 'test') {
    return createKafka({ clientId, brokers: KAFKA_BROKERS.split(',') });
  }

  databaseUrl(service: ServiceName): string {
    const s = infraServices.find((x) => x.name === service)!;
    return postgresInfra.serviceDatabaseUrl(s.schema, this.database);
  }

  /** Environment variables that point a service at this world. */
  env(service: ServiceName, extra: Record<string, string> = {}): Record<string, string> {
    return {
      NODE_ENV: 'test',
      DATABASE_URL: this.databaseUrl(service),
      KAFKA_BROKERS,
      KAFKA_TOPIC_PREFIX: this.topicPrefix,
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: process.env.TEST_SERVICE_LOG_LEVEL ?? 'warn',
      OUTBOX_POLL_INTERVAL_MS: '500',
      CONSUMER_RETRY_BASE_MS: '50',
      SHUTDOWN_TIMEOUT_MS: '5000',
      ...extra,
    };
  }

  /** A SQL client as the service's own role (for assertions inside a service's integration tests). */
  async sql(service: ServiceName): Promise<Client> {
    const c = new Client({ connectionString: this.databaseUrl(service) });
    await c.connect();
    return c;
  }

  async destroy(): Promise<void> {
    await postgresInfra.dropDatabase(this.database);
  }
}
