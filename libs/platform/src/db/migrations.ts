import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { auditTable } from '../auth/audit.service';
import { platformTablesDown, platformTablesUp } from '../messaging/outbox.sql';
import { sessionOptions } from './data-source';

export type MigrationClass = new () => MigrationInterface;

export function migrationDataSource(databaseUrl: string, schema: string, migrations: MigrationClass[]): DataSource {
  return new DataSource({
    type: 'postgres',
    url: databaseUrl,
    schema,
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    extra: { options: sessionOptions(schema) },
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
 * Moves the audit log out of the service's own schema into its append-only trail (`<schema>_audit`,
 * created by scripts/infra/postgres.js; see AuditLog). Up copies the rows, in order, and drops the
 * old table; down recreates the old table empty: the trail keeps every row (it cannot be deleted from,
 * by design), so a later up copies nothing twice.
 */
export function auditTrailMigration(schema: string, name: string): MigrationClass {
  const trail = auditTable(schema);
  const cls = class implements MigrationInterface {
    name = name;
    async up(q: QueryRunner): Promise<void> {
      const [{ present }] = await q.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [trail]);
      if (!present) throw new Error(`${trail} is missing: run scripts/infra/postgres.js (the administrator's set-up) before migrating`);
      await runStatements(q, [
        `INSERT INTO ${trail} (occurred_at, actor_id, actor_roles, action, subject_type, subject_id, purpose, correlation_id)
         SELECT occurred_at, actor_id, actor_roles, action, subject_type, subject_id, purpose, correlation_id FROM ${schema}.audit_log ORDER BY id`,
        `DROP TABLE ${schema}.audit_log`,
      ]);
    }
    async down(q: QueryRunner): Promise<void> {
      await runStatements(
        q,
        platformTablesUp(schema).filter((s) => /audit_log/.test(s)),
      );
    }
  };
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
}

/**
 * `migrate up` applies pending migrations; `migrate down [N]` reverts the last N (default 1);
 * `migrate status` lists them. Run by a job before a rollout, never by every replica at boot.
 */
export async function runMigrationCli(
  service: string,
  databaseUrl: string,
  schema: string,
  migrations: MigrationClass[],
  argv = process.argv.slice(2),
): Promise<void> {
  const [command = 'up', countArg] = argv;
  const ds = migrationDataSource(databaseUrl, schema, migrations);
  await ds.initialize();
  try {
    switch (command) {
      case 'up': {
        const done = await ds.runMigrations({ transaction: 'each' });
        process.stdout.write(
          `${service}: ${done.length} migration(s) applied${done.length ? ': ' + done.map((m) => m.name).join(', ') : ''}\n`,
        );
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
