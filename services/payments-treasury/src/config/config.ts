import type { BaseConfig } from '@eisss/platform';
import { Type, type Static } from '@sinclair/typebox';

/** Settings of payments-treasury beyond the platform's (see BaseConfigSchema). */
export const PaymentsTreasuryConfigSchema = Type.Object({});
export type PaymentsTreasuryConfig = BaseConfig & Static<typeof PaymentsTreasuryConfigSchema>;
