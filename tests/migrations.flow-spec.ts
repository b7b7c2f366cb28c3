import { TestEnvironment, infraServices, REPO_ROOT } from '@eisss/testing';
import type { ServiceName } from '@eisss/contracts';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Every service's `migrate` command, as the deploy job runs it: down to nothing and up again on a
 * migrated database leaves the same tables; a role cannot create anything in another service's schema.
 */
describe('migrations', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await TestEnvironment.create({ topics: false });
  });

  afterAll(async () => {
    await env?.destroy();
  });

  function migrate(service: string, ...args: string[]): string {
    return execFileSync(process.execPath, [join(REPO_ROOT, 'services', service, 'dist', 'migrate.js'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: env.databaseUrl(service as ServiceName) },
      encoding: 'utf8',
    });
  }

  async function tables(service: string, schema: string): Promise<string[]> {
    const sql = await env.sql(service as ServiceName);
    try {
      const { rows } = await sql.query<{ t: string }>(
        `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 AND table_name <> 'migrations' ORDER BY 1`,
        [schema],
      );
      return rows.map((r) => r.t);
    } finally {
      await sql.end();
    }
  }

  it.each(infraServices.map((s) => [s.name, s.schema]))(
    '%s reverts every migration and reapplies them when run down and up',
    async (service, schema) => {
      const before = await tables(service, schema);
      expect(before).toEqual(expect.arrayContaining(['outbox', 'inbox']));
      expect(before).not.toContain('audit_log'); // moved to the append-only trail <schema>_audit
      const count = Number(/([0-9]+) migration/.exec(migrate(service, 'up'))![1]);
      expect(count).toBe(0); // the template is fully migrated
      const { rows } = await (async () => {
        const sql = await env.sql(service as ServiceName);
        try {
          return await sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.migrations`);
        } finally {
          await sql.end();
        }
      })();
      migrate(service, 'down', rows[0]!.n);
      expect(await tables(service, schema)).toEqual([]);
      expect(migrate(service, 'up')).toContain(`${rows[0]!.n} migration(s) applied`);
      expect(await tables(service, schema)).toEqual(before);
    },
  );

  it('refuses a service role access to another service schema', async () => {
    const sql = await env.sql('social-processing');
    try {
      await expect(sql.query('SELECT * FROM social_register.outbox LIMIT 1')).rejects.toThrow(/permission denied/);
      await expect(sql.query('CREATE TABLE social_register.intruder (id int)')).rejects.toThrow(/permission denied/);
    } finally {
      await sql.end();
    }
  });
});
