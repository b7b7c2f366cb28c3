import type { BaseConfig } from '@eisss/platform';
import { Type, type Static } from '@sinclair/typebox';

/** Settings of verification beyond the platform's (see BaseConfigSchema). */
export const VerificationConfigSchema = Type.Object({
  VERIFICATION_CURRENT_RUN_PAGE_SIZE: Type.Integer({
    minimum: 1,
    maximum: 100000,
    default: 1000,
    description: 'active assignments per page of the monthly check',
  }),
  VERIFICATION_PULL_BASE_URL: Type.String({
    default: '',
    description: 'base URL of the on-demand register pull gateway; empty = no pull (events only)',
  }),
  VERIFICATION_PULL_TIMEOUT_MS: Type.Integer({ minimum: 50, maximum: 120000, default: 5000 }),
  VERIFICATION_PULL_RETRIES: Type.Integer({ minimum: 0, maximum: 10, default: 2 }),
  VERIFICATION_PULL_RETRY_BASE_MS: Type.Integer({ minimum: 1, maximum: 60000, default: 200 }),
  VERIFICATION_PULL_BREAKER_FAILURES: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
  VERIFICATION_PULL_BREAKER_COOLDOWN_MS: Type.Integer({ minimum: 10, maximum: 3600000, default: 30000 }),
});
export type VerificationConfig = BaseConfig & Static<typeof VerificationConfigSchema>;
