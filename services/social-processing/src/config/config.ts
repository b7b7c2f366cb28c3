import type { BaseConfig } from '@eisss/platform';
import { Type, type Static } from '@sinclair/typebox';

/** Settings of social-processing beyond the platform's (see BaseConfigSchema). */
export const SocialProcessingConfigSchema = Type.Object({});
export type SocialProcessingConfig = BaseConfig & Static<typeof SocialProcessingConfigSchema>;
