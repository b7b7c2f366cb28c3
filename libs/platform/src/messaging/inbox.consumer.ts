import { EnvelopeHeaders, dlqTopic, type EventContract, type EventEnvelope } from '@eisss/contracts';
import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type pino from 'pino';
import type { DataSource } from 'typeorm';
import { runWithContext } from '../context/request-context';
import { TransactionHost } from '../db/transaction-host';
import { DomainError, isTransient } from '../errors/domain-error';
import type { PlatformMetrics } from '../metrics/metrics';
import { EventValidationError, assertEventValid } from './event-validation';
import { prefixed, unprefixed } from './kafka';

/** Where a message came from: what a handler's `@Ctx()` (InboxContext) answers. */
export interface InboxMessage {
  groupId: string;
  /** The logical topic (without the test prefix). */
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: IHeaders;
}

/** Runs inside the inbox transaction (repositories, outbox and audit log join it through the TransactionHost). */
export type EventHandlerFn = (event: EventEnvelope<any>, message: InboxMessage) => Promise<void>;

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
  /** First backoff between attempts; it doubles each time, capped at RETRY_CAP_MS. */
  retryBaseMs: number;
  /** Retries of a transiently failing message (after its first attempt) before its partition stalls. */
  maxRetries: number;
  /** Most messages of one partition applied in one transaction (CONSUMER_BATCH_SIZE; 1 = one transaction per message). */
  batchSize?: number;
  /** Partitions of the group's topics processed at the same time by this consumer (CONSUMER_PARTITIONS_CONCURRENTLY). */
  partitionsConcurrently?: number;
  /** How often the group heartbeats while a chunk applies or a retry waits (default 3 s, a tenth of the session timeout). */
  heartbeatEveryMs?: number;
  logger: pino.Logger;
  metrics?: PlatformMetrics;
}

class StoppingError extends Error {}

/** The longest wait between two attempts at a message, or between two probes of a stalled group. */
export const RETRY_CAP_MS = 30000;
const HEARTBEAT_EVERY_MS = 3000;

/** The wait before retry `attempt` (0-based): `baseMs` doubled per attempt, capped at RETRY_CAP_MS. */
export function retryBackoffMs(baseMs: number, attempt: number): number {
  return Math.min(RETRY_CAP_MS, baseMs * 2 ** Math.min(attempt, 20));
}

/** A partition paused on a message that kept failing transiently; it is redelivered from `offset` after resume. */
export interface StalledPartition {
  groupId: string;
  /** The logical topic (without the test prefix). */
  topic: string;
  partition: number;
  /** The offset of the failed message: not committed, fetched again after resume. */
  offset: string;
  eventId: string;
  /** The last error's message (for the log only: readiness answers up or down). */
  reason: string;
  since: Date;
}

const partitionKey = (topic: string, partition: number) => `${topic}|${partition}`;

/** A fetched message whose envelope passed validation. */
interface ValidMessage {
  message: KafkaMessage;
  envelope: EventEnvelope;
}

type Outcome = 'processed' | 'duplicate' | 'dead_lettered';

/**
 * One consumer group, consuming in batches: kafkajs hands over what it fetched from one partition
 * (partitions of the group are processed concurrently, CONSUMER_PARTITIONS_CONCURRENTLY), and the
 * messages are applied in their partition order, up to CONSUMER_BATCH_SIZE in one DB transaction:
 * each is validated (envelope and payload schema; an invalid one goes to the DLQ), the event ids of
 * the valid ones are inserted into the inbox together (a redelivered event finds its id there and is
 * a no-op), and the handlers of the new ones run one after another in that same transaction. The
 * offset after the chunk is committed only after the DB commit. Ordering per key holds: one key is
 * one partition, and a partition's messages are applied in order, never two chunks of it at once.
 *
 * When the chunk's transaction fails, nothing of it stays, and its messages are applied again one by
 * one, each in its own transaction (the per-message path): a message its handler rejects (a domain
 * error) goes to `<topic>.dlq` with the reason while the others are applied once; transient failures
 * (lost connection, serialization) retry with capped exponential backoff without committing, up to
 * `maxRetries` times; then the partition stalls: it is paused and sought back to the failed message
 * (its offset stays uncommitted), readiness reports it, and a timer probes the database with backoff
 * and resumes the group's stalled partitions when it answers, so the message is redelivered and
 * everything after it follows in order.
 */
export class InboxConsumer {
  private consumer?: Consumer;
  private readonly byTopic = new Map<string, HandlerRegistration>();
  private stopping = false;
  /** By Kafka topic (prefixed) and partition. */
  private readonly stalled = new Map<string, StalledPartition & { kafkaTopic: string }>();
  private probeTimer?: NodeJS.Timeout;
  private probeAttempt = 0;

