import { Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { BaseConfig } from '../config/config';
import { correlationMiddleware } from '../context/request-context';
import { admissionControl } from '../http/admission';
import { HealthController } from '../health/health.controller';
import { PlatformHealthIndicators } from '../health/health.indicators';
import { TerminusModule } from '@nestjs/terminus';
import { RequestInputGuard } from '../http/input.guard';
import { InboxTransport } from '../messaging/inbox.transport';
import { MessagingLifecycle } from '../messaging/messaging.lifecycle';
import { MetricsController } from '../metrics/metrics.controller';
import { PlatformMetrics } from '../metrics/metrics';

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
 * JSON.parse is iterative in V8 and so survives any nesting the size limit lets through. Admission control
 * (HTTP_MAX_CONCURRENT at once, 503 SERVICE_BUSY after HTTP_QUEUE_TIMEOUT_MS of waiting) keeps an overload
 * from starving the work already taken.
 */
export function configureApp(
  app: INestApplication,
  d: ServiceDescription,
  where: OperatorEndpoints = { docs: true },
  config?: Pick<BaseConfig, 'HTTP_MAX_CONCURRENT' | 'HTTP_QUEUE_TIMEOUT_MS'>,
): void {
  app.use(correlationMiddleware);
  app.use(
    admissionControl({
      maxConcurrent: config?.HTTP_MAX_CONCURRENT ?? 64,
      queueTimeoutMs: config?.HTTP_QUEUE_TIMEOUT_MS ?? 2000,
      // Counted in the service's metrics (an app of a unit spec, without config, has no PlatformModule).
      onShed: config ? () => app.get(PlatformMetrics).httpShed.inc() : undefined,
    }),
  );
  app.useGlobalGuards(new RequestInputGuard());
  const http = app.getHttpAdapter().getInstance();
  http.disable?.('x-powered-by');
  // Express 5's extended parser is qs with its default depth (5) and array limit (20): no deep query objects.
  http.set?.('query parser', 'extended');
  if (where.managementPort) {
    // Operators' endpoints live on the management port; on the public port they do not exist.
    for (const path of OPERATOR_PATHS)
      http.use?.(path, (_req: unknown, res: { status(n: number): { json(b: unknown): void } }) =>
        res.status(404).json({ error: { code: 'NOT_FOUND', message: 'not found' } }),
      );
  } else if (where.docs) setUpDocs(app, app, d);
}

/**
 * Initialises the app (every provider's onModuleInit/onApplicationBootstrap: keys loaded, relay started) and
 * then starts its consumers: the InboxTransport as the app's microservice (inheriting the app's global
 * guards, pipes, interceptors and the exception filter), which runs the `@EventPattern` handlers of the
 * service's controllers. Call before `listen`, so the HTTP port answers only once the consumers run.
 */
export async function startMessaging(app: INestApplication): Promise<void> {
  app.connectMicroservice({ strategy: new InboxTransport(app.get(MessagingLifecycle)) }, { inheritAppConfig: true });
  await app.init();
  await app.startAllMicroservices();
}

/** Where the operators' endpoints are: /metrics and /docs on a management port, or (dev, tests) on the service port. */
export interface OperatorEndpoints {
  docs: boolean;
  managementPort?: number;
}

const OPERATOR_PATHS = ['/metrics', '/docs', '/docs-json'];

/** The management port (default 9464 in production, none elsewhere) and whether the OpenAPI documents are served (default: not in production). */
export function operatorEndpoints(config: BaseConfig): OperatorEndpoints {
  const production = config.NODE_ENV === 'production';
  return { docs: config.API_DOCS ?? !production, managementPort: config.MANAGEMENT_PORT ?? (production ? 9464 : undefined) };
}

function setUpDocs(host: INestApplication, api: INestApplication, d: ServiceDescription): void {
  const doc = new DocumentBuilder()
    .setTitle(d.title)
    .setDescription(d.description)
    .setVersion(d.version ?? '1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addGlobalParameters({
      name: 'x-correlation-id',
      in: 'header',
      required: false,
      description: 'correlation id, echoed back and carried on every event',
    })
    .build();
  SwaggerModule.setup('docs', host, () => SwaggerModule.createDocument(api, doc), { jsonDocumentUrl: 'docs-json' });
}

@Module({})
class ManagementModule {
  /** Metrics and health of the running service (its own instances), for the management port. */
  static of(app: INestApplication): DynamicModule {
    return {
      module: ManagementModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [MetricsController, HealthController],
      // The service's own indicators and metrics: the messaging lifecycle behind them stays the service
      // app's alone (a provider here would have its start and shutdown hooks run a second time).
      providers: [
        { provide: PlatformHealthIndicators, useValue: app.get(PlatformHealthIndicators) },
        { provide: PlatformMetrics, useValue: app.get(PlatformMetrics) },
      ],
    };
  }
}

/** The management server: /metrics, /health and (when enabled) /docs of the service, on a port only operators reach. */
async function startManagement(
  app: INestApplication,
  config: BaseConfig,
  d: ServiceDescription,
  where: OperatorEndpoints,
): Promise<INestApplication> {
  const mgmt = await NestFactory.create(ManagementModule.of(app), { logger: false, abortOnError: false });
  mgmt.useLogger(app.get(Logger));
  mgmt.getHttpAdapter().getInstance().disable?.('x-powered-by');
  if (where.docs) setUpDocs(mgmt, app, d);
  await mgmt.listen(where.managementPort!, config.HOST);
  return mgmt;
}

/** Boots a service: validated config, JSON logger, listen; exits non-zero on a failed start. */
export async function bootstrapService(module: unknown, config: BaseConfig, d: ServiceDescription): Promise<INestApplication> {
  const app = await NestFactory.create(module as never, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  const where = operatorEndpoints(config);
  configureApp(app, d, where, config);
  let mgmt: INestApplication | undefined;
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
        .then(() => mgmt?.close())
        .then(() => process.exit(0))
        .catch((err: unknown) => {
          process.stderr.write(`${d.service}: shutdown failed: ${(err as Error).message}\n`);
          process.exit(1);
        });
    });
  }
  // The management port first: when the service port answers ready, the operators' port does too.
  await startMessaging(app);
  if (where.managementPort) mgmt = await startManagement(app, config, d, where);
  await app.listen(config.PORT, config.HOST);
  const url = await app.getUrl();
  const ops = where.managementPort
    ? `management port ${where.managementPort}: /metrics, /health${where.docs ? ', /docs' : ''}`
    : `${where.docs ? `docs ${url}/docs, ` : ''}metrics ${url}/metrics`;
  app.get(Logger).log(`${d.service} listening on ${url} (${ops})`);
  return app;
}
