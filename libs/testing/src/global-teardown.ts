/** Removes this run's databases and topics (see global-setup.ts). */
import { createKafka } from '@eisss/platform';
import { Client } from 'pg';
import { stopContainers } from './containers';
import { kafkaClientOptions, postgresInfra, testRunId } from './repo';
import { removeTestAcls } from './test-environment';

export default async function globalTeardown(): Promise<void> {
  const run = testRunId();
  const admin = new Client({ connectionString: postgresInfra.adminUrl() });
  await admin.connect();
  const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname IN ($1) OR datname LIKE $2`, [
    `eisss_tpl_${run}`,
    `eisss\\_t\\_${run}\\_%`,
  ]);
  await admin.end();
  for (const r of rows) await postgresInfra.dropDatabase(r.datname).catch(() => undefined);
  const kafka = createKafka({ clientId: 'test-teardown', ...kafkaClientOptions('admin') });
  const kafkaAdmin = kafka.admin();
  await kafkaAdmin.connect();
  try {
    const mine = (await kafkaAdmin.listTopics()).filter((t) => t.startsWith(`t${run}x`));
    for (let i = 0; i < mine.length; i += 200) await kafkaAdmin.deleteTopics({ topics: mine.slice(i, i + 200) });
  } finally {
    await kafkaAdmin.disconnect();
  }
  await removeTestAcls(kafka, (name) => name.startsWith(`t${run}x`));
  await stopContainers();
}
