import type { ServiceName } from '@eisss/contracts';
import type { ExceptionFilter } from '@nestjs/common';

export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');
export const PLATFORM_KAFKA = Symbol('PLATFORM_KAFKA');
export const PLATFORM_OPTIONS = Symbol('PLATFORM_OPTIONS');

export interface PlatformOptions {
  service: ServiceName;
  /** Postgres schema the service owns (snake_case of the service name). */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity classes
  entities: Function[];
  messaging?: { relay?: boolean; consumers?: boolean };
  /** The service has acts under the two-person rule: its schema has `dual_control_request` (dualControlMigration) and it serves `/approvals`. */
  dualControl?: boolean;
  /**
   * Routes that answer errors in another envelope (the register's DCI API): errors raised before a
   * route is reached (an unreadable or oversized body) on paths under `pathPrefix` are rendered by
   * `filter`, the same filter the routes' controller uses.
   */
  pathErrorFilters?: { pathPrefix: string; filter: ExceptionFilter }[];
}

export function schemaOf(service: ServiceName): string {
  return service.replace(/-/g, '_');
}
