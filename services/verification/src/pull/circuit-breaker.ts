export type CircuitState = 'closed' | 'open' | 'half-open';

export class CircuitOpenError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`circuit open; retry after ${retryAfterMs} ms`);
    this.name = 'CircuitOpenError';
  }
}

/**
 * A small circuit breaker: after `failureThreshold` consecutive failures it opens and refuses
 * calls at once; after `cooldownMs` it lets one trial call through (half-open): success closes
 * it, failure opens it again for another cool-down.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  private trialInFlight = false;

  constructor(
    private readonly options: { failureThreshold: number; cooldownMs: number },
    private readonly now: () => number = Date.now,
  ) {}

  get state(): CircuitState {
    if (this.openedAt === null) return 'closed';
    return this.now() - this.openedAt >= this.options.cooldownMs ? 'half-open' : 'open';
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    const state = this.state;
    if (state === 'open') throw new CircuitOpenError(this.options.cooldownMs - (this.now() - this.openedAt!));
    if (state === 'half-open') {
      if (this.trialInFlight) throw new CircuitOpenError(0);
      this.trialInFlight = true;
    }
    try {
      const result = await call();
      this.failures = 0;
      this.openedAt = null;
      return result;
    } catch (err) {
      this.failures++;
      if (state === 'half-open' || this.failures >= this.options.failureThreshold) this.openedAt = this.now();
      throw err;
    } finally {
      if (state === 'half-open') this.trialInFlight = false;
    }
  }
}
