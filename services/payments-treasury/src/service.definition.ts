import type { ServiceDefinition } from '@eisss/platform';
import { AppModule } from './app.module';
import { PaymentsTreasuryConfigSchema, type PaymentsTreasuryConfig } from './config/config';
import { migrations } from './migrations';

export const definition: ServiceDefinition<PaymentsTreasuryConfig> = {
  service: 'payments-treasury',
  schema: 'payments_treasury',
  port: 3005,
  title: 'Соціальне казначейство (payments-treasury)',
  description: 'Accruals, payroll, bank payment files, reconciliation, returns.',
  configSchema: PaymentsTreasuryConfigSchema,
  migrations,
  appModule: (config) => AppModule.register(config),
};
