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
    const tx = TransactionHost.ambientManager();
    if (!tx?.queryRunner?.isTransactionActive) throw new Error('OutboxWriter.append must run inside a transaction');
    const problems = payloadProblems(contract, payload);
    if (problems) throw new Error(`event ${contract.eventType} v${contract.eventVersion} payload violates its contract: ${problems}`);
    const ctx = currentContext();
    const envelope: EventEnvelope<PayloadOf<C>> = {
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
}
