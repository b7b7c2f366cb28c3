#!/usr/bin/env node
/**
 * Creates every catalogue topic and its dead-letter topic (the broker never auto-creates).
 *   KAFKA_BROKERS (default 127.0.0.1:9092), KAFKA_TOPIC_PARTITIONS (default 3), KAFKA_TOPIC_PREFIX, KAFKA_REPLICATION_FACTOR (default 1)
 * Needs the built libs (npm run build).
 */
const { catalogueTopics, ensureTopics, createKafka } = require('../../libs/platform/dist');

async function createCatalogueTopics({ brokers, prefix = '', partitions = 3, replicationFactor = 1 } = {}) {
  const kafka = createKafka({ clientId: 'eisss-topics', brokers });
  return ensureTopics(kafka, catalogueTopics({ partitions, replicationFactor }), prefix);
}

module.exports = { createCatalogueTopics };

if (require.main === module) {
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  createCatalogueTopics({
    brokers,
    prefix: process.env.KAFKA_TOPIC_PREFIX ?? '',
    partitions: Number(process.env.KAFKA_TOPIC_PARTITIONS ?? 3),
    replicationFactor: Number(process.env.KAFKA_REPLICATION_FACTOR ?? 1),
  })
    .then((created) => console.log(`[kafka] topics ready (${created.length} created${created.length ? ': ' + created.join(', ') : ''})`))
    .catch((err) => {
      console.error(`[kafka] topic creation failed: ${err.message}`);
      process.exit(1);
    });
}
