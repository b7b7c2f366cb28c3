#!/usr/bin/env node
/**
 * Creates the catalogue's ACLs (one principal per service and inbound adapter) and every catalogue topic
 * with its dead-letter topic (the broker never auto-creates). Connects as the admin principal.
 *   KAFKA_BROKERS (default 127.0.0.1:$KAFKA_PORT, 9092), KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD / KAFKA_SSL_CA_FILE
 *   (default: the admin of the project's broker, .infra/kafka/credentials.json), KAFKA_TOPIC_PARTITIONS (default 3),
 *   KAFKA_TOPIC_PREFIX, KAFKA_REPLICATION_FACTOR (default 1), KAFKA_ACLS=false to skip the ACLs
 * Needs the built libs (npm run build).
 */
const { catalogueAcls, catalogueTopics, ensureAcls, ensureTopics, createKafka } = require('../../libs/platform/dist');
const { clientEnv } = require('./kafka-credentials');

function adminConnection(env = process.env) {
  const creds = env.KAFKA_SASL_USERNAME ? env : clientEnv('admin');
  return {
    sasl: { mechanism: 'scram-sha-512', username: creds.KAFKA_SASL_USERNAME, password: creds.KAFKA_SASL_PASSWORD },
    ssl: { ca: creds.KAFKA_SSL_CA_FILE },
  };
}

async function createCatalogueTopics({
  brokers,
  prefix = '',
  partitions = 3,
  replicationFactor = 1,
  acls = true,
  connection = adminConnection(),
} = {}) {
  const kafka = createKafka({ clientId: 'eisss-topics', brokers, ...connection });
  // ACLs first: the broker applies them at once when no burst of topic creation is ahead of them.
  const aclCount = acls ? await ensureAcls(kafka, catalogueAcls({ prefix })) : 0;
  const created = await ensureTopics(kafka, catalogueTopics({ partitions, replicationFactor }), prefix);
  return { created, aclCount };
}

module.exports = { createCatalogueTopics, adminConnection };

if (require.main === module) {
  const brokers = (process.env.KAFKA_BROKERS ?? `127.0.0.1:${process.env.KAFKA_PORT ?? 9092}`).split(',');
  createCatalogueTopics({
    brokers,
    prefix: process.env.KAFKA_TOPIC_PREFIX ?? '',
    partitions: Number(process.env.KAFKA_TOPIC_PARTITIONS ?? 3),
    replicationFactor: Number(process.env.KAFKA_REPLICATION_FACTOR ?? 1),
    acls: process.env.KAFKA_ACLS !== 'false',
  })
    .then(({ created, aclCount }) =>
      console.log(
        `[kafka] ${aclCount} ACLs and topics ready (${created.length} created${created.length ? ': ' + created.join(', ') : ''})`,
      ),
    )
    .catch((err) => {
      console.error(`[kafka] topic creation failed: ${err.message}`);
      process.exit(1);
    });
}
