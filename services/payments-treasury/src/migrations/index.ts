import { platformTablesMigration, type MigrationClass } from '@eisss/platform';

/** Append-only, in order. */
export const migrations: MigrationClass[] = [platformTablesMigration('payments_treasury', 'PlatformTables1763900000000')];
