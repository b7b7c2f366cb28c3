import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process: default Node metrics plus the platform's HTTP and messaging metrics. */
export class PlatformMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Histogram<'method' | 'route' | 'status'>;
  /** Requests answered 503 SERVICE_BUSY by admission control (they waited HTTP_QUEUE_TIMEOUT_MS for their turn). */
  readonly httpShed: Counter;
  readonly eventsConsumed: Counter<'topic' | 'group' | 'outcome'>;
  readonly eventsPublished: Counter<'service'>;
  readonly outboxPending: Gauge<'service'>;
  /** Partitions paused after CONSUMER_MAX_RETRIES transient failures of one message, by consumer group. */
  readonly consumerStalls: Counter<'group'>;
  /** Partitions paused now (stalled and not yet resumed), by consumer group. */
  readonly consumerStalledPartitions: Gauge<'group'>;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.httpRequests = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.httpShed = new Counter({
      name: 'http_requests_shed_total',
      help: 'Requests answered 503 SERVICE_BUSY because they waited HTTP_QUEUE_TIMEOUT_MS behind HTTP_MAX_CONCURRENT others',
      registers: [this.registry],
    });
    this.eventsConsumed = new Counter({
      name: 'events_consumed_total',
      help: 'Events handled by consumers, by outcome (processed, duplicate, dead_lettered)',
      labelNames: ['topic', 'group', 'outcome'],
      registers: [this.registry],
    });
    this.eventsPublished = new Counter({
      name: 'outbox_events_published_total',
      help: 'Events published by the outbox relay',
      labelNames: ['service'],
      registers: [this.registry],
    });
    this.outboxPending = new Gauge({
      name: 'outbox_pending_events',
      help: 'Committed events not yet published',
      labelNames: ['service'],
      registers: [this.registry],
    });
    this.consumerStalls = new Counter({
      name: 'consumer_partition_stalls_total',
      help: 'Partitions a consumer group paused after a message failed transiently CONSUMER_MAX_RETRIES times',
      labelNames: ['group'],
      registers: [this.registry],
    });
    this.consumerStalledPartitions = new Gauge({
      name: 'consumer_stalled_partitions',
      help: 'Partitions a consumer group holds paused until the cause of their transient failure goes away',
      labelNames: ['group'],
      registers: [this.registry],
    });
  }
}
