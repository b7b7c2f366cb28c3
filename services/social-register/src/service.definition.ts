import type { ServiceDefinition } from '@eisss/platform';
import { AppModule } from './app.module';
import { SocialRegisterConfigSchema, type SocialRegisterConfig } from './config/config';
import { migrations } from './migrations';

export const definition: ServiceDefinition<SocialRegisterConfig> = {
  service: 'social-register',
  schema: 'social_register',
  port: 3001,
  title: 'Єдиний соціальний реєстр (social-register)',
  description: 'Persons, households, statuses, entitlements and their use; registry of providers.',
  configSchema: SocialRegisterConfigSchema,
  migrations,
  appModule: (config) => AppModule.register(config),
};
