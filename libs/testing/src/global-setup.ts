/**
 * Jest global setup of the integration project: a Kafka broker (started by the project if none
 * answers), the built services, and a template database with every service's migrations applied
 * by its own `migrate` command. Each test file clones the template (see TestEnvironment).
 * Databases and topics carry the run id (this process's pid), so concurrent runs stay apart and
 * leftovers of runs that died are removed here.
 */
import { createKafka } from '@eisss/platform';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { chooseInfra, startContainers } from './containers';
import { REPO_ROOT, infraServices, kafkaClientOptions, postgresInfra, templateDb } from './repo';
import { removeTestAcls } from './test-environment';

function step(msg: string) {
  process.stdout.write(`[integration setup] ${msg}\n`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function removeLeftovers(): Promise<void> {
  const admin = new Client({ connectionString: postgresInfra.adminUrl() });
  await admin.connect();
  const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname ~ '^eisss_(t|tpl)_[0-9]+'`);
  await admin.end();
  for (const r of rows) {
    const pid = Number(/^eisss_(?:t|tpl)_([0-9]+)/.exec(r.datname)![1]);
    if (!alive(pid)) await postgresInfra.dropDatabase(r.datname).catch(() => undefined);
  }
  const deadRun = (name: string) => {
    const m = /^t([0-9]+)x/.exec(name);
    return m !== null && !alive(Number(m[1]));
  };
  const kafka = createKafka({ clientId: 'test-setup', ...kafkaClientOptions('admin') });
  const admin2 = kafka.admin();
  await admin2.connect();
  try {
    const stale = (await admin2.listTopics()).filter(deadRun);
    for (let i = 0; i < stale.length; i += 200) await admin2.deleteTopics({ topics: stale.slice(i, i + 200) });
  } finally {
    await admin2.disconnect();
  }
  await removeTestAcls(kafka, deadRun);
}

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  process.env.EISSS_TEST_RUN = String(process.pid);
  const infra = await chooseInfra();
  if (infra === 'containers') {
    step('no local infrastructure; starting Postgres and Kafka with testcontainers');
    await startContainers();
  } else if (!process.env.KAFKA_BROKERS) {
    execFileSync('bash', [join(REPO_ROOT, 'scripts/infra/kafka.sh'), 'start'], { stdio: 'inherit' });
  }
  const missing = infraServices.filter((s) => !existsSync(join(REPO_ROOT, 'services', s.name, 'dist', 'migrate.js')));
  if (missing.length > 0 || process.env.TEST_BUILD === '1') {
    step('building (tsc -b)');
    execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.build.json'], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    });
  }
  await removeLeftovers();
  const template = templateDb();
  await postgresInfra.ensureDatabase(template);
  for (const s of infraServices) {
    execFileSync(process.execPath, [join(REPO_ROOT, 'services', s.name, 'dist', 'migrate.js'), 'up'], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: postgresInfra.serviceDatabaseUrl(s.schema, template) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  step(`template database ${template} migrated for ${infraServices.length} services in ${Date.now() - started} ms`);
}
