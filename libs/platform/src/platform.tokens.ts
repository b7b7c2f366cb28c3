import type { ServiceName } from '@eisss/contracts';

export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');
export const PLATFORM_KAFKA = Symbol('PLATFORM_KAFKA');
export const PLATFORM_OPTIONS = Symbol('PLATFORM_OPTIONS');

export interface PlatformOptions {
  service: ServiceName;
  /** Postgres schema the service owns (snake_case of the service name). */
  schema: string;
  entities: Function[];
  messaging?: { relay?: boolean; consumers?: boolean };
  /** The service has acts under the two-person rule: its schema has `dual_control_request` (dualControlMigration) and it serves `/approvals`. */
  dualControl?: boolean;
}

export function schemaOf(service: ServiceName): string {
  return service.replace(/-/g, '_');
}
