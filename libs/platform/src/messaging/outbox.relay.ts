import { EnvelopeHeaders, type EventEnvelope } from '@eisss/contracts';
import type { Kafka, Producer } from 'kafkajs';
import { Pool, type PoolClient } from 'pg';
import type pino from 'pino';
import { prefixed } from './kafka';
import { outboxChannel } from './outbox.sql';

export interface OutboxRelayOptions {
  schema: string;
  databaseUrl: string;
  kafka: Kafka;
  topicPrefix: string;
  pollIntervalMs: number;
  batchSize: number;
  retentionDays: number;
  logger: pino.Logger;
  onPublished?: (count: number) => void;
}

interface OutboxRow {
  seq: string;
  topic: string;
  message_key: string;
  envelope: EventEnvelope;
}

/**
 * Publishes outbox rows to Kafka in commit order. One relay per service is active at a time
 * (a session advisory lock); the others stand by and take over if the leader's session ends.
 * Woken by LISTEN/NOTIFY; polls as a fallback. Idempotent producer, acks=all, key = aggregate id.
 * Delivery is at-least-once: a crash between send and mark re-sends, and consumers deduplicate.
 */
export class OutboxRelay {
  private readonly pool: Pool;
  private producer?: Producer;
  private leaderClient?: PoolClient;
  private running = false;
  private wake?: () => void;
  private loop?: Promise<void>;
  private lastPrune = 0;
  private nudged = false;

  constructor(private readonly o: OutboxRelayOptions) {
    this.pool = new Pool({ connectionString: o.databaseUrl, max: 2, application_name: `${o.schema}-outbox-relay` });
    this.pool.on('error', (err) => o.logger.warn({ err: err.message }, 'outbox relay pool error'));
  }

  /** Rows committed but not yet published (the relay's lag), for metrics. */
  async pendingCount(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.o.schema}.outbox WHERE published_at IS NULL`);
    return Number(rows[0]?.n ?? 0);
  }

  get isLeader(): boolean {
    return this.leaderClient !== undefined;
  }

  async start(): Promise<void> {
    this.producer = this.o.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await this.producer.connect();
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after publishing what is committed now (bounded by the timeout). */
  async stop(timeoutMs = 10000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loop;
    if (this.leaderClient) {
      const deadline = Date.now() + timeoutMs;
      try {
        while (Date.now() < deadline && (await this.publishBatch()) > 0) {
          /* flush */
        }
      } catch (err) {
        this.o.logger.warn({ err: (err as Error).message }, 'outbox flush at shutdown failed; rows stay for the next relay');
      }
      await this.releaseLeadership();
    }
    await this.producer?.disconnect();
    await this.pool.end();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        if (!this.leaderClient) await this.tryLead();
        if (this.leaderClient) {
          const sent = await this.publishBatch();
          failures = 0;
          if (sent === this.o.batchSize) continue;
          await this.maybePrune();
          await this.sleep(this.o.pollIntervalMs);
        } else {
          await this.sleep(Math.max(this.o.pollIntervalMs, 2000));
        }
      } catch (err) {
        failures++;
        const backoff = Math.min(30000, 200 * 2 ** Math.min(failures, 8));
        this.o.logger.warn({ err: (err as Error).message, backoffMs: backoff }, 'outbox relay cycle failed; retrying');
        if (this.leaderClient && !(await this.leaderAlive())) await this.releaseLeadership();
        await this.sleep(backoff);
      }
    }
  }

  private async tryLead(): Promise<void> {
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [
        `${this.o.schema}.outbox-relay`,
      ]);
      if (!rows[0]?.locked) {
        client.release();
        return;
      }
      client.on('notification', () => {
        this.nudged = true;
        this.wake?.();
      });
      client.on('error', () => undefined);
      await client.query(`LISTEN ${outboxChannel(this.o.schema)}`);
      this.leaderClient = client;
      this.o.logger.info({ schema: this.o.schema }, 'outbox relay is the leader');
    } catch (err) {
      client.release(err as Error);
      throw err;
    }
  }

  private async leaderAlive(): Promise<boolean> {
    try {
      await this.leaderClient?.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  private async releaseLeadership(): Promise<void> {
    const client = this.leaderClient;
    this.leaderClient = undefined;
    if (!client) return;
    try {
      await client.query(`UNLISTEN *`);
      await client.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`${this.o.schema}.outbox-relay`]);
      client.release();
    } catch (err) {
      client.release(err as Error);
    }
  }

  /** Publishes one batch; returns how many rows it published. */
  async publishBatch(): Promise<number> {
    this.nudged = false;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<OutboxRow>(
        `SELECT seq, topic, message_key, envelope FROM ${this.o.schema}.outbox
          WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.o.batchSize],
      );
      if (rows.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      // One topic's messages keep their commit order inside topicMessages.
      const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
      for (const row of rows) {
        const env = row.envelope;
        const list = byTopic.get(row.topic) ?? [];
        list.push({
          key: row.message_key,
          value: JSON.stringify(env),
          headers: {
            [EnvelopeHeaders.eventId]: env.eventId,
            [EnvelopeHeaders.eventType]: env.eventType,
            [EnvelopeHeaders.eventVersion]: String(env.eventVersion),
            [EnvelopeHeaders.correlationId]: env.correlationId,
            ...(env.causationId ? { [EnvelopeHeaders.causationId]: env.causationId } : {}),
            [EnvelopeHeaders.producer]: env.producer,
            [EnvelopeHeaders.contentType]: 'application/json',
          },
        });
        byTopic.set(row.topic, list);
      }
      await this.producer!.sendBatch({
        acks: -1,
        topicMessages: [...byTopic.entries()].map(([topic, messages]) => ({ topic: prefixed(this.o.topicPrefix, topic), messages })),
      });
      await client.query(`UPDATE ${this.o.schema}.outbox SET published_at = now() WHERE seq = ANY($1::bigint[])`, [rows.map((r) => r.seq)]);
      await client.query('COMMIT');
      this.o.onPublished?.(rows.length);
      return rows.length;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async maybePrune(): Promise<void> {
    if (Date.now() - this.lastPrune < 3600_000) return;
    this.lastPrune = Date.now();
    await this.pool.query(`DELETE FROM ${this.o.schema}.outbox WHERE published_at < now() - make_interval(days => $1)`, [
      this.o.retentionDays,
    ]);
  }

  private sleep(ms: number): Promise<void> {
    if (this.nudged || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
