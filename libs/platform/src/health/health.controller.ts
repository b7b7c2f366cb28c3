import { Controller, Get, HttpStatus, Logger, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Response } from 'express';
import { Public } from '../auth/auth.guard';
import { PlatformHealthIndicators } from './health.indicators';

type Checks = Record<string, { status: 'up' | 'down' }>;

/**
 * Liveness (the process answers) and readiness (@nestjs/terminus over the PlatformHealthIndicators:
 * database, broker, messaging). The answer says only up or down per check: why a check failed goes to
 * the log, never to the caller (it may name hosts, users or internal state).
 */
@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('health');

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: PlatformHealthIndicators,
  ) {}

  @Get('live')
  live() {
    return { status: 'up' };
  }

  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  async ready(@Res() res: Response): Promise<void> {
    let result: HealthCheckResult;
    try {
      result = await this.health.check([
        () => this.indicators.database(),
        () => this.indicators.kafkaBroker(),
        () => this.indicators.messagingRunning(),
      ]);
    } catch (err) {
      if (!(err instanceof ServiceUnavailableException)) throw err;
      result = err.getResponse() as HealthCheckResult;
    }
    const details: HealthIndicatorResult = result.details ?? {};
    const checks: Checks = {};
    const failures: Record<string, unknown> = {};
    for (const [name, d] of Object.entries(details)) {
      checks[name] = { status: d.status === 'up' ? 'up' : 'down' };
      if (d.status !== 'up') failures[name] = d.message ?? d.status;
    }
    const up = result.status === 'ok';
    if (!up) this.logger.warn({ failures }, 'not ready');
    res.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({ status: up ? 'up' : 'down', checks });
  }
}
