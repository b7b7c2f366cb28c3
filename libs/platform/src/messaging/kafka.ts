import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import { readFileSync } from 'node:fs';
import type pino from 'pino';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export interface KafkaSasl {
  mechanism: 'scram-sha-512';
  username: string;
  password: string;
}

export interface KafkaTls {
  /** The CA (PEM) that signed the broker's certificate: inline PEM, or a file path. Omitted: the system CAs. */
  ca?: string;
}

export interface KafkaOptions {
  clientId: string;
  brokers: string[];
  logger?: pino.Logger;
  /** The principal (SCRAM-SHA-512); needs `ssl`: credentials never travel on a plain connection. */
  sasl?: KafkaSasl;
  ssl?: KafkaTls;
}

/** Inline PEM as is, otherwise the contents of the file it names. */
export function readPem(value: string): string {
  return value.includes('-----BEGIN') ? value : readFileSync(value, 'utf8');
}

/** A kafkajs client whose log lines go through the service's JSON logger. */
export function createKafka(options: KafkaOptions): Kafka {
  const logger = options.logger;
  if (options.sasl && !options.ssl) throw new Error('Kafka SASL credentials need TLS (ssl)');
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    ssl: options.ssl ? (options.ssl.ca ? { ca: [readPem(options.ssl.ca)] } : true) : undefined,
    sasl: options.sasl ? { mechanism: 'scram-sha-512', username: options.sasl.username, password: options.sasl.password } : undefined,
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
