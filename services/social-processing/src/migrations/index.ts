import { platformTablesMigration, type MigrationClass } from '@eisss/platform';
import { PersonProjection1763900000100 } from './1763900000100-person-projection';

/** Append-only, in order. */
export const migrations: MigrationClass[] = [platformTablesMigration('social_processing', 'PlatformTables1763900000000'), PersonProjection1763900000100];
