import type { ServiceDefinition } from '@eisss/platform';
import { AppModule } from './app.module';
import { VerificationConfigSchema, type VerificationConfig } from './config/config';
import { migrations } from './migrations';

export const definition: ServiceDefinition<VerificationConfig> = {
  service: 'verification',
  schema: 'verification',
  port: 3003,
  title: 'Верифікація (verification)',
  description: 'Checks of applicants and recipients against other state registers; findings.',
  configSchema: VerificationConfigSchema,
  migrations,
  appModule: (config) => AppModule.register(config),
};
