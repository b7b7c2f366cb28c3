import { EventCatalogue, dlqTopic, type EventContract } from '@eisss/contracts';
import type { Admin, Kafka } from 'kafkajs';
import { prefixed } from './kafka';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
  configEntries?: { name: string; value: string }[];
}

/** Every topic of the catalogue and, for each topic that has consumers, its dead-letter topic. */
export function catalogueTopics(options: {
  partitions: number;
  replicationFactor?: number;
  catalogue?: readonly EventContract[];
}): TopicSpec[] {
  const rf = options.replicationFactor ?? 1;
  const specs: TopicSpec[] = [];
  for (const c of options.catalogue ?? EventCatalogue) {
    specs.push({ topic: c.topic, numPartitions: options.partitions, replicationFactor: rf });
    if (c.consumers.length > 0)
      specs.push({
        topic: dlqTopic(c.topic),
        numPartitions: 1,
        replicationFactor: rf,
        configEntries: [{ name: 'retention.ms', value: String(30 * 86_400_000) }],
      });
  }
  return specs;
}

/**
 * Creates the topics that do not exist yet (the broker never auto-creates). Returns the names created.
 * Retries the broker's transient answers (metadata not yet propagated, a leader moving, a topic created
 * at the same moment by another caller), and returns once the partition leaders serve the new topics
 * (a burst of creation can leave them "not the leader" for seconds after the metadata shows them).
 */
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[], prefix = ''): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  const created: string[] = [];
  try {
    for (let attempt = 0; ; attempt++) {
      const existing = new Set(await admin.listTopics());
      const missing = specs.map((s) => ({ ...s, topic: prefixed(prefix, s.topic) })).filter((s) => !existing.has(s.topic));
      if (missing.length === 0) return created;
      try {
        await admin.createTopics({ topics: missing, waitForLeaders: true });
        created.push(...missing.map((s) => s.topic));
        for (const t of missing) await untilServed(admin, t.topic);
        return created;
      } catch (err) {
        const e = err as { retriable?: boolean; message?: string };
        const transient =
          e.retriable === true || /does not host this topic-partition|leader|already exists|timed? ?out/i.test(e.message ?? '');
        if (!transient || attempt >= 6) throw err;
        await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/** Waits until the partition leaders answer for `topic`. */
async function untilServed(admin: Admin, topic: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.fetchTopicOffsets(topic);
      return;
    } catch (err) {
      if (attempt >= 150) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
