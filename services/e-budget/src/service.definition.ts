import type { ServiceDefinition } from '@eisss/platform';
import { AppModule } from './app.module';
import { EBudgetConfigSchema, type EBudgetConfig } from './config/config';
import { migrations } from './migrations';

export const definition: ServiceDefinition<EBudgetConfig> = {
  service: 'e-budget',
  schema: 'e_budget',
  port: 3004,
  title: 'Електронний бюджет (e-budget)',
  description: 'Programmes, appropriations, commitments, forecasts, control, reports.',
  configSchema: EBudgetConfigSchema,
  migrations,
  appModule: (config) => AppModule.register(config),
};
