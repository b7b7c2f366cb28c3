import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { platformTablesDown, platformTablesUp } from '../messaging/outbox.sql';

export type MigrationClass = new () => MigrationInterface;

export function migrationDataSource(databaseUrl: string, schema: string, migrations: MigrationClass[]): DataSource {
  return new DataSource({
    type: 'postgres',
    url: databaseUrl,
    schema,
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    extra: { options: `-c search_path=${schema}` },
  });
}

/** Runs the statements in order (a migration's up or down). */
export async function runStatements(q: QueryRunner, statements: string[]): Promise<void> {
  for (const s of statements) await q.query(s);
}

/** The platform tables (outbox, inbox, audit log) as the first migration of a service. */
export function platformTablesMigration(schema: string, name: string): MigrationClass {
  const cls = class implements MigrationInterface {
    name = name;
    async up(q: QueryRunner): Promise<void> {
      await runStatements(q, platformTablesUp(schema));
    }
    async down(q: QueryRunner): Promise<void> {
      await runStatements(q, platformTablesDown(schema));
    }
  };
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
}

/**
 * `migrate up` applies pending migrations; `migrate down [N]` reverts the last N (default 1);
 * `migrate status` lists them. Run by a job before a rollout, never by every replica at boot.
 */
export async function runMigrationCli(service: string, databaseUrl: string, schema: string, migrations: MigrationClass[], argv = process.argv.slice(2)): Promise<void> {
  const [command = 'up', countArg] = argv;
  const ds = migrationDataSource(databaseUrl, schema, migrations);
  await ds.initialize();
  try {
    switch (command) {
      case 'up': {
        const done = await ds.runMigrations({ transaction: 'each' });
        process.stdout.write(`${service}: ${done.length} migration(s) applied${done.length ? ': ' + done.map((m) => m.name).join(', ') : ''}\n`);
        break;
      }
      case 'down': {
        const n = Math.max(1, Number(countArg ?? 1));
        for (let i = 0; i < n; i++) await ds.undoLastMigration({ transaction: 'each' });
        process.stdout.write(`${service}: ${n} migration(s) reverted\n`);
        break;
      }
      case 'status': {
        const pending = await ds.showMigrations();
        process.stdout.write(`${service}: ${pending ? 'migrations pending' : 'up to date'}\n`);
        break;
      }
      default:
        throw new Error(`unknown command ${command}; use up | down [N] | status`);
    }
  } finally {
    await ds.destroy();
  }
}
