import { Injectable, Logger } from '@nestjs/common';

/** Where a callback goes: `sender_uri` is the sender's DCI base URL; the register appends the endpoint path. */
export function callbackUrl(senderUri: string, endpoint: 'on-search' | 'on-subscribe' | 'on-unsubscribe' | 'notify'): string {
  return `${senderUri.replace(/\/+$/, '')}/registry/${endpoint}`;
}

/** Posts DCI envelopes to a sender's callback endpoints (on-search, on-subscribe, notify). */
@Injectable()
export class DciCallbackClient {
  private readonly logger = new Logger('DciCallbackClient');

  async post(url: string, body: unknown, timeoutMs = 5000): Promise<{ ok: boolean; status: number | null; error?: string }> {
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) this.logger.warn(`callback ${new URL(url).pathname} answered ${res.status}`);
      return { ok: res.ok, status: res.status };
    } catch (err) {
      this.logger.warn(`callback ${safePath(url)} failed: ${(err as Error).message}`);
      return { ok: false, status: null, error: (err as Error).message };
    }
  }
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '(invalid url)';
  }
}
