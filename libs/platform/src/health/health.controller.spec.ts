import type { Response } from 'express';
import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { MessagingLifecycle } from '../messaging/messaging.lifecycle';
import { HealthController } from './health.controller';
import { operatorEndpoints } from '../bootstrap/bootstrap';
import type { BaseConfig } from '../config/config';

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
    const kafka = { admin: () => ({ connect: () => Promise.reject(new Error(`SASL: ${secret}`)), disconnect: () => Promise.resolve() }) } as unknown as Kafka;
    const messaging = { started: false, shuttingDown: false } as MessagingLifecycle;
    const { status, body } = await answer(new HealthController(db, messaging, kafka));
    expect(status).toBe(503);
    expect(body).toEqual({ status: 'down', checks: { database: { status: 'down' }, kafka: { status: 'down' }, messaging: { status: 'down' } } });
    expect(JSON.stringify(body)).not.toMatch(/password|10\.0\.3\.7|SASL/);
  });
});

describe('operator endpoints', () => {
  const config = (o: Partial<BaseConfig>) => ({ NODE_ENV: 'development', ...o }) as BaseConfig;
  it('keeps docs off and metrics on port 9464 in production unless configured', () => {
    expect(operatorEndpoints(config({ NODE_ENV: 'production' }))).toEqual({ docs: false, managementPort: 9464 });
    expect(operatorEndpoints(config({ NODE_ENV: 'production', API_DOCS: true, MANAGEMENT_PORT: 9100 }))).toEqual({ docs: true, managementPort: 9100 });
  });
  it('serves docs and metrics on the service port in development and tests by default', () => {
    expect(operatorEndpoints(config({}))).toEqual({ docs: true, managementPort: undefined });
    expect(operatorEndpoints(config({ NODE_ENV: 'test', API_DOCS: false }))).toEqual({ docs: false, managementPort: undefined });
  });
});
