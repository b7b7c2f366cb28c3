import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

/** Settings every service has. Each service extends these with its own (see `defineServiceConfig`). */
export const BaseConfigSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('test'), Type.Literal('production')], { default: 'development' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, description: 'HTTP port' }),
  HOST: Type.String({ default: '0.0.0.0' }),
  DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://', description: 'connection string of this service role' }),
  DATABASE_POOL_MAX: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  KAFKA_BROKERS: Type.String({ minLength: 1, default: '127.0.0.1:9092', description: 'comma-separated host:port list' }),
  KAFKA_TOPIC_PREFIX: Type.String({ default: '', pattern: '^[a-z0-9.-]*$', description: 'prefix on every topic name (test isolation); empty in production' }),
  KAFKA_TOPIC_PARTITIONS: Type.Integer({ minimum: 1, maximum: 256, default: 3 }),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), { default: 'info' }),
  AUTH_JWT_SECRET: Type.String({ minLength: 16, description: 'HS256 secret of access tokens' }),
  OUTBOX_POLL_INTERVAL_MS: Type.Integer({ minimum: 50, maximum: 60000, default: 1000 }),
  OUTBOX_BATCH_SIZE: Type.Integer({ minimum: 1, maximum: 10000, default: 500 }),
  OUTBOX_RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 7 }),
  CONSUMER_MAX_RETRIES: Type.Integer({ minimum: 0, maximum: 50, default: 5 }),
  CONSUMER_RETRY_BASE_MS: Type.Integer({ minimum: 1, maximum: 60000, default: 200 }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120000, default: 15000 }),
});
export type BaseConfig = Static<typeof BaseConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly service: string, readonly problems: string[]) {
    super(`${service}: invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me';

/**
 * Reads and validates the environment. Fails fast with one message listing every problem.
 * Defaults for the database and the JWT secret exist only outside production.
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
    raw.AUTH_JWT_SECRET ??= DEV_JWT_SECRET;
  }
  const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (!validate(raw)) {
    const problems = (validate.errors ?? []).map((e) => {
      const name = e.instancePath.replace(/^\//, '') || (e.params as { missingProperty?: string }).missingProperty || '(root)';
      return `${name}: ${e.message}`;
    });
    throw new ConfigError(service, problems);
  }
  return raw as BaseConfig & Static<TObject<P>>;
}

export function kafkaBrokers(config: BaseConfig): string[] {
  return config.KAFKA_BROKERS.split(',').map((b) => b.trim()).filter(Boolean);
}
