import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { applyAuthDefaults, authConfigProblems } from '../auth/auth-config';
import type { KafkaOptions } from '../messaging/kafka';

/** Settings every service has. Each service extends these with its own (see `defineServiceConfig`). */
export const BaseConfigSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('test'), Type.Literal('production')], { default: 'development' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, description: 'HTTP port' }),
  HOST: Type.String({ default: '0.0.0.0' }),
  DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://', description: 'connection string of this service role' }),
  DATABASE_POOL_MAX: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  DATABASE_STATEMENT_CACHE: Type.Boolean({
    default: true,
    description:
      'prepare each parameterised statement once per connection (parsed and planned once); off behind a pooler that cannot keep prepared statements',
  }),
  KAFKA_BROKERS: Type.String({ minLength: 1, default: '127.0.0.1:9092', description: 'comma-separated host:port list' }),
  KAFKA_TOPIC_PREFIX: Type.String({
    default: '',
    pattern: '^[a-z0-9.-]*$',
    description: 'prefix on every topic name (test isolation); empty in production',
  }),
  KAFKA_TOPIC_PARTITIONS: Type.Integer({ minimum: 1, maximum: 256, default: 3 }),
  KAFKA_SASL_USERNAME: Type.Optional(
    Type.String({ minLength: 1, description: "this service's Kafka principal (SCRAM-SHA-512 over TLS); required in production" }),
  ),
  KAFKA_SASL_PASSWORD: Type.Optional(Type.String({ minLength: 1, description: "the principal's password; required in production" })),
  KAFKA_SSL_CA_FILE: Type.Optional(
    Type.String({ minLength: 1, description: "PEM file of the CA that signed the broker's certificate (default: the system CAs)" }),
  ),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  AUTH_ISSUER: Type.String({
    pattern: '^https?://',
    description: 'the `iss` of accepted tokens: the OpenID Connect provider (a Keycloak realm URL)',
  }),
  AUTH_AUDIENCE: Type.String({ minLength: 1, description: 'an `aud` every accepted token carries; default the service name' }),
  AUTH_JWKS_URL: Type.Optional(
    Type.String({ pattern: '^https?://', description: "the provider's JWKS (cached; re-fetched for an unknown kid)" }),
  ),
  AUTH_JWKS_HTTP_ALLOWED: Type.Optional(
    Type.Boolean({
      description: 'in production, accept an http:// AUTH_JWKS_URL (a provider inside the cluster network only); default: https required',
    }),
  ),
  AUTH_JWKS: Type.Optional(Type.String({ minLength: 2, description: 'an inline JWKS (JSON) instead of AUTH_JWKS_URL' })),
  HTTP_MAX_CONCURRENT: Type.Integer({
    minimum: 1,
    maximum: 10000,
    default: 64,
    description: 'requests one process works on at once; the next ones wait (admission control, see HTTP_QUEUE_TIMEOUT_MS)',
  }),
  HTTP_QUEUE_TIMEOUT_MS: Type.Integer({
    minimum: 1,
    maximum: 600000,
    default: 2000,
    description: 'the longest a request waits for its turn; then it is answered 503 SERVICE_BUSY with Retry-After',
  }),
  OUTBOX_POLL_INTERVAL_MS: Type.Integer({ minimum: 50, maximum: 60000, default: 1000 }),
  OUTBOX_BATCH_SIZE: Type.Integer({ minimum: 1, maximum: 10000, default: 500 }),
  OUTBOX_RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 7 }),
  CONSUMER_MAX_RETRIES: Type.Integer({ minimum: 0, maximum: 50, default: 5 }),
  CONSUMER_RETRY_BASE_MS: Type.Integer({ minimum: 1, maximum: 60000, default: 200 }),
  CONSUMER_BATCH_SIZE: Type.Integer({
    minimum: 1,
    maximum: 1000,
    default: 100,
    description: 'most messages of one partition applied in one transaction (1: a transaction per message)',
  }),
  CONSUMER_PARTITIONS_CONCURRENTLY: Type.Integer({
    minimum: 1,
    maximum: 64,
    default: 3,
    description: 'partitions each consumer group processes at the same time (each holds a pool connection while it applies a batch)',
  }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120000, default: 15000 }),
  MANAGEMENT_PORT: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 65535,
      description:
        'port of /metrics, /docs and /health for operators only; default 9464 in production, none elsewhere (they are then on PORT)',
    }),
  ),
  API_DOCS: Type.Optional(
    Type.Boolean({ description: 'serve the OpenAPI documents (/docs, /docs-json); default off in production, on elsewhere' }),
  ),
});
export type BaseConfig = Static<typeof BaseConfigSchema>;

export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(`${service}: invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the environment. Fails fast with one message listing every problem.
 * Defaults for the database and the identity provider (the local Keycloak) exist only outside production.
 */
export function loadConfig<P extends TProperties>(
  service: string,
  extra: TObject<P>,
  defaults: { PORT: number; DATABASE_URL: string },
  env: NodeJS.ProcessEnv = process.env,
): BaseConfig & Static<TObject<P>> {
  const schema = Type.Composite([BaseConfigSchema, extra]);
  const production = env.NODE_ENV === 'production';
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) if (env[key] !== undefined && env[key] !== '') raw[key] = env[key];
  if (raw.KAFKA_TOPIC_PREFIX === undefined && env.KAFKA_TOPIC_PREFIX === '') raw.KAFKA_TOPIC_PREFIX = '';
  raw.PORT ??= defaults.PORT;
  if (!production) {
    raw.DATABASE_URL ??= defaults.DATABASE_URL;
  }
  applyAuthDefaults(raw, service, production);
  const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  const valid = validate(raw);
  const problems = (validate.errors ?? []).map((e) => {
    const name = e.instancePath.replace(/^\//, '') || (e.params as { missingProperty?: string }).missingProperty || '(root)';
    return `${name}: ${e.message}`;
  });
  // Kafka credentials: no development default, required in production; both or neither elsewhere.
  for (const k of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const) {
    if (raw[k] === undefined && (production || raw.KAFKA_SASL_USERNAME !== undefined || raw.KAFKA_SASL_PASSWORD !== undefined))
      problems.push(`${k}: required${production ? ' in production' : ' with its pair'}`);
  }
  problems.push(...authConfigProblems(raw, env, production));
  if (!valid || problems.length > 0) throw new ConfigError(service, problems);
  return raw as BaseConfig & Static<TObject<P>>;
}

export function kafkaBrokers(config: BaseConfig): string[] {
  return config.KAFKA_BROKERS.split(',')
    .map((b) => b.trim())
    .filter(Boolean);
}

/** Brokers and the service's principal: SCRAM-SHA-512 over TLS when credentials are set (always in production). */
export function kafkaConnection(config: BaseConfig): Pick<KafkaOptions, 'brokers' | 'sasl' | 'ssl'> {
  const brokers = kafkaBrokers(config);
  if (!config.KAFKA_SASL_USERNAME || !config.KAFKA_SASL_PASSWORD)
    return { brokers, ssl: config.KAFKA_SSL_CA_FILE ? { ca: config.KAFKA_SSL_CA_FILE } : undefined };
  return {
    brokers,
    sasl: { mechanism: 'scram-sha-512', username: config.KAFKA_SASL_USERNAME, password: config.KAFKA_SASL_PASSWORD },
    ssl: { ca: config.KAFKA_SSL_CA_FILE },
  };
}
