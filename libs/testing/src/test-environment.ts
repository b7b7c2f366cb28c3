import type { ServiceName } from '@eisss/contracts';
import { catalogueAcls, catalogueTopics, createKafka, ensureAcls, ensureTopics, removeAcls } from '@eisss/platform';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type Kafka } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import {
  KAFKA_BROKERS,
  infraServices,
  kafkaClientEnv,
  kafkaClientOptions,
  kafkaSecured,
  postgresInfra,
  templateDb,
  testRunId,
} from './repo';
import { testAuthEnv } from './test-keys';

/**
 * One isolated world per test file: a fresh database cloned from the migrated template, and a
 * topic prefix of its own on the shared broker (all catalogue topics created under it, with the
 * catalogue's ACLs for that prefix: each service connects as its own principal).
 */
export class TestEnvironment {
  private constructor(
    readonly database: string,
    readonly topicPrefix: string,
  ) {}

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
    if (options.topics !== false) {
      // ACLs first: created before the topics they name, the broker applies them at once (after a burst of
      // topic creation it may take seconds).
      if (kafkaSecured()) await ensureAcls(env.kafka(), catalogueAcls({ prefix: env.topicPrefix }));
      await ensureTopics(env.kafka(), catalogueTopics({ partitions: 3 }), env.topicPrefix);
    }
    return env;
  }

  /** A client of the test broker as `principal` (default `admin`, the super user: probes and set-up). */
  kafka(clientId = 'test', principal = 'admin') {
    return createKafka({ clientId, ...kafkaClientOptions(principal, KAFKA_BROKERS) });
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
      ...kafkaClientEnv(service),
      ...testAuthEnv(),
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
    if (kafkaSecured()) await removeAcls(this.kafka('test-teardown'), catalogueAcls({ prefix: this.topicPrefix }));
  }
}

/** Deletes the broker's ACLs whose resource name `matches` (the topic and group ACLs of finished test runs). */
export async function removeTestAcls(kafka: Kafka, matches: (resourceName: string) => boolean): Promise<void> {
  if (!kafkaSecured()) return;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { resources } = await admin.describeAcls({
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.ANY,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    const filters = resources
      .filter((r) => matches(r.resourceName))
      .flatMap((r) =>
        r.acls.map((a) => ({
          resourceType: r.resourceType,
          resourceName: r.resourceName,
          resourcePatternType: r.resourcePatternType,
          principal: a.principal,
          host: a.host,
          operation: a.operation,
          permissionType: a.permissionType,
        })),
      );
    for (let i = 0; i < filters.length; i += 500) await admin.deleteAcls({ filters: filters.slice(i, i + 500) });
  } finally {
    await admin.disconnect();
  }
}
