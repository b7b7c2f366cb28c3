import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type pino from 'pino';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export interface KafkaOptions {
  clientId: string;
  brokers: string[];
  logger?: pino.Logger;
}

/** A kafkajs client whose log lines go through the service's JSON logger. */
export function createKafka(options: KafkaOptions): Kafka {
  const logger = options.logger;
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: 3000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 200, retries: 10, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log, namespace }: LogEntry) => {
        if (!logger) return;
        const { message, ...extra } = log;
        // Expected noise: the partitioner notice, and the retry limit of idempotent producers (consumers deduplicate).
        if (/switched default partitioner|Limiting retries for the idempotent producer/.test(message)) return;
        // The group coordinator logs rebalances as errors while a group forms; they are expected.
        const lvl = LEVELS[level] ?? 'info';
        logger[lvl]({ kafka: { namespace, ...extra } }, message);
      },
  });
}

export function prefixed(prefix: string, topic: string): string {
  return `${prefix}${topic}`;
}

export function unprefixed(prefix: string, topic: string): string {
  return prefix && topic.startsWith(prefix) ? topic.slice(prefix.length) : topic;
}
