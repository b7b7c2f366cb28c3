import type { BaseConfig } from '@eisss/platform';
import { Type, type Static } from '@sinclair/typebox';

/** Settings of case-management beyond the platform's (see BaseConfigSchema). */
export const CaseManagementConfigSchema = Type.Object({
  CASE_DEADLINE_SCAN_INTERVAL_MS: Type.Integer({
    minimum: 0,
    default: 0,
    description:
      'period of the in-process deadline scan (emits case.deadline-missed once per case and stage); 0 = off, use POST /deadlines/scan from a CronJob',
  }),
});
export type CaseManagementConfig = BaseConfig & Static<typeof CaseManagementConfigSchema>;
