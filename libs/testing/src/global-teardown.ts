/** Removes this run's databases and topics (see global-setup.ts). */
import { createKafka } from '@eisss/platform';
import { Client } from 'pg';
import { stopContainers } from './containers';
import { postgresInfra, testRunId } from './repo';

export default async function globalTeardown(): Promise<void> {
  const run = testRunId();
  const admin = new Client({ connectionString: postgresInfra.adminUrl() });
  await admin.connect();
  const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname IN ($1) OR datname LIKE $2`, [`eisss_tpl_${run}`, `eisss\\_t\\_${run}\\_%`]);
  await admin.end();
  for (const r of rows) await postgresInfra.dropDatabase(r.datname).catch(() => undefined);
  const kafkaAdmin = createKafka({ clientId: 'test-teardown', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',') }).admin();
  await kafkaAdmin.connect();
  try {
    const mine = (await kafkaAdmin.listTopics()).filter((t) => t.startsWith(`t${run}x`));
    for (let i = 0; i < mine.length; i += 200) await kafkaAdmin.deleteTopics({ topics: mine.slice(i, i + 200) });
  } finally {
    await kafkaAdmin.disconnect();
  }
  await stopContainers();
}
