import express from 'express';
import type { AddressInfo } from 'node:net';
import { admissionControl } from './admission';

/** An express app behind admission control whose /work requests finish when the test releases them. */
async function serve(maxConcurrent: number, queueTimeoutMs: number) {
  const app = express();
  const pending: (() => void)[] = [];
  let shed = 0;
  let started = 0;
  app.use(admissionControl({ maxConcurrent, queueTimeoutMs, onShed: () => shed++ }));
  app.get('/work', (_req, res) => {
    started++;
    pending.push(() => res.json({ ok: true }));
  });
  app.get('/health/ready', (_req, res) => res.json({ status: 'ok' }));
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    get: (path: string) => fetch(`${url}${path}`),
    releaseOne: () => pending.shift()?.(),
    get started() {
      return started;
    },
    get shed() {
      return shed;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
};

describe(admissionControl.name, () => {
  it('works on at most maxConcurrent requests at once; the next one starts when one finishes', async () => {
    const s = await serve(2, 10000);
    try {
      const answers = [s.get('/work'), s.get('/work'), s.get('/work')];
      await until(() => s.started === 2);
      await new Promise((r) => setTimeout(r, 50));
      expect(s.started).toBe(2);
      s.releaseOne();
      await until(() => s.started === 3);
      s.releaseOne();
      s.releaseOne();
      expect((await Promise.all(answers)).map((r) => r.status)).toEqual([200, 200, 200]);
    } finally {
      await s.close();
    }
  });

  it('answers 503 SERVICE_BUSY with Retry-After to a request that waited too long, without starting it', async () => {
    const s = await serve(1, 100);
    try {
      const first = s.get('/work');
      await until(() => s.started === 1);
      const waited = await s.get('/work');
      expect(waited.status).toBe(503);
      expect(waited.headers.get('retry-after')).toBe('1');
      expect(((await waited.json()) as { error: { code: string } }).error.code).toBe('SERVICE_BUSY');
      expect(s.shed).toBe(1);
      expect(s.started).toBe(1);
      s.releaseOne();
      expect((await first).status).toBe(200);
      // The place is free again.
      const next = s.get('/work');
      await until(() => s.started === 2);
      s.releaseOne();
      expect((await next).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('never holds back the probes', async () => {
    const s = await serve(1, 100000);
    try {
      const busy = s.get('/work');
      await until(() => s.started === 1);
      expect((await s.get('/health/ready')).status).toBe(200);
      s.releaseOne();
      await busy;
    } finally {
      await s.close();
    }
  });
});
