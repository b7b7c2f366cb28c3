import { PersonRegisteredV1, type EventEnvelope } from '@eisss/contracts';
import { TestEnvironment, envelopeOf, expectEventually, postgresInfra, produceRaw } from '@eisss/testing';
import { Controller, Module, type INestApplication } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { NestFactory } from '@nestjs/core';
import { Type } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { loadConfig } from '../src/config/config';
import { startMessaging } from '../src/bootstrap/bootstrap';
import { TransactionHost } from '../src/db/transaction-host';
import { InboxContext, inboxGroup } from '../src/messaging/inbox.transport';
import { prefixed } from '../src/messaging/kafka';
import { MessagingLifecycle } from '../src/messaging/messaging.lifecycle';
import { PlatformMetrics } from '../src/metrics/metrics';
import { PlatformModule } from '../src/platform.module';

/**
 * A consumer whose database goes away: after CONSUMER_MAX_RETRIES transient failures its partitions
 * pause on the failed message (offset not committed), readiness says messaging is down and the stall
 * metrics count it; when the database accepts connections again the group resumes by itself and
 * applies every event exactly once, each key's events in the order they were published.
 *
 * The database is taken down as an operator would for maintenance: `ALTER DATABASE ... ALLOW_CONNECTIONS
 * false` and the termination of its sessions, from an admin connection (new connections then fail with
 * "database ... is not currently accepting connections", a transient error).
 */
const schema = 'social_processing';
const groupId = `social-processing.stall-test-${randomUUID().slice(0, 8)}`;

/** A consumer on the platform's InboxTransport, as the services declare theirs. */
@Controller()
class StallTestConsumer {
  constructor(private readonly db: TransactionHost) {}

  @EventPattern(PersonRegisteredV1.topic, inboxGroup(groupId))
  async apply(@Payload() event: EventEnvelope<{ personId: string }>, @Ctx() ctx: InboxContext): Promise<void> {
    expect(ctx.groupId).toBe(groupId);
    // No unique key: an event applied twice would show as two rows.
    await this.db.query(`INSERT INTO ${schema}.stall_applied (event_id, aggregate_id) VALUES ($1, $2)`, [event.eventId, event.aggregateId]);
  }
}

