import { Role } from '@eisss/contracts';
import { PLATFORM_CONFIG } from '@eisss/platform';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { CaseManagementConfig } from '../config/config';
import { CaseService } from './case.service';

/**
 * Runs the deadline scan periodically when CASE_DEADLINE_SCAN_INTERVAL_MS > 0. Replicas may scan at the
 * same time: the (case, stage) notice key makes the event go out once.
 */
@Injectable()
export class DeadlineScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private readonly logger = new Logger(DeadlineScheduler.name);

  constructor(
    private readonly cases: CaseService,
    @Inject(PLATFORM_CONFIG) private readonly config: CaseManagementConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.CASE_DEADLINE_SCAN_INTERVAL_MS ?? 0;
    if (every <= 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.cases
        .scanDeadlines({ id: 'system:deadline-scan', roles: [Role.System], territory: 'UA' })
        .catch((err: Error) => this.logger.warn(`deadline scan failed: ${err.message}`))
        .finally(() => (this.running = undefined));
    }, every);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
