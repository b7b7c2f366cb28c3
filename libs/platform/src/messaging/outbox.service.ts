import type { EventContract, EventEnvelope, PayloadOf } from '@eisss/contracts';
import { randomUUID } from 'node:crypto';
import { currentContext } from '../context/request-context';
import { TransactionHost } from '../db/transaction-host';
import { outboxChannel } from './outbox.sql';
import { payloadProblems } from './event-validation';

export interface AppendOptions {
  aggregateId: string;
  correlationId?: string;
  causationId?: string | null;
  occurredAt?: Date;
  eventId?: string;
}

/**
 * Writes events into the service's outbox inside the caller's transaction. The relay publishes
 * them after commit; if the transaction rolls back, the event never existed.
 */
export class OutboxWriter {
  constructor(
    private readonly schema: string,
    private readonly producer: string,
  ) {}

  /** Appends an event in the transaction open in this call chain (see `TransactionHost`); refuses outside one. */
  async append<C extends EventContract>(contract: C, payload: PayloadOf<C>, options: AppendOptions): Promise<EventEnvelope<PayloadOf<C>>> {
    const tx = this.transaction('append');
    const envelope = this.envelope(contract, payload, options);
    // One round trip: the row and the relay's wake-up (delivered at commit; Postgres folds repeats within a transaction).
    await tx.query(
      `WITH appended AS (
         INSERT INTO ${this.schema}.outbox (event_id, topic, message_key, envelope) VALUES ($1, $2, $3, $4) RETURNING 1
       )
       SELECT pg_notify($5, '') FROM appended`,
      [envelope.eventId, contract.topic, options.aggregateId, JSON.stringify(envelope), outboxChannel(this.schema)],
    );
    return envelope;
  }

  /**
   * Appends many events of one contract in one statement (bulk work such as a migration chunk), in the
   * order given: each is validated and enveloped like `append`, and the relay publishes them in that
   * order, keyed by their aggregate ids.
   */
  async appendMany<C extends EventContract>(
    contract: C,
    events: readonly { payload: PayloadOf<C>; aggregateId: string }[],
    options: Omit<AppendOptions, 'aggregateId' | 'eventId'> = {},
  ): Promise<number> {
    const tx = this.transaction('appendMany');
    if (events.length === 0) return 0;
    const ids: string[] = [];
    const keys: string[] = [];
    const bodies: string[] = [];
    for (const e of events) {
      const envelope = this.envelope(contract, e.payload, { ...options, aggregateId: e.aggregateId });
      ids.push(envelope.eventId);
      keys.push(e.aggregateId);
      bodies.push(JSON.stringify(envelope));
    }
    await tx.query(
      `WITH appended AS (
         INSERT INTO ${this.schema}.outbox (event_id, topic, message_key, envelope)
         SELECT e.id, $4, e.key, e.body::jsonb FROM unnest($1::uuid[], $2::text[], $3::text[]) WITH ORDINALITY AS e (id, key, body, n) ORDER BY e.n
         RETURNING 1
       )
       SELECT pg_notify($5, '') FROM (SELECT 1 FROM appended LIMIT 1) a`,
      [ids, keys, bodies, contract.topic, outboxChannel(this.schema)],
    );
    return events.length;
  }

  private transaction(method: string) {
    const tx = TransactionHost.ambientManager();
    if (!tx?.queryRunner?.isTransactionActive) throw new Error(`OutboxWriter.${method} must run inside a transaction`);
    return tx;
  }

  private envelope<C extends EventContract>(contract: C, payload: PayloadOf<C>, options: AppendOptions): EventEnvelope<PayloadOf<C>> {
    const problems = payloadProblems(contract, payload);
    if (problems) throw new Error(`event ${contract.eventType} v${contract.eventVersion} payload violates its contract: ${problems}`);
    const ctx = currentContext();
    return {
      eventId: options.eventId ?? randomUUID(),
      eventType: contract.eventType,
      eventVersion: contract.eventVersion,
      occurredAt: (options.occurredAt ?? new Date()).toISOString(),
      producer: this.producer,
      aggregateType: contract.aggregateType,
      aggregateId: options.aggregateId,
      correlationId: options.correlationId ?? ctx?.correlationId ?? randomUUID(),
      causationId: options.causationId !== undefined ? options.causationId : (ctx?.causationId ?? null),
      payload,
    };
  }
}