describe('a consumer whose database is down', () => {
  let env: TestEnvironment;
  let app: INestApplication;
  let admin: Client;
  let sql: Client;
  let databaseClosed = false;

  const setConnections = async (allowed: boolean) => {
    await admin.query(`ALTER DATABASE ${env.database} ALLOW_CONNECTIONS ${allowed}`);
    databaseClosed = !allowed;
    if (!allowed)
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [
        env.database,
      ]);
  };

  beforeAll(async () => {
    env = await TestEnvironment.create();
    admin = new Client({ connectionString: postgresInfra.adminUrl() });
    await admin.connect();
    const owner = await env.sql('social-processing');
    await owner.query(
      `CREATE TABLE ${schema}.stall_applied (seq bigserial PRIMARY KEY, event_id uuid NOT NULL, aggregate_id text NOT NULL)`,
    );
    await owner.end();

    const config = loadConfig(
      'social-processing',
      Type.Object({}),
      { PORT: 0, DATABASE_URL: env.databaseUrl('social-processing') },
      env.env('social-processing', {
        CONSUMER_MAX_RETRIES: '2',
        CONSUMER_RETRY_BASE_MS: '20',
        DATABASE_POOL_MAX: '4',
        LOG_LEVEL: process.env.TEST_SERVICE_LOG_LEVEL ?? 'silent',
      }),
    );
    @Module({
      imports: [PlatformModule.forRoot({ service: 'social-processing', schema, entities: [], messaging: { relay: false } }, config)],
      controllers: [StallTestConsumer],
    })
    class StallTestModule {}
    app = await NestFactory.create(StallTestModule, { logger: false, abortOnError: false });
    await startMessaging(app);
  });

  afterAll(async () => {
    if (databaseClosed) await setConnections(true).catch(() => undefined);
    await sql?.end().catch(() => undefined);
    await app?.close();
    await admin?.end();
    await env?.destroy();
  });

  const ready = () => request(app.getHttpServer()).get('/health/ready');
  const applied = async () =>
    (await sql.query<{ event_id: string; aggregate_id: string }>(`SELECT event_id, aggregate_id FROM ${schema}.stall_applied ORDER BY seq`))
      .rows;
  const metric = async (m: PlatformMetrics['consumerStalls'] | PlatformMetrics['consumerStalledPartitions']) =>
    (await m.get()).values.find((v) => v.labels.group === groupId)?.value ?? 0;
  const publish = async (events: EventEnvelope[]) =>
    produceRaw(
      env.topicPrefix + PersonRegisteredV1.topic,
      events.map((e) => ({ key: e.aggregateId, value: JSON.stringify(e) })),
    );
  const event = (key: string) => envelopeOf(PersonRegisteredV1, { ...PersonRegisteredV1.fixture, personId: key }, key);

  it('pauses, reports not ready, and resumes with nothing lost or doubled when the database returns', async () => {
    const messaging = app.get(MessagingLifecycle);
    const metrics = app.get(PlatformMetrics);
    sql = await env.sql('social-processing');
    const keys = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];

    // The group consumes: one event per key is applied and readiness is up.
    const warmUp = keys.map(event);
    await publish(warmUp);
    await expectEventually(
      async () => expect((await applied()).map((r) => r.event_id).sort()).toEqual(warmUp.map((e) => e.eventId).sort()),
      { timeoutMs: 30000 },
    );
    await expectEventually(async () => expect((await ready()).status).toBe(200));
    await sql.end();

    // The database closes; events keep arriving, four per key, in order.
    await setConnections(false);
    const during = keys.flatMap((k) => [event(k), event(k), event(k), event(k)]);
    await publish(during);

    const stalled = await expectEventually(
      async () => {
        const res = await ready();
        expect(res.status).toBe(503);
        expect(res.body.checks.messaging).toEqual({ status: 'down' });
        const s = messaging.stalledPartitions();
        expect(s.length).toBeGreaterThan(0);
        expect(await metric(metrics.consumerStalledPartitions)).toBe(s.length);
        return s;
      },
      { timeoutMs: 30000 },
    );
    expect(await metric(metrics.consumerStalls)).toBeGreaterThanOrEqual(stalled.length);
    // Readiness answers only up or down: no error text, no group or database names.
    expect(JSON.stringify((await ready()).body)).not.toMatch(/accepting|stall-test|eisss_t_/);
    expect(
      stalled.every(
        (s) =>
          s.groupId === groupId && s.topic === PersonRegisteredV1.topic && /not currently accepting connections|terminat/i.test(s.reason),
      ),
    ).toBe(true);

    // The failed messages' offsets are not committed: the group's committed offset is the stalled message itself.
    const kafkaAdmin = env.kafka('stall-admin').admin();
    await kafkaAdmin.connect();
    try {
      const [committed] = await kafkaAdmin.fetchOffsets({
        groupId: prefixed(env.topicPrefix, groupId),
        topics: [env.topicPrefix + PersonRegisteredV1.topic],
      });
      for (const s of stalled) expect(committed!.partitions.find((p) => p.partition === s.partition)!.offset).toBe(s.offset);
    } finally {
      await kafkaAdmin.disconnect();
    }

    // The database returns: the group resumes by itself.
    await setConnections(true);
    sql = await env.sql('social-processing');
    await expectEventually(
      async () => {
        const rows = await applied();
        expect(rows).toHaveLength(warmUp.length + during.length);
      },
      { timeoutMs: 60000, intervalMs: 300 },
    );
    const rows = await applied();
    // Exactly once each ...
    expect(rows.map((r) => r.event_id).sort()).toEqual([...warmUp, ...during].map((e) => e.eventId).sort());
    // ... and in order per key.
    for (const k of keys) {
      expect(rows.filter((r) => r.aggregate_id === k).map((r) => r.event_id)).toEqual(
        [...warmUp, ...during].filter((e) => e.aggregateId === k).map((e) => e.eventId),
      );
    }
    const inbox = await sql.query(`SELECT count(*)::int AS n FROM ${schema}.inbox WHERE consumer_group = $1`, [groupId]);
    expect(inbox.rows[0].n).toBe(warmUp.length + during.length);

    await expectEventually(async () => {
      const res = await ready();
      expect(res.status).toBe(200);
      expect(res.body.checks.messaging).toEqual({ status: 'up' });
    });
    expect(messaging.stalledPartitions()).toEqual([]);
    expect(await metric(metrics.consumerStalledPartitions)).toBe(0);
  });
});
