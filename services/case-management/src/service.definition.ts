import type { ServiceDefinition } from '@eisss/platform';
import { AppModule } from './app.module';
import { CaseManagementConfigSchema, type CaseManagementConfig } from './config/config';
import { migrations } from './migrations';

export const definition: ServiceDefinition<CaseManagementConfig> = {
  service: 'case-management',
  schema: 'case_management',
  port: 3006,
  title: 'Соціальні послуги (case-management)',
  description: 'Social services cases: needs assessment, individual plans, providers, monitoring.',
  configSchema: CaseManagementConfigSchema,
  migrations,
  appModule: (config) => AppModule.register(config),
};
