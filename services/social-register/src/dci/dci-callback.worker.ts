import { Clock, PLATFORM_CONFIG, PlatformMetrics } from '@eisss/platform';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Counter, Gauge } from 'prom-client';
import type { SocialRegisterConfig } from '../config/config';
import { DciCallbackClient } from './dci.callback';
import { deliveryUrl } from './dci-callback-target';
import { DciClientRepository, type CallbackRow } from './dci-clients.repository';

const BATCH = 20;
const MAX_BACKOFF_MS = 60 * 60 * 1000;
/** The worker's polling interval in the scheduler registry. */
export const DCI_CALLBACK_INTERVAL = 'dci-callback-delivery';

/**
 * Delivers the callback outbox (dci_callback): async answers and notifications are written there in
 * the transaction that decides them, and posted here, outside any inbox or request transaction. A
 * failed attempt is retried with exponential backoff (DCI_CALLBACK_RETRY_BASE_MS × 2^(attempt−1), at
 * most an hour); after DCI_CALLBACK_MAX_ATTEMPTS it is dead and the transaction or notification it
 * reports records the failure. Each callback goes where dci-callback-target.ts says by the client's
 * registration as it is now: the request's sender_uri as given while it is still under the registered
 * address (else it is dead), or the registered default — a client re-pointed meanwhile gets it at the
 * new address; a deactivated one gets nothing.
 */
@Injectable()
export class DciCallbackWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DciCallbackWorker');
  /** True while the polling interval is registered (a round stops early once it is not). */
  private polling = false;
  private running?: Promise<unknown>;
  private readonly outcomes: Counter<'endpoint' | 'outcome'>;
  private readonly pending: Gauge;

  constructor(
    private readonly repo: DciClientRepository,
    private readonly client: DciCallbackClient,
    @Inject(PLATFORM_CONFIG) private readonly config: SocialRegisterConfig,
    metrics: PlatformMetrics,
    private readonly clock: Clock,
    private readonly scheduler: SchedulerRegistry,
  ) {
    this.outcomes =
      (metrics.registry.getSingleMetric('dci_callbacks_total') as Counter<'endpoint' | 'outcome'> | undefined) ??
      new Counter({
        name: 'dci_callbacks_total',
        help: 'DCI callback attempts by endpoint and outcome (delivered, retry, dead)',
        labelNames: ['endpoint', 'outcome'],
        registers: [metrics.registry],
      });
    this.pending =
      (metrics.registry.getSingleMetric('dci_callbacks_pending') as Gauge | undefined) ??
      new Gauge({ name: 'dci_callbacks_pending', help: 'DCI callbacks waiting for delivery', registers: [metrics.registry] });
  }

  onApplicationBootstrap(): void {
    const every = this.config.DCI_CALLBACK_POLL_INTERVAL_MS;
    if (every <= 0) return;
    const timer = setInterval(() => void this.tick(), every);
    timer.unref();
    this.scheduler.addInterval(DCI_CALLBACK_INTERVAL, timer);
    this.polling = true;
  }

  async onApplicationShutdown(): Promise<void> {
    // The schedule module may have cleared its registry on shutdown already.
    if (this.polling && this.scheduler.doesExist('interval', DCI_CALLBACK_INTERVAL)) this.scheduler.deleteInterval(DCI_CALLBACK_INTERVAL);
    this.polling = false;
    await this.running;
  }

  /** One polling round (skipped while the previous one runs). */
  tick(): Promise<unknown> {
    if (this.running) return this.running;
    this.running = this.drain()
      .catch((err: Error) => this.logger.warn(`callback delivery round failed: ${err.message}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async drain(): Promise<void> {
    for (let round = 0; round < 10 && this.polling; round++) {
      const due = await this.repo.claimDue(BATCH, this.config.DCI_CALLBACK_TIMEOUT_MS * 3 + 1000);
      await Promise.all(due.map((c) => this.deliver(c)));
      if (due.length < BATCH) break;
    }
    this.pending.set(await this.repo.pendingCount());
  }

  private async deliver(c: CallbackRow): Promise<void> {
    const client = await this.repo.bySender(c.senderId);
    const url = client ? deliveryUrl(client, c) : null;
    let result: { ok: boolean; status: number | null; error?: string };
    if (!client || !client.active) result = { ok: false, status: null, error: 'the DCI client is not registered or not active' };
    else if (!c.body) result = { ok: false, status: null, error: 'the callback has no body' };
    else if (!url)
      result = { ok: false, status: null, error: 'the sender_uri is no longer under the callback address registered for the client' };
    else {
      result = await this.client.post(url, c.body, client.allowPrivateAddress);
    }
    if (result.ok) {
      await this.repo.markDelivered(c, result.status!);
      this.outcomes.inc({ endpoint: c.endpoint, outcome: 'delivered' });
      return;
    }
    const permanent = !client || !client.active || !c.body || !url;
    const dead = permanent || c.attempts >= this.config.DCI_CALLBACK_MAX_ATTEMPTS;
    const delay = Math.min(this.config.DCI_CALLBACK_RETRY_BASE_MS * 2 ** Math.max(0, c.attempts - 1), MAX_BACKOFF_MS);
    await this.repo.markFailed(c, result.status, result.error ?? 'failed', dead ? null : new Date(this.clock.now().getTime() + delay));
    this.outcomes.inc({ endpoint: c.endpoint, outcome: dead ? 'dead' : 'retry' });
    // The sender, endpoint and status only: never the URL's query or the body (personal data).
    this.logger.warn(
      `DCI ${c.endpoint} callback ${c.id} to ${c.senderId} failed (attempt ${c.attempts}${dead ? ', dead' : ''}): ${result.error ?? result.status}`,
    );
  }
}
