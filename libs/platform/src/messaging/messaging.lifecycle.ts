import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { EventContract } from '@eisss/contracts';
import type { Kafka, Producer } from 'kafkajs';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import type { BaseConfig } from '../config/config';
import { PlatformMetrics } from '../metrics/metrics';
import { EVENT_CONSUMER_METADATA, EVENT_HANDLER_METADATA } from './decorators';
import { InboxConsumer, type HandlerRegistration, type StalledPartition } from './inbox.consumer';
import { OutboxRelay } from './outbox.relay';
import { PLATFORM_CONFIG, PLATFORM_KAFKA, PLATFORM_OPTIONS, type PlatformOptions } from '../platform.tokens';

/**
 * Starts the outbox relay and every `@EventConsumer` group after the app boots; on shutdown stops
 * consuming first (in-flight messages finish and commit), then flushes the outbox. Each group retries
 * a transient failure CONSUMER_MAX_RETRIES times (backoff from CONSUMER_RETRY_BASE_MS, capped at 30 s),
 * then stalls the partition until the database answers again (see InboxConsumer).
 */
@Injectable()
export class MessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MessagingLifecycle.name);
  private relay?: OutboxRelay;
  private consumers: InboxConsumer[] = [];
  private dlqProducer?: Producer;
  private metricsTimer?: NodeJS.Timeout;
  shuttingDown = false;
  started = false;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
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

  /** The consumer groups found on providers, with their handlers. */
  discoverGroups(): Map<string, HandlerRegistration[]> {
    const groups = new Map<string, HandlerRegistration[]>();
    for (const wrapper of this.discovery.getProviders()) {
      const { instance, metatype } = wrapper;
      if (!instance || !metatype) continue;
      const groupId: string | undefined = Reflect.getMetadata(EVENT_CONSUMER_METADATA, metatype);
      if (!groupId) continue;
      const proto = Object.getPrototypeOf(instance);
      for (const method of this.scanner.getAllMethodNames(proto)) {
        const contracts: EventContract[] | undefined = Reflect.getMetadata(EVENT_HANDLER_METADATA, proto, method);
        if (!contracts) continue;
        const list = groups.get(groupId) ?? [];
        for (const contract of contracts) list.push({ contract, handle: (event, tx) => instance[method](event, tx) });
        groups.set(groupId, list);
      }
    }
    return groups;
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
      this.metricsTimer = setInterval(() => {
        this.relay
          ?.pendingCount()
          .then((n) => this.metrics.outboxPending.set({ service: this.options.service }, n))
          .catch(() => undefined);
      }, 15000);
      this.metricsTimer.unref();
    }
    if (this.options.messaging?.consumers !== false) {
      const groups = this.discoverGroups();
      if (groups.size > 0) {
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
          logger,
          metrics: this.metrics,
        });
        await consumer.start();
        this.consumers.push(consumer);
        this.logger.log(`consumer group ${groupId} started (${handlers.map((h) => h.contract.topic).join(', ')})`);
      }
    }
    this.started = true;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    if (this.metricsTimer) clearInterval(this.metricsTimer);
    await Promise.all(
      this.consumers.map((c) => c.stop().catch((err) => this.logger.warn(`consumer ${c.groupId} stop: ${(err as Error).message}`))),
    );
    await this.dlqProducer?.disconnect().catch(() => undefined);
    await this.relay?.stop(this.config.SHUTDOWN_TIMEOUT_MS);
  }
}
