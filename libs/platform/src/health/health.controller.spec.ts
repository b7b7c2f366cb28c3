import type { Response } from 'express';
import type { Kafka } from 'kafkajs';
import { Test } from '@nestjs/testing';
import { TerminusModule } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { MessagingLifecycle } from '../messaging/messaging.lifecycle';
import { PLATFORM_KAFKA } from '../platform.tokens';
import { PlatformHealthIndicators } from './health.indicators';
import { HealthController } from './health.controller';
import { operatorEndpoints } from '../bootstrap/bootstrap';
import type { BaseConfig } from '../config/config';

/** The controller as Nest builds it: terminus's HealthCheckService over the platform's indicators with these fakes. */
async function readiness(db: DataSource, messaging: MessagingLifecycle, kafka: Kafka): Promise<HealthController> {
  const module = await Test.createTestingModule({
    imports: [TerminusModule.forRoot({ logger: false })],
    controllers: [HealthController],
    providers: [
      PlatformHealthIndicators,
      { provide: DataSource, useValue: db },
      { provide: MessagingLifecycle, useValue: messaging },
      { provide: PLATFORM_KAFKA, useValue: kafka },
    ],
  }).compile();
  return module.get(HealthController);
}

function answer(controller: HealthController) {
  let status = 0;
  let body: unknown;
  const res = { status: (s: number) => ((status = s), res), json: (b: unknown) => (body = b) } as unknown as Response;
  return controller.ready(res).then(() => ({ status, body }));
}

describe('readiness', () => {
  it('says down without the cause when the database and the broker fail', async () => {
    const secret = 'password authentication failed for user "social_register" at 10.0.3.7';
    const db = { query: () => Promise.reject(new Error(secret)) } as unknown as DataSource;
    const kafka = {
      admin: () => ({ connect: () => Promise.reject(new Error(`SASL: ${secret}`)), disconnect: () => Promise.resolve() }),
    } as unknown as Kafka;
    const messaging = { started: false, shuttingDown: false } as MessagingLifecycle;
    const { status, body } = await answer(await readiness(db, messaging, kafka));
    expect(status).toBe(503);
    expect(body).toEqual({
      status: 'down',
      checks: { database: { status: 'down' }, kafka: { status: 'down' }, messaging: { status: 'down' } },
    });
    expect(JSON.stringify(body)).not.toMatch(/password|10\.0\.3\.7|SASL/);
  });
});

describe('operator endpoints', () => {
  const config = (o: Partial<BaseConfig>) => ({ NODE_ENV: 'development', ...o }) as BaseConfig;
  it('keeps docs off and metrics on port 9464 in production unless configured', () => {
    expect(operatorEndpoints(config({ NODE_ENV: 'production' }))).toEqual({ docs: false, managementPort: 9464 });
    expect(operatorEndpoints(config({ NODE_ENV: 'production', API_DOCS: true, MANAGEMENT_PORT: 9100 }))).toEqual({
      docs: true,
      managementPort: 9100,
    });
  });
  it('serves docs and metrics on the service port in development and tests by default', () => {
    expect(operatorEndpoints(config({}))).toEqual({ docs: true, managementPort: undefined });
    expect(operatorEndpoints(config({ NODE_ENV: 'test', API_DOCS: false }))).toEqual({ docs: false, managementPort: undefined });
  });
});

describe('readiness of consumers', () => {
  const db = { query: () => Promise.resolve([{ '?column?': 1 }]) } as unknown as DataSource;
  const kafka = {
    admin: () => ({ connect: () => Promise.resolve(), describeCluster: () => Promise.resolve({}), disconnect: () => Promise.resolve() }),
  } as unknown as Kafka;
  const stalled = {
    groupId: 'social-processing.person-projection',
    topic: 'social-register.person.registered',
    partition: 2,
    offset: '17',
    eventId: 'e-1',
    reason: 'database "eisss" is not currently accepting connections',
    since: new Date(),
  };

  it('says down, without the cause, while a partition of a consumer group is stalled, and up once it resumes', async () => {
    let partitions = [stalled];
    const messaging = { started: true, shuttingDown: false, stalledPartitions: () => partitions } as unknown as MessagingLifecycle;
    const controller = await readiness(db, messaging, kafka);
    const down = await answer(controller);
    expect(down.status).toBe(503);
    expect(down.body).toEqual({
      status: 'down',
      checks: { database: { status: 'up' }, kafka: { status: 'up' }, messaging: { status: 'down' } },
    });
    expect(JSON.stringify(down.body)).not.toMatch(/accepting|person-projection|eisss/);
    partitions = [];
    const up = await answer(controller);
    expect(up.status).toBe(200);
    expect(up.body).toEqual({ status: 'up', checks: { database: { status: 'up' }, kafka: { status: 'up' }, messaging: { status: 'up' } } });
  });
});
