import { Type, type Static, type TSchema } from '@sinclair/typebox';

/**
 * The envelope every event travels in. The payload schema is per event type and version;
 * the envelope is the same for all of them. Ids are UUIDs; times are ISO-8601 instants (UTC).
 */
export const EventEnvelopeSchema = Type.Object(
  {
    eventId: Type.String({ format: 'uuid' }),
    eventType: Type.String({
      pattern: '^[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*$',
      description: '<producer>.<aggregate>.<event>',
    }),
    eventVersion: Type.Integer({ minimum: 1 }),
    occurredAt: Type.String({ format: 'date-time' }),
    producer: Type.String({ minLength: 1 }),
    aggregateType: Type.String({ minLength: 1 }),
    aggregateId: Type.String({ minLength: 1 }),
    correlationId: Type.String({ minLength: 1 }),
    causationId: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
    payload: Type.Unknown(),
  },
  { additionalProperties: false, $id: 'https://eisss.gov.ua/schemas/event-envelope.json' },
);

export type EventEnvelope<P = unknown> = Omit<Static<typeof EventEnvelopeSchema>, 'payload'> & { payload: P };

/** Kafka record headers carried beside the envelope, so that tools can route without parsing JSON. */
export const EnvelopeHeaders = {
  eventId: 'event-id',
  eventType: 'event-type',
  eventVersion: 'event-version',
  correlationId: 'correlation-id',
  causationId: 'causation-id',
  producer: 'producer',
  contentType: 'content-type',
  dlqReason: 'dlq-reason',
  dlqErrorCode: 'dlq-error-code',
  dlqOriginalTopic: 'dlq-original-topic',
  dlqOriginalPartition: 'dlq-original-partition',
  dlqOriginalOffset: 'dlq-original-offset',
  dlqFailedAt: 'dlq-failed-at',
  dlqConsumerGroup: 'dlq-consumer-group',
} as const;

/** A contract for one event type and version: the topic it travels on and the payload schema. */
export interface EventContract<S extends TSchema = TSchema> {
  /** Topic name, which is also the event type with its version: `<producer>.<aggregate>.<event>.v<N>`. */
  readonly topic: string;
  readonly eventType: string;
  readonly eventVersion: number;
  readonly producer: ServiceName | ExternalProducer;
  readonly aggregateType: string;
  /** What the record key is (always the aggregate id). */
  readonly key: string;
  readonly consumers: readonly ServiceName[];
  readonly description: string;
  readonly payload: S;
  readonly fixture: Static<S>;
}

export type PayloadOf<C> = C extends EventContract<infer S> ? Static<S> : never;

export const ServiceNames = [
  'social-register',
  'social-processing',
  'verification',
  'e-budget',
  'payments-treasury',
  'case-management',
] as const;
export type ServiceName = (typeof ServiceNames)[number];

/** Other state registers that publish onto our inbound topics (via their integration adapters). */
export const ExternalProducers = [
  'crvs',
  'border-guard',
  'tax-income',
  'bank-deposits',
  'vehicle-register',
  'property-register',
  'employment-centre',
] as const;
export type ExternalProducer = (typeof ExternalProducers)[number];

export function defineEvent<S extends TSchema>(c: {
  producer: ServiceName | ExternalProducer;
  aggregateType: string;
  event: string;
  version: number;
  consumers: readonly ServiceName[];
  description: string;
  key?: string;
  payload: S;
  fixture: Static<S>;
}): EventContract<S> {
  const eventType = `${c.producer}.${c.aggregateType}.${c.event}`;
  return {
    topic: `${eventType}.v${c.version}`,
    eventType,
    eventVersion: c.version,
    producer: c.producer,
    aggregateType: c.aggregateType,
    key: c.key ?? `${c.aggregateType} id`,
    consumers: c.consumers,
    description: c.description,
    payload: c.payload,
    fixture: c.fixture,
  };
}

export function dlqTopic(topic: string): string {
  return `${topic}.dlq`;
}
