import { PersonRegisteredV1, type EventEnvelope } from '@eisss/contracts';
import type { EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { expectEventually } from '../../../testing/src/expect-eventually';
import { DomainError } from '../errors/domain-error';
import { PlatformMetrics } from '../metrics/metrics';
import { InboxConsumer, RETRY_CAP_MS, retryBackoffMs } from './inbox.consumer';

/** A kafkajs consumer that records what the InboxConsumer asks of it (the run loop is the test's). */
function fakeKafka(topic: string) {
  const paused = new Set<string>();
  const listeners = new Map<string, () => void>();
  const consumer = {
    events: { GROUP_JOIN: 'consumer.group_join' },
    eachBatch: undefined as undefined | ((p: EachBatchPayload) => Promise<void>),
    resolved: [] as string[],
    commits: [] as { topic: string; partition: number; offset: string }[],
    seeks: [] as { topic: string; partition: number; offset: string }[],
    pausedSet: paused,
    assigned: new Set<string>([`${topic}|0`, `${topic}|1`]),
    connect: async () => undefined,
    subscribe: async () => undefined,
    disconnect: async () => undefined,
    run: async (o: { eachBatch: (p: EachBatchPayload) => Promise<void> }) => {
      consumer.eachBatch = o.eachBatch;
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
    /** The first words of each statement, per transaction. */
    statements: [] as string[][],
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
    transaction: async (fn: (tx: unknown) => Promise<unknown>) => {
      db.transactions++;
      if (db.down) throw db.fail();
      if (db.failingTransactions > 0) {
        db.failingTransactions--;
        throw db.fail();
      }
      const pending: string[] = [];
      db.statements.push([]);
      const result = await fn({
        query: async (sql: string, params: unknown[]) => {
          db.statements[db.statements.length - 1]!.push(sql.trim().split(/\s+/).slice(0, 3).join(' '));
          if (!sql.includes('.inbox')) return [];
          // The inbox insert: the event ids are the array in $4 (one for the per-message path, several for a chunk).
          const ids = params[3] as string[];
          const fresh: { event_id: string }[] = [];
          for (const id of ids) {
            const key = `${params[0]}|${id}`;
            if (db.inbox.has(key) || pending.includes(key)) continue;
            pending.push(key);
            fresh.push({ event_id: id });
          }
          return fresh;
        },
      });
      pending.forEach((k) => db.inbox.add(k));
      return result;
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

async function setUp(maxRetries: number, options: { batchSize?: number; rejects?: string[]; slowMs?: number } = {}) {
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
    handlers: [
      {
        contract: PersonRegisteredV1,
        handle: async (e) => {
          const name = names.get(e.eventId)!;
          if (options.rejects?.includes(name)) throw DomainError.unprocessable('PERSON_UNKNOWN', `cannot apply ${name}`);
          if (options.slowMs) await new Promise((r) => setTimeout(r, options.slowMs));
          handled.push(name);
        },
      },
    ],
    batchSize: options.batchSize,
    heartbeatEveryMs: 20,
    dlqProducer: { send: async (m: unknown) => void deadLettered.push(m) } as unknown as Producer,
    retryBaseMs: 1,
    maxRetries,
    logger: pino({ level: 'silent' }),
    metrics,
  });
  await inbox.start();
  const message = (offset: string, eventId: string, value?: string): KafkaMessage => ({
    offset,
    key: Buffer.from('k'),
    value: Buffer.from(value ?? JSON.stringify(envelope(idOf(eventId)))),
    headers: {},
    timestamp: '0',
    attributes: 0,
  });
  const heartbeats: number[] = [];
  /** Hands over one fetched batch of a partition, as kafkajs does. */
  const deliverBatch = (partition: number, messages: KafkaMessage[]) =>
    consumer.eachBatch!({
      batch: { topic, partition, messages } as unknown as EachBatchPayload['batch'],
      heartbeat: async () => void heartbeats.push(Date.now()),
      pause: () => () => undefined,
      resolveOffset: (offset: string) => void consumer.resolved.push(offset),
      isRunning: () => true,
      isStale: () => false,
      commitOffsetsIfNecessary: async () => undefined,
      uncommittedOffsets: () => ({ topics: [] }),
    });
  const deliver = (partition: number, offset: string, eventId: string) => deliverBatch(partition, [message(offset, eventId)]);
  const stallsCounted = async () =>
    (await metrics.consumerStalls.get()).values.find((v) => v.labels.group === 'social-processing.test')?.value ?? 0;
  const stalledNow = async () =>
    (await metrics.consumerStalledPartitions.get()).values.find((v) => v.labels.group === 'social-processing.test')?.value ?? 0;
  return { inbox, consumer, db, handled, deadLettered, idOf, deliver, deliverBatch, message, heartbeats, stallsCounted, stalledNow };
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

describe(`${InboxConsumer.name} in batches`, () => {
  const dlqCodes = (t: { deadLettered: unknown[] }) =>
    t.deadLettered.map((m) => (m as { messages: { headers: Record<string, string> }[] }).messages[0]!.headers['dlq-error-code']);

  it('applies a fetched batch in chunks of CONSUMER_BATCH_SIZE, one transaction and one inbox insert per chunk, committing after each', async () => {
    const t = await setUp(3, { batchSize: 4 });
    await t.deliverBatch(
      0,
      ['1', '2', '3', '4', '5', '6'].map((o) => t.message(o, `e-${o}`)),
    );
    expect(t.handled).toEqual(['e-1', 'e-2', 'e-3', 'e-4', 'e-5', 'e-6']);
    expect(t.db.transactions).toBe(2);
    expect(t.db.statements.map((s) => s.filter((x) => x.startsWith('INSERT INTO')).length)).toEqual([1, 1]);
    expect(t.consumer.commits.map((c) => c.offset)).toEqual(['5', '7']);
    expect(t.consumer.resolved).toEqual(['4', '6']);
    await t.inbox.stop();
  });

  it('applies an event delivered twice in one batch, or again in a later one, once', async () => {
    const t = await setUp(3, { batchSize: 10 });
    await t.deliverBatch(0, [t.message('1', 'e-1'), t.message('2', 'e-2'), t.message('3', 'e-1')]);
    await t.deliverBatch(0, [t.message('2', 'e-2'), t.message('4', 'e-4')]);
    expect(t.handled).toEqual(['e-1', 'e-2', 'e-4']);
    expect(t.consumer.commits.map((c) => c.offset)).toEqual(['4', '5']);
    await t.inbox.stop();
  });

  it('sends a poison message inside a batch to the DLQ and applies the rest of the batch once, in order', async () => {
    const t = await setUp(3, { batchSize: 10, rejects: ['e-3'] });
    await t.deliverBatch(0, [
      t.message('1', 'e-1'),
      t.message('2', 'bad-json', '{not json'),
      t.message('3', 'e-3'),
      t.message('4', 'e-4'),
      t.message('5', 'e-5'),
    ]);
    expect(t.handled.filter((h, i, all) => all.indexOf(h) === i)).toEqual(['e-1', 'e-4', 'e-5']);
    expect(dlqCodes(t)).toEqual(['INVALID_JSON', 'PERSON_UNKNOWN']);
    // The chunk's transaction rolled back (the fake db keeps nothing of it), then one transaction per message.
    expect(t.db.inbox.size).toBe(3);
    expect(t.consumer.commits.map((c) => c.offset)).toEqual(['6']);
    await t.inbox.stop();
  });

  it('stalls on the message that keeps failing transiently and commits only the messages before it', async () => {
    const t = await setUp(0, { batchSize: 10 });
    t.db.failingTransactions = 1; // the chunk's transaction fails; then e-1 alone succeeds
    await t.deliverBatch(1, [t.message('10', 'e-10'), t.message('11', 'e-11')]);
    expect(t.handled).toEqual(['e-10', 'e-11']);
    t.db.failingTransactions = 0;
    t.db.down = true;
    await t.deliverBatch(1, [t.message('12', 'e-12'), t.message('13', 'e-13')]);
    expect(t.consumer.seeks).toEqual([{ topic, partition: 1, offset: '12' }]);
    expect(t.inbox.stalledPartitions.map((s) => s.offset)).toEqual(['12']);
    expect(t.consumer.commits.map((c) => c.offset)).toEqual(['12']);
    await t.inbox.stop();
  });

  it('keeps heartbeating while a long chunk applies, so that the group keeps its membership', async () => {
    const t = await setUp(3, { batchSize: 10, slowMs: 60 });
    await t.deliverBatch(0, [t.message('1', 'e-1'), t.message('2', 'e-2')]);
    expect(t.handled).toEqual(['e-1', 'e-2']);
    // 120 ms of handlers at a 20 ms heartbeat: several during the chunk, besides the one after it.
    expect(t.heartbeats.length).toBeGreaterThanOrEqual(3);
    await t.inbox.stop();
  });
});
