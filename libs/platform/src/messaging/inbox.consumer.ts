import { EnvelopeHeaders, dlqTopic, type EventContract, type EventEnvelope } from '@eisss/contracts';
import type { Consumer, EachMessagePayload, IHeaders, Kafka, Producer } from 'kafkajs';
import type pino from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import { runWithContext } from '../context/request-context';
import { DomainError, isTransient } from '../errors/domain-error';
import type { PlatformMetrics } from '../metrics/metrics';
import { EventValidationError, assertEventValid } from './event-validation';
import { prefixed, unprefixed } from './kafka';

export type EventHandlerFn = (event: EventEnvelope<any>, tx: EntityManager) => Promise<void>;

export interface HandlerRegistration {
  contract: EventContract;
  handle: EventHandlerFn;
}

export interface InboxConsumerOptions {
  kafka: Kafka;
  dataSource: DataSource;
  schema: string;
  groupId: string;
  topicPrefix: string;
  handlers: HandlerRegistration[];
  dlqProducer: Producer;
  retryBaseMs: number;
  maxRetries: number;
  logger: pino.Logger;
  metrics?: PlatformMetrics;
}

class StoppingError extends Error {}

/**
 * One consumer group. For each message: validate (envelope and payload schema), then in one DB
 * transaction record the event id in the inbox and apply the handler; a redelivered event finds its
 * id there and is a no-op. The offset is committed only after the DB commit. Transient failures
 * (lost connection, serialization) retry with backoff without committing; invalid messages and
 * handler failures go to `<topic>.dlq` with the reason in headers, and the group moves on.
 */
export class InboxConsumer {
  private consumer?: Consumer;
  private readonly byTopic = new Map<string, HandlerRegistration>();
  private stopping = false;

  constructor(private readonly o: InboxConsumerOptions) {
    for (const h of o.handlers) {
      if (this.byTopic.has(h.contract.topic)) throw new Error(`${o.groupId}: two handlers for ${h.contract.topic}`);
      this.byTopic.set(h.contract.topic, h);
    }
  }

  get groupId(): string {
    return this.o.groupId;
  }

  async start(): Promise<void> {
    this.consumer = this.o.kafka.consumer({ groupId: prefixed(this.o.topicPrefix, this.o.groupId), allowAutoTopicCreation: false, sessionTimeout: 30000, heartbeatInterval: 3000 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.byTopic.keys()].map((t) => prefixed(this.o.topicPrefix, t)), fromBeginning: true });
    await this.consumer.run({ autoCommit: false, partitionsConsumedConcurrently: 1, eachMessage: (p) => this.onMessage(p) });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect();
  }

  private async onMessage({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    const logical = unprefixed(this.o.topicPrefix, topic);
    const registration = this.byTopic.get(logical);
    const commit = () => this.consumer!.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
    if (!registration) {
      await commit();
      return;
    }
    let envelope: EventEnvelope;
    try {
      envelope = JSON.parse(message.value?.toString('utf8') ?? '');
      assertEventValid(registration.contract, envelope);
    } catch (err) {
      const code = err instanceof EventValidationError ? err.code : 'INVALID_JSON';
      await this.deadLetter(topic, partition, message.offset, message.key, message.value, message.headers, code, (err as Error).message);
      await commit();
      return;
    }

    for (let attempt = 0; ; attempt++) {
      try {
        let duplicate = false;
        await runWithContext({ correlationId: envelope.correlationId, causationId: envelope.eventId }, () =>
          this.o.dataSource.transaction(async (tx) => {
            const inserted: unknown[] = await tx.query(
              `INSERT INTO ${this.o.schema}.inbox (consumer_group, event_id, event_type, topic, kafka_partition, kafka_offset)
               VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING event_id`,
              [this.o.groupId, envelope.eventId, envelope.eventType, logical, partition, message.offset],
            );
            if (inserted.length === 0) {
              duplicate = true;
              return;
            }
            await registration.handle(envelope, tx);
          }),
        );
        this.o.metrics?.eventsConsumed.inc({ topic: logical, group: this.o.groupId, outcome: duplicate ? 'duplicate' : 'processed' });
        break;
      } catch (err) {
        if (isTransient(err)) {
          if (this.stopping) throw new StoppingError('stopping; the message stays uncommitted');
          const backoff = Math.min(30000, this.o.retryBaseMs * 2 ** Math.min(attempt, 10));
          this.o.logger.warn({ topic: logical, eventId: envelope.eventId, attempt, backoffMs: backoff, err: (err as Error).message }, 'transient failure; retrying');
          await new Promise((r) => setTimeout(r, backoff));
          await heartbeat();
          continue;
        }
        const code = err instanceof DomainError ? err.code : 'HANDLER_FAILED';
        await this.deadLetter(topic, partition, message.offset, message.key, message.value, message.headers, code, (err as Error).message);
        break;
      }
    }
    await commit();
  }

  private async deadLetter(
    topic: string,
    partition: number,
    offset: string,
    key: Buffer | null,
    value: Buffer | null,
    headers: IHeaders | undefined,
    code: string,
    reason: string,
  ): Promise<void> {
    const logical = unprefixed(this.o.topicPrefix, topic);
    this.o.logger.warn({ topic: logical, partition, offset, code, reason: reason.slice(0, 500) }, 'message sent to the dead-letter topic');
    await this.o.dlqProducer.send({
      topic: prefixed(this.o.topicPrefix, dlqTopic(logical)),
      acks: -1,
      messages: [
        {
          key,
          value,
          headers: {
            ...(headers ?? {}),
            [EnvelopeHeaders.dlqErrorCode]: code,
            [EnvelopeHeaders.dlqReason]: reason.slice(0, 4000),
            [EnvelopeHeaders.dlqOriginalTopic]: logical,
            [EnvelopeHeaders.dlqOriginalPartition]: String(partition),
            [EnvelopeHeaders.dlqOriginalOffset]: offset,
            [EnvelopeHeaders.dlqConsumerGroup]: this.o.groupId,
            [EnvelopeHeaders.dlqFailedAt]: new Date().toISOString(),
          },
        },
      ],
    });
    this.o.metrics?.eventsConsumed.inc({ topic: logical, group: this.o.groupId, outcome: 'dead_lettered' });
  }
}
