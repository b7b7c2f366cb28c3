/**
 * The testcontainers path: on a machine without the local infrastructure (Java + Maven for the Kafka
 * script, Postgres on 127.0.0.1:5432) but with a Docker engine (a developer laptop), the integration
 * setup starts Postgres and Kafka in containers instead. Never required: CI uses the local path.
 * `EISSS_INFRA=local|containers` forces a path; the default picks local when it is there.
 */
import { execFileSync } from 'node:child_process';
import { createConnection } from 'node:net';
import type { StartedTestContainer } from 'testcontainers';
import { freePort } from './service-process';

export type InfraMode = 'local' | 'containers';

function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function answers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ port, host });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.setTimeout(1000, () => {
      s.destroy();
      resolve(false);
    });
  });
}

async function dockerAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

export async function chooseInfra(): Promise<InfraMode> {
  const forced = process.env.EISSS_INFRA;
  if (forced === 'local' || forced === 'containers') return forced;
  const localKafka = (await answers(Number(process.env.KAFKA_PORT ?? 9092))) || (hasCommand('java') && hasCommand('mvn'));
  const localPg = Boolean(process.env.PGADMIN_URL) || (await answers(5432));
  if (localKafka && localPg) return 'local';
  if (await dockerAnswers()) return 'containers';
  throw new Error('no test infrastructure: need Java 17 + Maven and Postgres on 127.0.0.1:5432, or a Docker engine for testcontainers');
}

const started: StartedTestContainer[] = [];

/** Starts Postgres 15 and a KRaft Kafka 3.9 broker; sets PGADMIN_URL and KAFKA_BROKERS for the run. */
export async function startContainers(): Promise<void> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const pg = await new GenericContainer('postgres:15-alpine')
    .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start();
  started.push(pg);
  process.env.PGADMIN_URL = `postgres://postgres@${pg.getHost()}:${pg.getMappedPort(5432)}/postgres`;
  const kafkaPort = await freePort();
  const kafka = await new GenericContainer('apache/kafka:3.9.1')
    .withExposedPorts({ container: 9092, host: kafkaPort })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${kafkaPort}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .start();
  started.push(kafka);
  process.env.KAFKA_BROKERS = `127.0.0.1:${kafkaPort}`;
  // The container broker has no authentication (a laptop convenience); the project's own broker has.
  process.env.EISSS_KAFKA_PLAINTEXT = '1';
}

export async function stopContainers(): Promise<void> {
  await Promise.all(started.splice(0).map((c) => c.stop()));
}
