import type { NextFunction, Request, Response } from 'express';
import { currentCorrelationId } from '../context/request-context';

export interface AdmissionOptions {
  /** Requests worked on at once (HTTP_MAX_CONCURRENT); the next ones wait in arrival order. */
  maxConcurrent: number;
  /** The longest a request waits for its turn (HTTP_QUEUE_TIMEOUT_MS); then it is answered 503 SERVICE_BUSY. */
  queueTimeoutMs: number;
  /** Paths never held back (probes and scrapes must answer while the service is busy). */
  exempt?: (path: string) => boolean;
  /** Told of every request answered 503 because it waited too long. */
  onShed?: (req: Request) => void;
}

interface Waiter {
  start: () => void;
  timer: NodeJS.Timeout;
}

const PROBES = /^\/(health|metrics)(\/|$)/;

/**
 * Admission control of a service's HTTP port: at most `maxConcurrent` requests are worked on at once, the
 * others wait in arrival order, and one that waited `queueTimeoutMs` is answered at once with 503
 * SERVICE_BUSY and `Retry-After: 1`, nothing of it done. Under an overload the service so keeps its pool
 * connections and its event loop for the work it has taken (its consumers included) instead of starting
 * every request and finishing none in time; a client's retry is safe (idempotency keys). Probes and
 * /metrics are never held back.
 */
export function admissionControl(o: AdmissionOptions): (req: Request, res: Response, next: NextFunction) => void {
  let active = 0;
  const queue: Waiter[] = [];
  const exempt = o.exempt ?? ((path: string) => PROBES.test(path));

  const drain = () => {
    while (active < o.maxConcurrent && queue.length > 0) {
      const w = queue.shift()!;
      clearTimeout(w.timer);
      w.start();
    }
  };

  return (req, res, next) => {
    if (exempt(req.path)) return next();
    const start = () => {
      active++;
      let done = false;
      const finished = () => {
        if (done) return;
        done = true;
        active--;
        drain();
      };
      res.once('finish', finished);
      res.once('close', finished);
      next();
    };
    if (active < o.maxConcurrent && queue.length === 0) return start();
    const waiter: Waiter = {
      start,
      timer: setTimeout(() => {
        const i = queue.indexOf(waiter);
        if (i >= 0) queue.splice(i, 1);
        o.onShed?.(req);
        if (res.headersSent || res.destroyed) return;
        res.setHeader('retry-after', '1');
        res.status(503).json({
          error: {
            code: 'SERVICE_BUSY',
            message: `the service is at its limit of ${o.maxConcurrent} requests at once and this one waited ${o.queueTimeoutMs} ms; retry after a second`,
            correlationId: currentCorrelationId(),
          },
        });
      }, o.queueTimeoutMs),
    };
    queue.push(waiter);
    // A client that gave up while waiting frees its place.
    res.once('close', () => {
      const i = queue.indexOf(waiter);
      if (i < 0) return;
      queue.splice(i, 1);
      clearTimeout(waiter.timer);
    });
  };
}
