import type { ServiceDefinition } from '@eisss/platform';
import { AppModule } from './app.module';
import { SocialProcessingConfigSchema, type SocialProcessingConfig } from './config/config';
import { migrations } from './migrations';

export const definition: ServiceDefinition<SocialProcessingConfig> = {
  service: 'social-processing',
  schema: 'social_processing',
  port: 3002,
  title: 'Єдиний соціальний процесинг (social-processing)',
  description: 'Applications, review, decisions, assignments, recalculations.',
  configSchema: SocialProcessingConfigSchema,
  migrations,
  appModule: (config) => AppModule.register(config),
};