  /** The handler's repositories, outbox and audit log join the transaction this host opens. */
  private readonly transactions: TransactionHost;
  private readonly heartbeatEveryMs: number;

  constructor(private readonly o: InboxConsumerOptions) {
    this.transactions = new TransactionHost(o.dataSource);
    this.heartbeatEveryMs = o.heartbeatEveryMs ?? HEARTBEAT_EVERY_MS;
    for (const h of o.handlers) {
      if (this.byTopic.has(h.contract.topic)) throw new Error(`${o.groupId}: two handlers for ${h.contract.topic}`);
      this.byTopic.set(h.contract.topic, h);
    }
  }

  get groupId(): string {
    return this.o.groupId;
  }

  /** The partitions of this group paused now on a transiently failing message. */
  get stalledPartitions(): StalledPartition[] {
    return [...this.stalled.values()].map(({ kafkaTopic: _, ...s }) => s);
  }

  async start(): Promise<void> {
    this.consumer = this.o.kafka.consumer({
      groupId: prefixed(this.o.topicPrefix, this.o.groupId),
      allowAutoTopicCreation: false,
      sessionTimeout: 30000,
      heartbeatInterval: 3000,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.byTopic.keys()].map((t) => prefixed(this.o.topicPrefix, t)), fromBeginning: true });
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => this.forgetLostPartitions());
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.max(1, this.o.partitionsConcurrently ?? 1),
      eachBatch: (p) => this.onBatch(p),
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    await this.consumer?.disconnect();
    this.stalled.clear();
    this.reportStalled();
  }

  /** One partition's fetched messages: applied in order, chunk by chunk, each chunk's offset committed after its DB commit. */
  private async onBatch({ batch, heartbeat, resolveOffset, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition, messages } = batch;
    const registration = this.byTopic.get(unprefixed(this.o.topicPrefix, topic));
    const size = Math.max(1, this.o.batchSize ?? 1);
    for (let i = 0; i < messages.length; i += size) {
      if (!isRunning() || isStale() || this.stopping) return;
      const chunk = messages.slice(i, i + size);
      const applied = registration
        ? await this.whileHeartbeating(heartbeat, () => this.processChunk(topic, partition, registration, chunk))
        : chunk.length;
      const done = chunk.slice(0, applied);
      if (done.length > 0) {
        const last = done[done.length - 1]!.offset;
        await this.consumer!.commitOffsets([{ topic, partition, offset: (BigInt(last) + 1n).toString() }]);
        if (applied === chunk.length) resolveOffset(last);
      }
      // Fewer than the chunk: the partition stalled on the next message (sought back to it and paused).
      if (applied < chunk.length) return;
      await heartbeat();
    }
  }

  /**
   * Applies a chunk of one partition's messages; answers how many of them (from the first) are done,
   * the chunk's length unless the partition stalled on the message after those.
   */
  private async processChunk(topic: string, partition: number, registration: HandlerRegistration, chunk: KafkaMessage[]): Promise<number> {
    const valid: ValidMessage[] = [];
    for (const message of chunk) {
      const envelope = await this.validOrDeadLettered(topic, partition, registration, message);
      if (envelope) valid.push({ message, envelope });
    }
    if (valid.length > 1) {
      try {
        const outcomes = await this.applyTogether(topic, partition, registration, valid);
        for (const o of outcomes) this.count(topic, o);
        this.probeAttempt = 0;
        return chunk.length;
      } catch (err) {
        if (this.stopping && isTransient(err)) throw new StoppingError('stopping; the chunk stays uncommitted');
        // Nothing of the chunk stayed: apply its messages one by one, so that only the failing one fails.
        this.o.logger.debug(
          {
            group: this.o.groupId,
            topic: unprefixed(this.o.topicPrefix, topic),
            partition,
            messages: valid.length,
            err: (err as Error).message,
          },
          'chunk failed in one transaction; applying its messages one by one',
        );
      }
    }
    for (const v of valid) {
      if (!(await this.processOne(topic, partition, registration, v))) return chunk.indexOf(v.message);
    }
    return chunk.length;
  }

  /** The message's envelope when it is valid; otherwise it goes to the DLQ (and answers undefined). */
  private async validOrDeadLettered(
    topic: string,
    partition: number,
    registration: HandlerRegistration,
    message: KafkaMessage,
  ): Promise<EventEnvelope | undefined> {
    try {
      const envelope: EventEnvelope = JSON.parse(message.value?.toString('utf8') ?? '');
      assertEventValid(registration.contract, envelope);
      return envelope;
    } catch (err) {
      const code = err instanceof EventValidationError ? err.code : 'INVALID_JSON';
      await this.deadLetter(topic, partition, message.offset, message.key, message.value, message.headers, code, (err as Error).message);
      return undefined;
    }
  }

  /** One transaction for the chunk: the inbox ids inserted together, then the handlers of the new events in order. */
  private async applyTogether(
    topic: string,
    partition: number,
    registration: HandlerRegistration,
    valid: ValidMessage[],
  ): Promise<Outcome[]> {
    const logical = unprefixed(this.o.topicPrefix, topic);
    return this.transactions.run(async () => {
      const fresh = await this.recordInInbox(logical, partition, valid);
      const outcomes: Outcome[] = [];
      for (const { message, envelope } of valid) {
        // delete: an event twice in the chunk is applied at its first place only.
        if (!fresh.delete(envelope.eventId.toLowerCase())) {
          outcomes.push('duplicate');
          continue;
        }
        await runWithContext({ correlationId: envelope.correlationId, causationId: envelope.eventId }, () =>
          registration.handle(envelope, this.inboxMessage(logical, partition, message)),
        );
        outcomes.push('processed');
      }
      return outcomes;
    });
  }

  /**
   * Inserts the events' ids into the inbox (one statement, in the open transaction); answers the ids
   * (lower case) that were not there yet: the events to apply. A redelivered one is left out.
   */
  private async recordInInbox(logical: string, partition: number, valid: ValidMessage[]): Promise<Set<string>> {
    const inserted: { event_id: string }[] = await this.transactions.manager.query(
      `INSERT INTO ${this.o.schema}.inbox (consumer_group, event_id, event_type, topic, kafka_partition, kafka_offset)
       SELECT $1, m.event_id, m.event_type, $2, $3, m.kafka_offset
         FROM unnest($4::uuid[], $5::text[], $6::bigint[]) AS m(event_id, event_type, kafka_offset)
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [
        this.o.groupId,
        logical,
        partition,
        valid.map((v) => v.envelope.eventId),
        valid.map((v) => v.envelope.eventType),
        valid.map((v) => v.message.offset),
      ],
    );
    return new Set(inserted.map((r) => r.event_id.toLowerCase()));
  }

  private inboxMessage(logical: string, partition: number, message: KafkaMessage): InboxMessage {
    return {
      groupId: this.o.groupId,
      topic: logical,
      partition,
      offset: message.offset,
      key: message.key?.toString('utf8') ?? null,
      headers: message.headers ?? {},
    };
  }

  private count(topic: string, outcome: Outcome): void {
    this.o.metrics?.eventsConsumed.inc({ topic: unprefixed(this.o.topicPrefix, topic), group: this.o.groupId, outcome });
  }

  /**
   * One message in its own transaction (inbox row, then the handler), retried while it fails
   * transiently; a handler's rejection sends it to the DLQ. Answers false when the partition stalled on it.
   */
  private async processOne(topic: string, partition: number, registration: HandlerRegistration, valid: ValidMessage): Promise<boolean> {
    const { message, envelope } = valid;
    const logical = unprefixed(this.o.topicPrefix, topic);
    for (let attempt = 0; ; attempt++) {
      try {
        let duplicate = false;
        await runWithContext({ correlationId: envelope.correlationId, causationId: envelope.eventId }, () =>
          this.transactions.run(async () => {
            if ((await this.recordInInbox(logical, partition, [valid])).size === 0) {
              duplicate = true;
              return;
            }
            await registration.handle(envelope, this.inboxMessage(logical, partition, message));
          }),
        );
        this.count(topic, duplicate ? 'duplicate' : 'processed');
        this.probeAttempt = 0;
        return true;
      } catch (err) {
        if (isTransient(err)) {
          if (this.stopping) throw new StoppingError('stopping; the message stays uncommitted');
          if (attempt >= this.o.maxRetries) {
            // Returning (not throwing) keeps kafkajs running: it sees the seek and the pause and fetches
            // nothing more from this partition; the offset of this message is not committed.
            this.stall(topic, partition, message.offset, envelope.eventId, err as Error);
            return false;
          }
          const backoff = retryBackoffMs(this.o.retryBaseMs, attempt);
          this.o.logger.warn(
            {
              group: this.o.groupId,
              topic: logical,
              partition,
              eventId: envelope.eventId,
              attempt: attempt + 1,
              of: this.o.maxRetries,
              backoffMs: backoff,
              err: (err as Error).message,
            },
            'transient failure; retrying',
          );
          await this.wait(backoff);
          continue;
        }
        const code = err instanceof DomainError ? err.code : 'HANDLER_FAILED';
        await this.deadLetter(topic, partition, message.offset, message.key, message.value, message.headers, code, (err as Error).message);
        return true;
      }
    }
  }

  /**
   * Runs `work` while heartbeating every few seconds: a long handler (a national payroll's payments
   * in one transaction) must not cost the group its membership (session timeout 30 s) mid-work.
   */
  private async whileHeartbeating<T>(heartbeat: () => Promise<void>, work: () => Promise<T>): Promise<T> {
    const timer = setInterval(() => void heartbeat().catch(() => undefined), this.heartbeatEveryMs);
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  }

  /** Waits `ms` (the chunk's heartbeats go on meanwhile, see whileHeartbeating), in steps that notice a stop. */
  private async wait(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, Math.max(0, Math.min(this.heartbeatEveryMs, until - Date.now()))));
      if (this.stopping) throw new StoppingError('stopping; the message stays uncommitted');
    }
  }

  /** Pauses the partition on the failed message (sought back to it, so it comes first after resume) and starts probing. */
  private stall(kafkaTopic: string, partition: number, offset: string, eventId: string, err: Error): void {
    const consumer = this.consumer!;
    consumer.seek({ topic: kafkaTopic, partition, offset });
    consumer.pause([{ topic: kafkaTopic, partitions: [partition] }]);
    const topic = unprefixed(this.o.topicPrefix, kafkaTopic);
    const reason = (err.message || String(err)).slice(0, 500);
    this.stalled.set(partitionKey(kafkaTopic, partition), {
      groupId: this.o.groupId,
      topic,
      kafkaTopic,
      partition,
      offset,
      eventId,
      reason,
      since: new Date(),
    });
    this.o.metrics?.consumerStalls.inc({ group: this.o.groupId });
    this.reportStalled();
    this.o.logger.error(
      { group: this.o.groupId, topic, partition, offset, eventId, attempts: this.o.maxRetries + 1, err: reason },
      'partition stalled: a message kept failing transiently; paused (offset not committed) until the cause goes away',
    );
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    if (this.probeTimer || this.stopping || this.stalled.size === 0) return;
    const delay = retryBackoffMs(this.o.retryBaseMs, this.probeAttempt++);
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      void this.probe();
    }, delay);
    this.probeTimer.unref();
  }

  /** Resumes the stalled partitions once the database answers; until then probes again with a growing backoff. */
  private async probe(): Promise<void> {
    try {
      await this.o.dataSource.query('SELECT 1');
    } catch (err) {
      this.o.logger.warn(
        { group: this.o.groupId, stalled: this.describeStalled(), err: (err as Error).message },
        'consumer group still stalled: the database does not answer',
      );
      this.scheduleProbe();
      return;
    }
    if (this.stopping || this.stalled.size === 0) return;
    const resumed = this.describeStalled();
    const byTopic = new Map<string, number[]>();
    for (const s of this.stalled.values()) byTopic.set(s.kafkaTopic, [...(byTopic.get(s.kafkaTopic) ?? []), s.partition]);
    try {
      this.consumer!.resume([...byTopic].map(([topic, partitions]) => ({ topic, partitions })));
    } catch (err) {
      this.o.logger.warn({ group: this.o.groupId, err: (err as Error).message }, 'could not resume the stalled partitions; retrying');
      this.scheduleProbe();
      return;
    }
    this.stalled.clear();
    this.reportStalled();
    this.o.logger.info(
      { group: this.o.groupId, resumed },
      'the database answers again: stalled partitions resumed from their failed message',
    );
  }

  /**
   * After a rebalance (or a restart of the kafkajs consumer, which forgets pauses) a stalled partition
   * that is no longer paused here is not ours to report: its owner reads it from the committed offset,
   * the failed message. Its pause is cleared so that it is not silently paused if it comes back.
   */
  private forgetLostPartitions(): void {
    if (this.stalled.size === 0 || !this.consumer) return;
    const paused = new Set(this.consumer.paused().flatMap(({ topic, partitions }) => partitions.map((p) => partitionKey(topic, p))));
    for (const [key, s] of this.stalled) {
      if (paused.has(key)) continue;
      this.stalled.delete(key);
      try {
        this.consumer.resume([{ topic: s.kafkaTopic, partitions: [s.partition] }]);
      } catch {
        // the kafkajs consumer was restarted: its new state has no pause to clear
      }
      this.o.logger.info(
        { group: this.o.groupId, topic: s.topic, partition: s.partition },
        'stalled partition no longer assigned here after a rebalance',
      );
    }
    this.reportStalled();
  }

  private describeStalled(): string[] {
    return [...this.stalled.values()].map((s) => `${s.topic}[${s.partition}]@${s.offset}`);
  }

  private reportStalled(): void {
    this.o.metrics?.consumerStalledPartitions.set({ group: this.o.groupId }, this.stalled.size);
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
    this.count(topic, 'dead_lettered');
  }
}
