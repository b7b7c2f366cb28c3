import { Controller, Get, HttpStatus, Inject, Logger, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Kafka, Admin } from 'kafkajs';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.guard';
import { MessagingLifecycle } from '../messaging/messaging.lifecycle';
import { PLATFORM_KAFKA } from '../platform.tokens';

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms).unref()),
  ]);
}

/**
 * Liveness (the process answers) and readiness (database and broker reachable, consumers started and
 * no partition of any group stalled on a transiently failing message, not shutting down). The answer says only up or down per check: why a check failed goes to the log, never
 * to the caller (it may name hosts, users or internal state).
 */
@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  private admin?: Admin;
  private readonly logger = new Logger('health');

  constructor(
    private readonly dataSource: DataSource,
    private readonly messaging: MessagingLifecycle,
    @Inject(PLATFORM_KAFKA) private readonly kafka: Kafka,
  ) {}

  @Get('live')
  live() {
    return { status: 'up' };
  }

  @Get('ready')
  async ready(@Res() res: Response): Promise<void> {
    const checks: Record<string, { status: 'up' | 'down' }> = {};
    const failures: Record<string, string> = {};
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), 2000, 'database');
      checks.database = { status: 'up' };
    } catch (err) {
      checks.database = { status: 'down' };
      failures.database = (err as Error).message;
    }
    try {
      if (!this.admin) {
        this.admin = this.kafka.admin();
        await withTimeout(this.admin.connect(), 3000, 'kafka connect');
      }
      await withTimeout(this.admin.describeCluster(), 2000, 'kafka');
      checks.kafka = { status: 'up' };
    } catch (err) {
      const admin = this.admin;
      this.admin = undefined;
      void admin?.disconnect().catch(() => undefined);
      checks.kafka = { status: 'down' };
      failures.kafka = (err as Error).message;
    }
    const running = this.messaging.started && !this.messaging.shuttingDown;
    const stalled = running ? this.messaging.stalledPartitions() : [];
    checks.messaging = { status: running && stalled.length === 0 ? 'up' : 'down' };
    if (stalled.length > 0) {
      failures.messaging = stalled
        .map(
          (s) =>
            `group ${s.groupId} stalled on ${s.topic} partition ${s.partition} at offset ${s.offset} since ${s.since.toISOString()}: ${s.reason}`,
        )
        .join('; ');
    }
    const up = Object.values(checks).every((c) => c.status === 'up');
    if (Object.keys(failures).length > 0) this.logger.warn({ failures }, 'not ready');
    res.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({ status: up ? 'up' : 'down', checks });
  }

  async onModuleDestroy(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
  }
}
