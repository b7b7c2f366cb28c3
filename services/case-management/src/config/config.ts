import type { BaseConfig } from '@eisss/platform';
import { Type, type Static } from '@sinclair/typebox';

/** Settings of case-management beyond the platform's (see BaseConfigSchema). */
export const CaseManagementConfigSchema = Type.Object({});
export type CaseManagementConfig = BaseConfig & Static<typeof CaseManagementConfigSchema>;
