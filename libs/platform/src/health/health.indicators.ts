import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Admin, Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { MessagingLifecycle } from '../messaging/messaging.lifecycle';
import { PLATFORM_KAFKA } from '../platform.tokens';

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms).unref()),
  ]);
}

/**
 * The readiness checks of a service as @nestjs/terminus indicators: the database answers, the broker
 * answers, and messaging runs (consumers started, not shutting down, no partition of any group stalled
 * on a transiently failing message). A down result carries the cause as `message` for the log only.
 */
@Injectable()
export class PlatformHealthIndicators implements OnModuleDestroy {
  private admin?: Admin;

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly messaging: MessagingLifecycle,
    @Inject(PLATFORM_KAFKA) private readonly kafka: Kafka,
  ) {}

  async database(): Promise<HealthIndicatorResult<'database'>> {
    const check = this.indicators.check('database');
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), 2000, 'database');
      return check.up();
    } catch (err) {
      return check.down({ message: (err as Error).message });
    }
  }

  async kafkaBroker(): Promise<HealthIndicatorResult<'kafka'>> {
    const check = this.indicators.check('kafka');
    try {
      if (!this.admin) {
        this.admin = this.kafka.admin();
        await withTimeout(this.admin.connect(), 3000, 'kafka connect');
      }
      await withTimeout(this.admin.describeCluster(), 2000, 'kafka');
      return check.up();
    } catch (err) {
      const admin = this.admin;
      this.admin = undefined;
      void admin?.disconnect().catch(() => undefined);
      return check.down({ message: (err as Error).message });
    }
  }

  messagingRunning(): HealthIndicatorResult<'messaging'> {
    const check = this.indicators.check('messaging');
    if (!this.messaging.started || this.messaging.shuttingDown) {
      return check.down({ message: this.messaging.shuttingDown ? 'shutting down' : 'not started' });
    }
    const stalled = this.messaging.stalledPartitions();
    if (stalled.length === 0) return check.up();
    return check.down({
      message: stalled
        .map(
          (s) =>
            `group ${s.groupId} stalled on ${s.topic} partition ${s.partition} at offset ${s.offset} since ${s.since.toISOString()}: ${s.reason}`,
        )
        .join('; '),
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
  }
}
