import { REPO_ROOT, TestEnvironment, testAuthEnv } from '@eisss/testing';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Configuration is validated at start-up: a bad environment stops the process with every problem named. */
describe('service start-up', () => {
  function start(env: Record<string, string>) {
    return spawnSync(process.execPath, [join(REPO_ROOT, 'services/e-budget/dist/main.js')], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      timeout: 30000,
    });
  }

  it('exits 1 naming each invalid variable when the environment is wrong', () => {
    const r = start({ PORT: 'eighty', LOG_LEVEL: 'loud', KAFKA_TOPIC_PARTITIONS: '0' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('invalid configuration');
    expect(r.stderr).toMatch(/PORT/);
    expect(r.stderr).toMatch(/LOG_LEVEL/);
    expect(r.stderr).toMatch(/KAFKA_TOPIC_PARTITIONS/);
  });

  it('exits 1 when production lacks the database URL and the token issuer and its keys', () => {
    const r = start({ NODE_ENV: 'production' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/DATABASE_URL/);
    expect(r.stderr).toMatch(/AUTH_ISSUER/);
    expect(r.stderr).toMatch(/AUTH_JWKS_URL/);
  });

  it('exits 1 when production is given the committed test keys or a shared JWT secret', () => {
    const r = start({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://e_budget@127.0.0.1:1/eisss',
      ...testAuthEnv(),
      AUTH_JWT_SECRET: 'dev-only-jwt-secret-change-me',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/AUTH_JWKS: holds a development key/);
    expect(r.stderr).toMatch(/AUTH_JWT_SECRET: shared-secret \(HS256\) tokens are not accepted/);
  });

  it('exits 1 with the cause when the database refuses the connection', async () => {
    const env = await TestEnvironment.create({ topics: false });
    try {
      const url = new URL(env.databaseUrl('e-budget'));
      url.port = '1'; // nothing listens there
      const r = start({ ...env.env('e-budget'), DATABASE_URL: url.toString(), PORT: '0' });
      expect(r.status).toBe(1);
      expect(r.stderr + r.stdout).toMatch(/ECONNREFUSED|connect/);
    } finally {
      await env.destroy();
    }
  });
});
