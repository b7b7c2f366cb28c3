import { PersonRegisteredV1, dlqTopic, EventEnvelope } from '@eisss/contracts';
import { KafkaProbe, TestEnvironment, expectEventually, produceRaw } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { DomainError, TransientError } from '../src/errors/domain-error';
import { TransactionHost } from '../src/db/transaction-host';
import { InboxConsumer } from '../src/messaging/inbox.consumer';
import { OutboxRelay } from '../src/messaging/outbox.relay';
import { OutboxWriter } from '../src/messaging/outbox.service';

/**
 * The platform's messaging against a real Postgres and a real Kafka broker, on the
 * social_processing schema of a fresh database. The relay connects as the producer's principal
 * (social-register) and the consumer as a consumer's (social-processing), under the catalogue's ACLs.
 */
describe('outbox and inbox', () => {
  const schema = 'social_processing';
  const logger = pino({ level: 'silent' });
  let env: TestEnvironment;
  let ds: DataSource;
  let host: TransactionHost;
  const fixture = PersonRegisteredV1.fixture;

  beforeAll(async () => {
    env = await TestEnvironment.create();
    ds = new DataSource({ type: 'postgres', url: env.databaseUrl('social-processing'), schema });
    await ds.initialize();
    host = new TransactionHost(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
    await env?.destroy();
  });

  const outboxRows = async () =>
    (await ds.query(`SELECT event_id, topic, message_key, published_at FROM ${schema}.outbox ORDER BY seq`)) as {
      event_id: string;
      published_at: Date | null;
    }[];

  it('writes no outbox row when the business transaction rolls back', async () => {
    const writer = new OutboxWriter(schema, 'social-register');
    const before = (await outboxRows()).length;
    await expect(
      host.run(async () => {
        await writer.append(PersonRegisteredV1, fixture, { aggregateId: fixture.personId });
        throw new Error('business rule failed after the event was appended');
      }),
    ).rejects.toThrow('business rule failed');
    expect((await outboxRows()).length).toBe(before);
  });

  it('refuses an event whose payload violates its contract when appended', async () => {
    const writer = new OutboxWriter(schema, 'social-register');
    await expect(
      host.run(() => writer.append(PersonRegisteredV1, { ...fixture, birthDate: '17.05.1990' }, { aggregateId: fixture.personId })),
    ).rejects.toThrow(/violates its contract/);
  });

  it('publishes committed events in order with the aggregate id as key and envelope ids in headers', async () => {
    const topic = env.topicPrefix + PersonRegisteredV1.topic;
    const probe = await KafkaProbe.start([topic]);
    const relay = new OutboxRelay({
      schema,
      databaseUrl: env.databaseUrl('social-processing'),
      kafka: env.kafka('relay', 'social-register'),
      topicPrefix: env.topicPrefix,
      pollIntervalMs: 5000,
      batchSize: 100,
      retentionDays: 7,
      logger,
    });
    await relay.start();
    try {
      const writer = new OutboxWriter(schema, 'social-register');
      const aggregateId = randomUUID();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const e = await host.run(() =>
          writer.append(
            PersonRegisteredV1,
            { ...fixture, personId: aggregateId, name: { ...fixture.name, firstName: `N${i}` } },
            { aggregateId, correlationId: 'corr-1' },
          ),
        );
        ids.push(e.eventId);
      }
      // LISTEN/NOTIFY wakes the relay long before its 5 s poll.
      await expectEventually(() => expect(probe.on(topic).filter((m) => m.key === aggregateId)).toHaveLength(5), { timeoutMs: 4000 });
      const msgs = probe.on(topic).filter((m) => m.key === aggregateId);
      expect(msgs.map((m) => m.headers['event-id'])).toEqual(ids);
      expect(new Set(msgs.map((m) => m.partition)).size).toBe(1);
      expect(msgs[0]!.headers['correlation-id']).toBe('corr-1');
      expect(msgs[0]!.headers['event-type']).toBe('social-register.person.registered');
      await expectEventually(async () =>
        expect((await outboxRows()).filter((r) => ids.includes(r.event_id)).every((r) => r.published_at !== null)).toBe(true),
      );
    } finally {
      await relay.stop();
      await probe.stop();
    }
  });

  it('lets only one relay lead when two run against the same schema', async () => {
    const mk = () =>
      new OutboxRelay({
        schema,
        databaseUrl: env.databaseUrl('social-processing'),
        kafka: env.kafka('relay', 'social-register'),
        topicPrefix: env.topicPrefix,
        pollIntervalMs: 100,
        batchSize: 100,
        retentionDays: 7,
        logger,
      });
    const a = mk();
    const b = mk();
    await a.start();
    await b.start();
    try {
      await expectEventually(() => expect([a.isLeader, b.isLeader].filter(Boolean)).toHaveLength(1));
      const leader = a.isLeader ? a : b;
      const other = leader === a ? b : a;
      await leader.stop();
      await expectEventually(() => expect(other.isLeader).toBe(true), { timeoutMs: 10000 });
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  describe(InboxConsumer.name, () => {
    const handled: string[] = [];
    /** Every handler call, also those whose transaction rolled back. */
    const attempts: { eventId: string; txid: string; key: string; firstName: string }[] = [];
    const POISON = 'Отрута';
    let failNext: 'transient' | 'domain' | null = null;
    let consumer: InboxConsumer;
    let probe: KafkaProbe;
    let dlqProducer: import('kafkajs').Producer;
    const topic = () => env.topicPrefix + PersonRegisteredV1.topic;

    beforeAll(async () => {
      await ds.query(`CREATE TABLE ${schema}.test_applied (seq bigserial PRIMARY KEY, event_id uuid NOT NULL)`);
      const kafka = env.kafka('consumer', 'social-processing');
      dlqProducer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await dlqProducer.connect();
      consumer = new InboxConsumer({
        kafka,
        dataSource: ds,
        schema,
        groupId: `social-processing.inbox-test-${randomUUID()}`,
        topicPrefix: env.topicPrefix,
        dlqProducer,
        retryBaseMs: 10,
        maxRetries: 5,
        batchSize: 50,
        partitionsConcurrently: 3,
        logger,
        handlers: [
          {
            contract: PersonRegisteredV1,
            handle: async (event) => {
              if (failNext === 'transient') {
                failNext = null;
                throw new TransientError('database hiccup');
              }
              if (failNext === 'domain') {
                failNext = null;
                throw DomainError.unprocessable('PERSON_UNKNOWN', 'cannot apply');
              }
              const tx = TransactionHost.ambientManager()!; // the inbox transaction
              const [{ txid }] = await tx.query(`SELECT txid_current()::text AS txid`);
              attempts.push({ eventId: event.eventId, txid, key: event.aggregateId, firstName: event.payload.name.firstName });
              if (event.payload.name.firstName === POISON) throw DomainError.unprocessable('PERSON_UNKNOWN', 'the poison of the batch');
              await tx.query(`INSERT INTO ${schema}.test_applied (event_id) VALUES ($1)`, [event.eventId]);
              handled.push(event.eventId);
            },
          },
        ],
      });
      probe = await KafkaProbe.start([env.topicPrefix + dlqTopic(PersonRegisteredV1.topic)]);
      await consumer.start();
    });

    afterAll(async () => {
      await consumer.stop();
      await dlqProducer.disconnect();
      await probe.stop();
    });

    const envelope = (overrides: Partial<EventEnvelope> = {}): EventEnvelope => ({
      eventId: randomUUID(),
      eventType: PersonRegisteredV1.eventType,
      eventVersion: 1,
      occurredAt: new Date().toISOString(),
      producer: 'social-register',
      aggregateType: 'person',
      aggregateId: fixture.personId,
      correlationId: randomUUID(),
      causationId: null,
      payload: fixture,
      ...overrides,
    });

    it('applies an event once when it is delivered twice', async () => {
      const e = envelope();
      await produceRaw(topic(), [{ key: e.aggregateId, value: JSON.stringify(e) }]);
      await produceRaw(topic(), [{ key: e.aggregateId, value: JSON.stringify(e) }]);
      const marker = envelope();
      await produceRaw(topic(), [{ key: marker.aggregateId, value: JSON.stringify(marker) }]);
      await expectEventually(() => expect(handled).toContain(marker.eventId));
      expect(handled.filter((id) => id === e.eventId)).toHaveLength(1);
    });

    it('sends a malformed message to the DLQ with the reason and goes on with the next one', async () => {
      const good = envelope();
      await produceRaw(topic(), [
        { key: 'x', value: '{not json' },
        { key: 'y', value: JSON.stringify(envelope({ payload: { ...fixture, sex: 'unknown' } })) },
        { key: good.aggregateId, value: JSON.stringify(good) },
      ]);
      await expectEventually(() => expect(handled).toContain(good.eventId));
      const dlq = await expectEventually(() => {
        const msgs = probe.on(env.topicPrefix + dlqTopic(PersonRegisteredV1.topic));
        expect(msgs.map((m) => m.headers['dlq-error-code'])).toEqual(expect.arrayContaining(['INVALID_JSON', 'INVALID_PAYLOAD']));
        return msgs;
      });
      const invalid = dlq.find((m) => m.headers['dlq-error-code'] === 'INVALID_PAYLOAD')!;
      expect(invalid.headers['dlq-reason']).toContain('/sex');
      expect(invalid.headers['dlq-original-topic']).toBe(PersonRegisteredV1.topic);
    });

    it('dead-letters an envelope whose producer does not own the topic, with the reason', async () => {
      const forged = envelope({ producer: 'social-processing' });
      await produceRaw(topic(), [{ key: forged.aggregateId, value: JSON.stringify(forged) }]);
      const dead = await expectEventually(() => {
        const m = probe
          .on(env.topicPrefix + dlqTopic(PersonRegisteredV1.topic))
          .find((x) => x.headers['dlq-error-code'] === 'FOREIGN_PRODUCER');
        expect(m).toBeDefined();
        return m!;
      });
      expect(JSON.parse(dead.value!).eventId).toBe(forged.eventId);
      expect(dead.headers['dlq-reason']).toBe(
        `producer "social-processing" does not own ${PersonRegisteredV1.topic} (its producer is social-register)`,
      );
      expect(handled).not.toContain(forged.eventId);
      expect(await ds.query(`SELECT 1 FROM ${schema}.inbox WHERE event_id = $1`, [forged.eventId])).toHaveLength(0);
    });

    it('retries a transient failure and applies the event when the retry succeeds', async () => {
      failNext = 'transient';
      const e = envelope();
      await produceRaw(topic(), [{ key: e.aggregateId, value: JSON.stringify(e) }]);
      await expectEventually(() => expect(handled).toContain(e.eventId));
      expect(failNext).toBeNull();
    });

    it('dead-letters an event its handler rejects with a domain error, and records nothing for it', async () => {
      failNext = 'domain';
      const e = envelope();
      await produceRaw(topic(), [{ key: e.aggregateId, value: JSON.stringify(e) }]);
      await expectEventually(() =>
        expect(
          probe.on(env.topicPrefix + dlqTopic(PersonRegisteredV1.topic)).some((m) => m.headers['dlq-error-code'] === 'PERSON_UNKNOWN'),
        ).toBe(true),
      );
      expect(handled).not.toContain(e.eventId);
      const inbox = await ds.query(`SELECT 1 FROM ${schema}.inbox WHERE event_id = $1`, [e.eventId]);
      expect(inbox).toHaveLength(0);
    });

    const applied = async (ids: string[]) =>
      (await ds.query(
        `SELECT event_id, count(*)::int AS n FROM ${schema}.test_applied WHERE event_id = ANY($1::uuid[]) GROUP BY event_id`,
        [ids],
      )) as { event_id: string; n: number }[];

    it('sends a poison message inside a batch to the DLQ while the rest of the batch is applied once', async () => {
      const key = randomUUID();
      const batch = Array.from({ length: 30 }, (_, i) =>
        envelope({
          aggregateId: key,
          payload: { ...fixture, personId: key, name: { ...fixture.name, firstName: i === 17 ? POISON : `Н${i}` } },
        }),
      );
      const poison = batch[17]!;
      // One produce call, one key: the 30 messages land on one partition, fetched together.
      await produceRaw(
        topic(),
        batch.map((e) => ({ key, value: JSON.stringify(e) })),
      );
      const good = batch.filter((e) => e !== poison).map((e) => e.eventId);
      await expectEventually(async () => expect((await applied(good)).length).toBe(29));
      expect((await applied(good)).every((r) => r.n === 1)).toBe(true);
      expect(await applied([poison.eventId])).toEqual([]);
      // The first attempt applied several of them in one transaction (the batch), which rolled back at the poison.
      const first = attempts.find((a) => a.eventId === batch[0]!.eventId)!;
      expect(attempts.filter((a) => a.txid === first.txid).length).toBeGreaterThan(1);
      const dead = await expectEventually(() => {
        const m = probe
          .on(env.topicPrefix + dlqTopic(PersonRegisteredV1.topic))
          .filter((x) => x.headers['dlq-error-code'] === 'PERSON_UNKNOWN' && JSON.parse(x.value!).eventId === poison.eventId);
        expect(m).toHaveLength(1);
        return m[0]!;
      });
      expect(dead.headers['dlq-reason']).toBe('the poison of the batch');
      const inbox = (await ds.query(`SELECT event_id FROM ${schema}.inbox WHERE event_id = ANY($1::uuid[])`, [
        batch.map((e) => e.eventId),
      ])) as unknown[];
      expect(inbox).toHaveLength(29);
      // What stayed was applied in the partition's order (the rolled-back first attempt left nothing).
      const order = (await ds.query(`SELECT event_id FROM ${schema}.test_applied WHERE event_id = ANY($1::uuid[]) ORDER BY seq`, [
        good,
      ])) as {
        event_id: string;
      }[];
      expect(order.map((r) => r.event_id)).toEqual(good);
    });

    it("keeps each key's events in order while partitions are consumed concurrently", async () => {
      const keys = Array.from({ length: 9 }, () => randomUUID());
      const events = Array.from({ length: 20 }, (_, i) =>
        keys.map((key) =>
          envelope({ aggregateId: key, payload: { ...fixture, personId: key, name: { ...fixture.name, firstName: `П${i}` } } }),
        ),
      ).flat();
      await produceRaw(
        topic(),
        events.map((e) => ({ key: e.aggregateId, value: JSON.stringify(e) })),
      );
      await expectEventually(async () => expect((await applied(events.map((e) => e.eventId))).length).toBe(events.length), {
        timeoutMs: 20000,
      });
      const order = (await ds.query(`SELECT event_id FROM ${schema}.test_applied WHERE event_id = ANY($1::uuid[]) ORDER BY seq`, [
        events.map((e) => e.eventId),
      ])) as { event_id: string }[];
      const byId = new Map(events.map((e) => [e.eventId, e]));
      for (const key of keys) {
        const seen = order.map((r) => byId.get(r.event_id)!).filter((e) => e.aggregateId === key);
        expect(seen.map((e) => (e.payload as typeof fixture).name.firstName)).toEqual(Array.from({ length: 20 }, (_, i) => `П${i}`));
      }
    });
  });
});
