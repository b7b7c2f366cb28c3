import type { Params } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import pino from 'pino';
import { CORRELATION_HEADER } from '../context/request-context';
import { redactPaths, redactValue } from './redaction';

/** The pino options every service logs with: JSON, service name, correlation id, redaction. */
export function pinoOptions(service: string, level: string): pino.LoggerOptions {
  return {
    level,
    base: { service },
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactPaths(), censor: '[REDACTED]' },
    // Any depth, arrays, JSON in strings, snake_case and other spellings of the keys (see redaction.ts).
    formatters: { level: (label) => ({ level: label }), log: (object) => redactValue(object) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? redactValue(a) : a)) as Parameters<typeof method>);
      },
    },
  };
}

export function createPinoLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): pino.Logger {
  return pino(pinoOptions(service, level));
}

/** nestjs-pino parameters: request logs carry the path without its query string (which may hold identifiers). */
export function loggerParams(service: string, level: string): Params {
  return {
    pinoHttp: {
      ...pinoOptions(service, level),
      genReqId: (req: IncomingMessage) => String(req.headers[CORRELATION_HEADER] ?? ''),
      customProps: (req: IncomingMessage) => ({ correlationId: req.headers[CORRELATION_HEADER] }),
      autoLogging: { ignore: (req: IncomingMessage) => /^\/(health|metrics)/.test(req.url ?? '') },
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({
          method: req.method,
          path: String(req.url).split('?')[0],
          id: req.id,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      quietReqLogger: true,
    },
  };
}
