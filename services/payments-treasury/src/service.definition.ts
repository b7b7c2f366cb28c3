import type { ServiceDefinition } from '@eisss/platform';
import { AppModule } from './app.module';
import { PaymentsTreasuryConfigSchema, treasuryConfig, type PaymentsTreasuryConfig, type PaymentsTreasuryRawConfig } from './config/config';
import { migrations } from './migrations';

export const definition: ServiceDefinition<PaymentsTreasuryConfig> = {
  service: 'payments-treasury',
  schema: 'payments_treasury',
  port: 3005,
  title: 'Соціальне казначейство (payments-treasury)',
  description: 'Accruals, payroll, bank payment files, reconciliation, returns.',
  configSchema: PaymentsTreasuryConfigSchema,
  migrations,
  // Settings the platform cannot check (no defaults in production) are completed here; a failure
  // rejects the module, so start-up fails with the message naming the variables.
  appModule: (config) => Promise.resolve().then(() => AppModule.register(treasuryConfig(config as unknown as PaymentsTreasuryRawConfig))),
};
