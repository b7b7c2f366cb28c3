import type { BaseConfig } from '@eisss/platform';
import { Type, type Static } from '@sinclair/typebox';

/** Settings of verification beyond the platform's (see BaseConfigSchema). */
export const VerificationConfigSchema = Type.Object({});
export type VerificationConfig = BaseConfig & Static<typeof VerificationConfigSchema>;
