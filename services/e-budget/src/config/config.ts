import type { BaseConfig } from '@eisss/platform';
import { Type, type Static } from '@sinclair/typebox';

/** Settings of e-budget beyond the platform's (see BaseConfigSchema). */
export const EBudgetConfigSchema = Type.Object({});
export type EBudgetConfig = BaseConfig & Static<typeof EBudgetConfigSchema>;
