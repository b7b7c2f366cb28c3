import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ScheduleModule } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { TransactionHost } from './db/transaction-host';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import { AuditLog } from './auth/audit.service';
import { AuthGuard } from './auth/auth.guard';
import { WorkingCalendar } from './calendar/working-calendar';
import { TokenVerifier } from './auth/token-verifier';
import { kafkaConnection, type BaseConfig } from './config/config';
import { DualControlController } from './dual-control/dual-control.controller';
import { DualControl } from './dual-control/dual-control.service';
import { PlatformExceptionFilter } from './errors/exception.filter';
import { createValidationPipe } from './errors/validation.pipe';
import { HealthController } from './health/health.controller';
import { PlatformHealthIndicators } from './health/health.indicators';
import { TerminusModule } from '@nestjs/terminus';
import { loggerParams } from './logging/logging';
import { createKafka } from './messaging/kafka';
import { MessagingLifecycle } from './messaging/messaging.lifecycle';
import { OutboxWriter } from './messaging/outbox.service';
import { HttpMetricsInterceptor, MetricsController } from './metrics/metrics.controller';
import { PlatformMetrics } from './metrics/metrics';
import { StatementCachingClient } from './db/statement-cache';
import { sessionOptions } from './db/data-source';
import { Clock } from './time/clock';
import { PLATFORM_CONFIG, PLATFORM_KAFKA, PLATFORM_OPTIONS, type PlatformOptions } from './platform.tokens';

/**
 * Everything a service gets from the platform: the database (TypeORM pinned to the service schema),
 * JSON logging with redaction, Kafka with the outbox relay and inbox consumers, the global
 * validation pipe, exception filter and auth guard, health and metrics endpoints, the audit log, the
 * clock (`Clock`) and the working-day calendar (`WorkingCalendar`).
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions, config: BaseConfig): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        ScheduleModule.forRoot(),
        // Readiness logs its own failures (without the causes in the answer): terminus's logger is off.
        TerminusModule.forRoot({ logger: false }),
        LoggerModule.forRoot(loggerParams(options.service, config.LOG_LEVEL)),
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: config.DATABASE_URL,
          schema: options.schema,
          entities: options.entities,
          synchronize: false,
          migrationsRun: false,
          poolSize: config.DATABASE_POOL_MAX,
          applicationName: options.service,
          // Each parameterised statement is parsed and planned once per connection (StatementCachingClient).
          extra: {
            options: sessionOptions(options.schema),
            ...(config.DATABASE_STATEMENT_CACHE !== false ? { Client: StatementCachingClient } : {}),
          },
          retryAttempts: 3,
          retryDelay: 1000,
        }),
      ],
      controllers: [HealthController, MetricsController, ...(options.dualControl ? [DualControlController] : [])],
      providers: [
        { provide: PLATFORM_OPTIONS, useValue: options },
        PlatformHealthIndicators,
        { provide: PLATFORM_CONFIG, useValue: config },
        { provide: TokenVerifier, useValue: TokenVerifier.fromConfig(config) },
        { provide: PlatformMetrics, useValue: new PlatformMetrics(options.service) },
        {
          provide: PLATFORM_KAFKA,
          inject: [PinoLogger],
          useFactory: (pino: PinoLogger) => createKafka({ clientId: options.service, ...kafkaConnection(config), logger: pino.logger }),
        },
        {
          provide: TransactionHost,
          inject: [DataSource],
          useFactory: (ds: DataSource) => TransactionHost.register(new TransactionHost(ds)),
        },
        { provide: OutboxWriter, useValue: new OutboxWriter(options.schema, options.service) },
        { provide: AuditLog, useValue: new AuditLog(options.schema, options.service) },
        { provide: Clock, useValue: new Clock() },
        { provide: WorkingCalendar, useValue: new WorkingCalendar() },
        MessagingLifecycle,
        DualControl,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: PlatformExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: HttpMetricsInterceptor },
      ],
      exports: [
        PLATFORM_CONFIG,
        PLATFORM_KAFKA,
        PLATFORM_OPTIONS,
        PlatformMetrics,
        TransactionHost,
        OutboxWriter,
        AuditLog,
        MessagingLifecycle,
        DualControl,
        Clock,
        WorkingCalendar,
      ],
    };
  }
}
