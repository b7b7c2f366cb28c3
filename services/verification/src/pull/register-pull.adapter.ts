import { CircuitBreaker } from './circuit-breaker';
import type { FactKind } from '../rules/rules';

/** A fact pulled on demand from another register (same shape as the facts that arrive as events). */
export interface PulledFact {
  source: string;
  kind: FactKind;
  reference: string;
  personId: string;
  occurredOn: string;
  data: Record<string, unknown>;
}

/** Pluggable on-demand source of facts about a person for a period (HTTP, a file drop, a stub). */
export interface RegisterPullAdapter {
  readonly name: string;
  pullFacts(personId: string, period: { from: string; to: string }): Promise<PulledFact[]>;
}

export const REGISTER_PULL_ADAPTERS = Symbol('REGISTER_PULL_ADAPTERS');

export interface HttpPullOptions {
  name: string;
  baseUrl: string;
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  breaker: { failureThreshold: number; cooldownMs: number };
}

export class PullError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PullError';
  }
}

const FACT_KINDS = new Set<FactKind>(['death', 'birth', 'border-crossing', 'income', 'deposit', 'vehicle', 'property', 'purchase']);

/**
 * Pulls `GET <baseUrl>/persons/<personId>/facts?from=YYYY-MM-DD&to=YYYY-MM-DD` → `{ "facts": [...] }`.
 * Each attempt has its own timeout (AbortController); network errors, timeouts and 5xx/429 are
 * retried with exponential backoff; every failed call (after retries) counts towards the breaker.
 */
export class HttpRegisterPullAdapter implements RegisterPullAdapter {
  readonly name: string;
  readonly breaker: CircuitBreaker;

  constructor(
    private readonly options: HttpPullOptions,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.name = options.name;
    this.breaker = new CircuitBreaker(options.breaker);
  }

  pullFacts(personId: string, period: { from: string; to: string }): Promise<PulledFact[]> {
    const url = new URL(
      `persons/${encodeURIComponent(personId)}/facts`,
      this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`,
    );
    url.searchParams.set('from', period.from);
    url.searchParams.set('to', period.to);
    return this.breaker.run(() => this.withRetries(() => this.once(url, personId)));
  }

  private async withRetries<T>(attempt: () => Promise<T>): Promise<T> {
    for (let i = 0; ; i++) {
      try {
        return await attempt();
      } catch (err) {
        const retryable = err instanceof PullError ? err.retryable : true;
        if (!retryable || i >= this.options.retries) throw err;
        await new Promise((r) => setTimeout(r, this.options.retryBaseMs * 2 ** i));
      }
    }
  }

  private async once(url: URL, personId: string): Promise<PulledFact[]> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      let res: Response;
      try {
        res = await this.fetchImpl(url, { signal: controller.signal, headers: { accept: 'application/json' } });
      } catch (err) {
        const timedOut = controller.signal.aborted;
        throw new PullError(
          timedOut ? `${this.name}: timed out after ${this.options.timeoutMs} ms` : `${this.name}: ${(err as Error).message}`,
          true,
        );
      }
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        throw new PullError(`${this.name}: HTTP ${res.status}`, res.status >= 500 || res.status === 429, res.status);
      }
      const body = (await res.json()) as { facts?: unknown };
      if (!Array.isArray(body.facts)) throw new PullError(`${this.name}: response has no facts array`, false);
      return body.facts.map((f) => parseFact(f, personId, this.name));
    } finally {
      clearTimeout(timer);
    }
  }
}

function parseFact(raw: unknown, personId: string, source: string): PulledFact {
  const f = raw as Partial<PulledFact>;
  if (
    !f ||
    typeof f.reference !== 'string' ||
    !FACT_KINDS.has(f.kind as FactKind) ||
    typeof f.occurredOn !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}$/.test(f.occurredOn) ||
    typeof f.data !== 'object' ||
    f.data === null
  ) {
    throw new PullError(`${source}: malformed fact in response`, false);
  }
  if (f.personId !== undefined && f.personId !== personId) throw new PullError(`${source}: fact of another person in response`, false);
  return {
    source: typeof f.source === 'string' ? f.source : source,
    kind: f.kind as FactKind,
    reference: f.reference,
    personId,
    occurredOn: f.occurredOn,
    data: f.data,
  };
}
