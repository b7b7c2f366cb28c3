import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { BaseConfig } from '../config/config';
import { correlationMiddleware } from '../context/request-context';
import { RequestInputGuard } from '../http/input.guard';

export interface ServiceDescription {
  service: string;
  title: string;
  description: string;
  version?: string;
}

/**
 * What every service app has, in-process tests included: correlation ids, OpenAPI at /docs, shutdown
 * hooks, and the input check of every request (RequestInputGuard: nesting deeper than MAX_INPUT_DEPTH is
 * 400 JSON_TOO_DEEP; a NUL or a lone surrogate in any string or key of the body, query or path is 400
 * VALIDATION_FAILED with the field), which runs after the auth guard and before any pipe. Bodies are
 * read by Nest's JSON parser (100 kB limit: 413 PAYLOAD_TOO_LARGE; bad JSON: 400 MALFORMED_JSON), whose
 * JSON.parse is iterative in V8 and so survives any nesting the size limit lets through.
 */
export function configureApp(app: INestApplication, d: ServiceDescription): void {
  app.use(correlationMiddleware);
  app.useGlobalGuards(new RequestInputGuard());
  const http = app.getHttpAdapter().getInstance();
  http.disable?.('x-powered-by');
  // Express 5's extended parser is qs with its default depth (5) and array limit (20): no deep query objects.
  http.set?.('query parser', 'extended');
  const doc = new DocumentBuilder()
    .setTitle(d.title)
    .setDescription(d.description)
    .setVersion(d.version ?? '1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addGlobalParameters({ name: 'x-correlation-id', in: 'header', required: false, description: 'correlation id, echoed back and carried on every event' })
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'docs-json' });
}

/** Boots a service: validated config, JSON logger, listen; exits non-zero on a failed start. */
export async function bootstrapService(module: unknown, config: BaseConfig, d: ServiceDescription): Promise<INestApplication> {
  const app = await NestFactory.create(module as never, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  configureApp(app, d);
  const timeout = config.SHUTDOWN_TIMEOUT_MS;
  // Graceful shutdown: readiness goes down, consumers stop after their in-flight message, the outbox
  // is flushed, connections close; exit 0. A watchdog exits 1 if that takes longer than the timeout.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        process.stderr.write(`${d.service}: shutdown exceeded ${timeout} ms; exiting\n`);
        process.exit(1);
      }, timeout + 2000).unref();
      app
        .close()
        .then(() => process.exit(0))
        .catch((err: unknown) => {
          process.stderr.write(`${d.service}: shutdown failed: ${(err as Error).message}\n`);
          process.exit(1);
        });
    });
  }
  await app.listen(config.PORT, config.HOST);
  const url = await app.getUrl();
  app.get(Logger).log(`${d.service} listening on ${url} (docs ${url}/docs)`);
  return app;
}
