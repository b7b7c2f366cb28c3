import type { BaseConfig } from '@eisss/platform';
import { Type, type Static } from '@sinclair/typebox';

/** Settings of social-register beyond the platform's (see BaseConfigSchema). */
export const SocialRegisterConfigSchema = Type.Object({});
export type SocialRegisterConfig = BaseConfig & Static<typeof SocialRegisterConfigSchema>;
