import { Role } from '@eisss/contracts';
import { PLATFORM_CONFIG } from '@eisss/platform';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { CaseManagementConfig } from '../config/config';
import { DeadlinesService } from './deadlines.service';

/** The scan's interval in the scheduler registry. */
export const DEADLINE_SCAN_INTERVAL = 'case-deadline-scan';

/**
 * Runs the deadline scan periodically when CASE_DEADLINE_SCAN_INTERVAL_MS > 0 (an interval in the
 * SchedulerRegistry). Replicas may scan at the same time: the (case, stage) notice key makes the event go out once.
 */
@Injectable()
export class DeadlineScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeadlineScheduler.name);
  /** True while the interval is registered. */
  private scheduled = false;
  private running?: Promise<unknown>;

  constructor(
    private readonly deadlines: DeadlinesService,
    @Inject(PLATFORM_CONFIG) private readonly config: CaseManagementConfig,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.CASE_DEADLINE_SCAN_INTERVAL_MS ?? 0;
    if (every <= 0) return;
    const timer = setInterval(() => void this.tick(), every);
    timer.unref();
    this.scheduler.addInterval(DEADLINE_SCAN_INTERVAL, timer);
    this.scheduled = true;
  }

  async onApplicationShutdown(): Promise<void> {
    // The schedule module may have cleared its registry on shutdown already.
    if (this.scheduled && this.scheduler.doesExist('interval', DEADLINE_SCAN_INTERVAL))
      this.scheduler.deleteInterval(DEADLINE_SCAN_INTERVAL);
    this.scheduled = false;
    await this.running;
  }

  /** One scan (skipped while the previous one runs). */
  tick(): Promise<unknown> {
    if (this.running) return this.running;
    this.running = this.deadlines
      .scanDeadlines({ id: 'system:deadline-scan', roles: [Role.System], territory: 'UA' })
      .catch((err: Error) => this.logger.warn(`deadline scan failed: ${err.message}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
