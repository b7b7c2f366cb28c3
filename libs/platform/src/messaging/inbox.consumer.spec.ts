import { PersonRegisteredV1, type EventEnvelope } from '@eisss/contracts';
import type { EachMessagePayload, Kafka, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { expectEventually } from '../../../testing/src/expect-eventually';
import { PlatformMetrics } from '../metrics/metrics';
import { InboxConsumer, RETRY_CAP_MS, retryBackoffMs } from './inbox.consumer';

/** A kafkajs consumer that records what the InboxConsumer asks of it (the run loop is the test's). */
function fakeKafka(topic: string) {
  const paused = new Set<string>();
  const listeners = new Map<string, () => void>();
  const consumer = {
    events: { GROUP_JOIN: 'consumer.group_join' },
    eachMessage: undefined as undefined | ((p: EachMessagePayload) => Promise<void>),
    commits: [] as { topic: string; partition: number; offset: string }[],
    seeks: [] as { topic: string; partition: number; offset: string }[],
    pausedSet: paused,
    assigned: new Set<string>([`${topic}|0`, `${topic}|1`]),
    connect: async () => undefined,
    subscribe: async () => undefined,
    disconnect: async () => undefined,
    run: async (o: { eachMessage: (p: EachMessagePayload) => Promise<void> }) => {
      consumer.eachMessage = o.eachMessage;
    },
    commitOffsets: async (o: { topic: string; partition: number; offset: string }[]) => void consumer.commits.push(...o),
    seek: (s: { topic: string; partition: number; offset: string }) => void consumer.seeks.push(s),
    pause: (tps: { topic: string; partitions: number[] }[]) =>
      tps.forEach(({ topic, partitions }) => partitions.forEach((p) => paused.add(`${topic}|${p}`))),
    resume: (tps: { topic: string; partitions: number[] }[]) =>
      tps.forEach(({ topic, partitions }) => partitions.forEach((p) => paused.delete(`${topic}|${p}`))),
    paused: () => {
      const keys = [...paused].filter((k) => consumer.assigned.has(k));
      const topics = new Set(keys.map((k) => k.split('|')[0]!));
      return [...topics].map((topic) => ({
        topic,
        partitions: keys.filter((k) => k.startsWith(`${topic}|`)).map((k) => Number(k.split('|')[1])),
      }));
    },
    on: (event: string, listener: () => void) => void listeners.set(event, listener),
    emit: (event: string) => listeners.get(event)?.(),
  };
  return { kafka: { consumer: () => consumer } as unknown as Kafka, consumer };
}

/** A database that can be "down": every query and transaction fails like a closed Postgres database. */
function fakeDatabase() {
  const db = {
    down: false,
    /** Transactions that fail before the database is "back" (besides while `down`). */
    failingTransactions: 0,
    inbox: new Set<string>(),
    transactions: 0,
    probes: 0,
    fail: () => Object.assign(new Error('database "eisss" is not currently accepting connections'), { code: '55000' }),
    dataSource: undefined as unknown as DataSource,
  };
  db.dataSource = {
    query: async () => {
      db.probes++;
      if (db.down) throw db.fail();
      return [{ '?column?': 1 }];
    },
    transaction: async (fn: (tx: unknown) => Promise<void>) => {
      db.transactions++;
      if (db.down) throw db.fail();
      if (db.failingTransactions > 0) {
        db.failingTransactions--;
        throw db.fail();
      }
      const pending: string[] = [];
      await fn({
        query: async (_sql: string, params: unknown[]) => {
          const key = `${params[0]}|${params[1]}`;
          if (db.inbox.has(key) || pending.includes(key)) return [];
          pending.push(key);
          return [{ event_id: params[1] }];
        },
      });
      pending.forEach((k) => db.inbox.add(k));
    },
  } as unknown as DataSource;
  return db;
}

const topic = 't.' + PersonRegisteredV1.topic;
const envelope = (eventId: string): EventEnvelope => ({
  eventId,
  eventType: PersonRegisteredV1.eventType,
  eventVersion: 1,
  occurredAt: new Date().toISOString(),
  producer: 'social-register',
  aggregateType: 'person',
  aggregateId: PersonRegisteredV1.fixture.personId,
  correlationId: 'c-1',
  causationId: null,
  payload: PersonRegisteredV1.fixture,
});

async function setUp(maxRetries: number) {
  const { kafka, consumer } = fakeKafka(topic);
  const db = fakeDatabase();
  const metrics = new PlatformMetrics('social-processing');
  const handled: string[] = [];
  const deadLettered: unknown[] = [];
  // Readable names in the test, uuids on the wire (the envelope requires them).
  const ids = new Map<string, string>();
  const names = new Map<string, string>();
  const idOf = (name: string) => {
    if (!ids.has(name)) ids.set(name, randomUUID());
    names.set(ids.get(name)!, name);
    return ids.get(name)!;
  };
  const inbox = new InboxConsumer({
    kafka,
    dataSource: db.dataSource,
    schema: 'social_processing',
    groupId: 'social-processing.test',
    topicPrefix: 't.',
    handlers: [{ contract: PersonRegisteredV1, handle: async (e) => void handled.push(names.get(e.eventId)!) }],
    dlqProducer: { send: async (m: unknown) => void deadLettered.push(m) } as unknown as Producer,
    retryBaseMs: 1,
    maxRetries,
    logger: pino({ level: 'silent' }),
    metrics,
  });
  await inbox.start();
  const deliver = (partition: number, offset: string, eventId: string) =>
    consumer.eachMessage!({
      topic,
      partition,
      message: {
        offset,
        key: Buffer.from('k'),
        value: Buffer.from(JSON.stringify(envelope(idOf(eventId)))),
        headers: {},
        timestamp: '0',
        attributes: 0,
      },
      heartbeat: async () => undefined,
      pause: () => () => undefined,
    });
  const stallsCounted = async () =>
    (await metrics.consumerStalls.get()).values.find((v) => v.labels.group === 'social-processing.test')?.value ?? 0;
  const stalledNow = async () =>
    (await metrics.consumerStalledPartitions.get()).values.find((v) => v.labels.group === 'social-processing.test')?.value ?? 0;
  return { inbox, consumer, db, handled, deadLettered, idOf, deliver, stallsCounted, stalledNow };
}

describe(retryBackoffMs.name, () => {
  it('doubles from the base and is capped at 30 s', () => {
    expect([0, 1, 2, 3].map((a) => retryBackoffMs(200, a))).toEqual([200, 400, 800, 1600]);
    expect(retryBackoffMs(200, 8)).toBe(RETRY_CAP_MS);
    expect(retryBackoffMs(60000, 0)).toBe(30000);
    expect(retryBackoffMs(1, 10000)).toBe(30000);
  });
});

describe(`${InboxConsumer.name} on transient failures`, () => {
  it('retries CONSUMER_MAX_RETRIES times, then pauses the partition on the failed message without committing it', async () => {
    const t = await setUp(2);
    t.db.down = true;
    await t.deliver(1, '41', 'e-41');
    expect(t.deadLettered).toEqual([]);
    expect(t.db.transactions).toBe(3);
    expect(t.consumer.commits).toEqual([]);
    expect(t.consumer.seeks).toEqual([{ topic, partition: 1, offset: '41' }]);
    expect(t.consumer.pausedSet.has(`${topic}|1`)).toBe(true);
    expect(t.inbox.stalledPartitions).toEqual([
      expect.objectContaining({
        groupId: 'social-processing.test',
        topic: PersonRegisteredV1.topic,
        partition: 1,
        offset: '41',
        eventId: t.idOf('e-41'),
        reason: expect.stringContaining('not currently accepting connections'),
      }),
    ]);
    expect(await t.stallsCounted()).toBe(1);
    expect(await t.stalledNow()).toBe(1);
    await t.inbox.stop();
  });

  it('keeps the partition paused while the database is down, resumes it when it answers, and applies the redelivered message once', async () => {
    const t = await setUp(1);
    t.db.down = true;
    await t.deliver(0, '7', 'e-7');
    await expectEventually(() => expect(t.db.probes).toBeGreaterThanOrEqual(2));
    expect(t.consumer.pausedSet.has(`${topic}|0`)).toBe(true);
    expect(t.inbox.stalledPartitions).toHaveLength(1);
    t.db.down = false;
    await expectEventually(() => expect(t.consumer.pausedSet.has(`${topic}|0`)).toBe(false));
    expect(t.inbox.stalledPartitions).toEqual([]);
    expect(await t.stalledNow()).toBe(0);
    expect(await t.stallsCounted()).toBe(1);
    // kafkajs fetches from the sought offset: the failed message first, then the next one.
    await t.deliver(0, '7', 'e-7');
    await t.deliver(0, '8', 'e-8');
    await t.deliver(0, '7', 'e-7');
    expect(t.handled).toEqual(['e-7', 'e-8']);
    expect(t.consumer.commits.map((c) => c.offset)).toEqual(['8', '9', '8']);
    await t.inbox.stop();
  });

  it('commits without stalling when a retry succeeds', async () => {
    const t = await setUp(3);
    t.db.failingTransactions = 3;
    await t.deliver(0, '3', 'e-3');
    expect(t.db.transactions).toBe(4);
    expect(t.handled).toEqual(['e-3']);
    expect(t.consumer.commits).toEqual([{ topic, partition: 0, offset: '4' }]);
    expect(t.consumer.seeks).toEqual([]);
    expect(t.inbox.stalledPartitions).toEqual([]);
    expect(await t.stallsCounted()).toBe(0);
    await t.inbox.stop();
  });

  it('stalls on the first transient failure when CONSUMER_MAX_RETRIES is 0', async () => {
    const t = await setUp(0);
    t.db.down = true;
    await t.deliver(0, '5', 'e-5');
    expect(t.db.transactions).toBe(1);
    expect(t.inbox.stalledPartitions.map((s) => s.offset)).toEqual(['5']);
    await t.inbox.stop();
  });

  it('stops reporting a stalled partition that a rebalance took away, and clears its pause', async () => {
    const t = await setUp(0);
    t.db.down = true;
    await t.deliver(0, '5', 'e-5');
    await t.deliver(1, '9', 'e-9');
    expect(t.inbox.stalledPartitions).toHaveLength(2);
    t.consumer.assigned.delete(`${topic}|1`);
    t.consumer.emit('consumer.group_join');
    expect(t.inbox.stalledPartitions.map((s) => s.partition)).toEqual([0]);
    expect(t.consumer.pausedSet.has(`${topic}|1`)).toBe(false);
    expect(await t.stalledNow()).toBe(1);
    await t.inbox.stop();
    expect(await t.stalledNow()).toBe(0);
  });
});
