import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Kafka, Producer } from 'kafkajs';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import type { BaseConfig } from '../config/config';
import { PlatformMetrics } from '../metrics/metrics';
import { InboxConsumer, type HandlerRegistration, type StalledPartition } from './inbox.consumer';
import type { InboxConsumerHost } from './inbox.transport';
import { OutboxRelay } from './outbox.relay';
import { PLATFORM_CONFIG, PLATFORM_KAFKA, PLATFORM_OPTIONS, type PlatformOptions } from '../platform.tokens';

/** The SchedulerRegistry name of the outbox-pending gauge's refresh. */
const OUTBOX_PENDING_METRIC = 'platform.outbox-pending-metric';

/**
 * Starts the outbox relay after the app boots, and the consumer groups when the InboxTransport (the app's
 * microservice, see startMessaging) listens; on shutdown stops
 * consuming first (in-flight messages finish and commit), then flushes the outbox. Each group retries
 * a transient failure CONSUMER_MAX_RETRIES times (backoff from CONSUMER_RETRY_BASE_MS, capped at 30 s),
 * then stalls the partition until the database answers again (see InboxConsumer).
 */
@Injectable()
export class MessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, InboxConsumerHost {
  private readonly logger = new Logger(MessagingLifecycle.name);
  private relay?: OutboxRelay;
  private consumers: InboxConsumer[] = [];
  private dlqProducer?: Producer;
  private metricsScheduled = false;
  shuttingDown = false;
  started = false;

  constructor(
    private readonly scheduler: SchedulerRegistry,
    private readonly dataSource: DataSource,
    private readonly metrics: PlatformMetrics,
    private readonly pino: PinoLogger,
    @Inject(PLATFORM_KAFKA) private readonly kafka: Kafka,
    @Inject(PLATFORM_CONFIG) private readonly config: BaseConfig,
    @Inject(PLATFORM_OPTIONS) private readonly options: PlatformOptions,
  ) {}

  /** Partitions of any consumer group paused on a transiently failing message (readiness is down while there are any). */
  stalledPartitions(): StalledPartition[] {
    return this.consumers.flatMap((c) => c.stalledPartitions);
  }

  async onApplicationBootstrap(): Promise<void> {
    const logger = this.pino.logger;
    if (this.options.messaging?.relay !== false) {
      this.relay = new OutboxRelay({
        schema: this.options.schema,
        databaseUrl: this.config.DATABASE_URL,
        kafka: this.kafka,
        topicPrefix: this.config.KAFKA_TOPIC_PREFIX,
        pollIntervalMs: this.config.OUTBOX_POLL_INTERVAL_MS,
        batchSize: this.config.OUTBOX_BATCH_SIZE,
        retentionDays: this.config.OUTBOX_RETENTION_DAYS,
        logger,
        onPublished: (n) => this.metrics.eventsPublished.inc({ service: this.options.service }, n),
      });
      await this.relay.start();
      const timer = setInterval(() => {
        this.relay
          ?.pendingCount()
          .then((n) => this.metrics.outboxPending.set({ service: this.options.service }, n))
          .catch(() => undefined);
      }, 15000);
      timer.unref();
      this.scheduler.addInterval(OUTBOX_PENDING_METRIC, timer);
      this.metricsScheduled = true;
    }
    this.started = true;
  }

  /**
   * Starts one InboxConsumer per consumer group (called by the InboxTransport when the app's microservice
   * listens, with the `@EventPattern` groups it found). Nothing starts when the service runs with
   * `messaging.consumers: false`.
   */
  async startConsumers(groups: Map<string, HandlerRegistration[]>): Promise<void> {
    if (this.options.messaging?.consumers === false) return;
    if (groups.size > 0 && !this.dlqProducer) {
      this.dlqProducer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await this.dlqProducer.connect();
    }
    for (const [groupId, handlers] of groups) {
      const consumer = new InboxConsumer({
        kafka: this.kafka,
        dataSource: this.dataSource,
        schema: this.options.schema,
        groupId,
        topicPrefix: this.config.KAFKA_TOPIC_PREFIX,
        handlers,
        dlqProducer: this.dlqProducer!,
        retryBaseMs: this.config.CONSUMER_RETRY_BASE_MS,
        maxRetries: this.config.CONSUMER_MAX_RETRIES,
        batchSize: this.config.CONSUMER_BATCH_SIZE,
        partitionsConcurrently: this.config.CONSUMER_PARTITIONS_CONCURRENTLY,
        logger: this.pino.logger,
        metrics: this.metrics,
      });
      await consumer.start();
      this.consumers.push(consumer);
      this.logger.log(`consumer group ${groupId} started (${handlers.map((h) => h.contract.topic).join(', ')})`);
    }
  }

  /** Stops every consumer group after its in-flight message (idempotent: shutdown and the transport's close both call it). */
  async stopConsumers(): Promise<void> {
    const consumers = this.consumers;
    this.consumers = [];
    await Promise.all(
      consumers.map((c) => c.stop().catch((err) => this.logger.warn(`consumer ${c.groupId} stop: ${(err as Error).message}`))),
    );
    await this.dlqProducer?.disconnect().catch(() => undefined);
    this.dlqProducer = undefined;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    // The schedule module may have cleared its registry on shutdown already.
    if (this.metricsScheduled && this.scheduler.doesExist('interval', OUTBOX_PENDING_METRIC))
      this.scheduler.deleteInterval(OUTBOX_PENDING_METRIC);
    this.metricsScheduled = false;
    await this.stopConsumers();
    await this.relay?.stop(this.config.SHUTDOWN_TIMEOUT_MS);
  }
}
