import { EventCatalogue, dlqTopic, type EventContract } from '@eisss/contracts';
import type { Kafka } from 'kafkajs';
import { prefixed } from './kafka';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
  configEntries?: { name: string; value: string }[];
}

/** Every topic of the catalogue and, for each topic that has consumers, its dead-letter topic. */
export function catalogueTopics(options: { partitions: number; replicationFactor?: number; catalogue?: readonly EventContract[] }): TopicSpec[] {
  const rf = options.replicationFactor ?? 1;
  const specs: TopicSpec[] = [];
  for (const c of options.catalogue ?? EventCatalogue) {
    specs.push({ topic: c.topic, numPartitions: options.partitions, replicationFactor: rf });
    if (c.consumers.length > 0) specs.push({ topic: dlqTopic(c.topic), numPartitions: 1, replicationFactor: rf, configEntries: [{ name: 'retention.ms', value: String(30 * 86_400_000) }] });
  }
  return specs;
}

/** Creates the topics that do not exist yet (the broker never auto-creates). Returns the names created. */
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[], prefix = ''): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.map((s) => ({ ...s, topic: prefixed(prefix, s.topic) })).filter((s) => !existing.has(s.topic));
    if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });
    return missing.map((s) => s.topic);
  } finally {
    await admin.disconnect();
  }
}
