import type { EventContract, EventEnvelope, PayloadOf } from '@eisss/contracts';
import { createKafka } from '@eisss/platform';
import { randomUUID } from 'node:crypto';
import type { Consumer, IHeaders, KafkaMessage } from 'kafkajs';
import { KAFKA_BROKERS, kafkaClientOptions } from './repo';

export interface ProbedMessage {
  topic: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  offset: string;
  partition: number;
}

function headersOf(h: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k] = Array.isArray(v) ? String(v[0]) : String(v ?? '');
  return out;
}

/** Reads topics from the beginning into memory, so a test can assert on what was published. */
export class KafkaProbe {
  readonly messages: ProbedMessage[] = [];
  private constructor(private readonly consumer: Consumer) {}

  static async start(topics: string[]): Promise<KafkaProbe> {
    const kafka = createKafka({ clientId: 'probe', ...kafkaClientOptions('admin', KAFKA_BROKERS) });
    const consumer = kafka.consumer({ groupId: `probe-${randomUUID()}` });
    await consumer.connect();
    // Right after the topics are created the broker may not yet serve their metadata on every path
    // ("does not host this topic-partition"): a transient answer, retried with backoff.
    for (let attempt = 0; ; attempt++) {
      try {
        await consumer.subscribe({ topics, fromBeginning: true });
        break;
      } catch (err) {
        const e = err as { retriable?: boolean; message?: string };
        const transient = e.retriable === true || /does not host this topic-partition|leader|timed? ?out/i.test(e.message ?? '');
        if (!transient || attempt >= 6) {
          await consumer.disconnect();
          throw err;
        }
        await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
      }
    }
    const probe = new KafkaProbe(consumer);
    await consumer.run({
      eachMessage: async ({ topic, partition, message }: { topic: string; partition: number; message: KafkaMessage }) => {
        probe.messages.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          headers: headersOf(message.headers),
        });
      },
    });
    return probe;
  }

  on(topic: string): ProbedMessage[] {
    return this.messages.filter((m) => m.topic === topic);
  }

  envelopes<P = unknown>(topic: string): EventEnvelope<P>[] {
    return this.on(topic).map((m) => JSON.parse(m.value ?? 'null'));
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/** Publishes raw messages (a foreign producer, a malformed message, a redelivery), as `principal` (default the admin). */
export async function produceRaw(
  topic: string,
  messages: { key?: string; value: string; headers?: Record<string, string> }[],
  principal = 'admin',
): Promise<void> {
  const producer = createKafka({ clientId: 'test-producer', ...kafkaClientOptions(principal, KAFKA_BROKERS) }).producer({
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

/** A valid envelope of `contract`, as its producer's outbox (or a foreign register's adapter) would write it. */
export function envelopeOf<C extends EventContract>(
  contract: C,
  payload: PayloadOf<C>,
  aggregateId: string,
  overrides: Partial<EventEnvelope<PayloadOf<C>>> = {},
): EventEnvelope<PayloadOf<C>> {
  const eventId = overrides.eventId ?? randomUUID();
  return {
    eventId,
    eventType: contract.eventType,
    eventVersion: contract.eventVersion,
    occurredAt: new Date().toISOString(),
    producer: contract.producer,
    aggregateType: contract.aggregateType,
    aggregateId,
    correlationId: `corr-${eventId}`,
    causationId: null,
    payload,
    ...overrides,
  };
}

/** Publishes a valid event of `contract` onto the prefixed topic, keyed by the aggregate id; returns its envelope. */
export async function publishEvent<C extends EventContract>(
  topicPrefix: string,
  contract: C,
  payload: PayloadOf<C>,
  aggregateId: string,
  overrides: Partial<EventEnvelope<PayloadOf<C>>> = {},
): Promise<EventEnvelope<PayloadOf<C>>> {
  const e = envelopeOf(contract, payload, aggregateId, overrides);
  await produceRaw(topicPrefix + contract.topic, [
    { key: aggregateId, value: JSON.stringify(e), headers: { 'event-id': e.eventId, 'event-type': e.eventType } },
  ]);
  return e;
}
