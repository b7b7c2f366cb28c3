import { configureApp, serviceConfig, startMessaging, type BaseConfig, type ServiceDefinition } from '@eisss/platform';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';

/** A service running in the test's own process (for a service's integration tests). */
export class ServiceApp {
  private constructor(
    readonly app: INestApplication,
    readonly url: string,
  ) {}

  static async start<C extends BaseConfig>(def: ServiceDefinition<C>, env: Record<string, string>): Promise<ServiceApp> {
    const config = serviceConfig(def, { ...env, PORT: '0', HOST: '127.0.0.1' });
    const app = await NestFactory.create(def.appModule(config) as never, { logger: ['error', 'warn'], abortOnError: false });
    configureApp(app, def, { docs: true }, config);
    await startMessaging(app);
    await app.listen(0, '127.0.0.1');
    return new ServiceApp(app, await app.getUrl());
  }

  http() {
    return request(this.app.getHttpServer());
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}
