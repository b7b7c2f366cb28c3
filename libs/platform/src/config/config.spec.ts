import { Type } from '@sinclair/typebox';
import { ConfigError, loadConfig } from './config';

describe(loadConfig.name, () => {
  const defaults = { PORT: 3001, DATABASE_URL: 'postgres://social_register@127.0.0.1:5432/eisss' };

  it('applies defaults and coerces numbers when the environment is sparse', () => {
    const cfg = loadConfig('svc', Type.Object({ EXTRA: Type.Integer({ default: 7 }) }), defaults, { OUTBOX_BATCH_SIZE: '42' });
    expect(cfg.PORT).toBe(3001);
    expect(cfg.OUTBOX_BATCH_SIZE).toBe(42);
    expect(cfg.EXTRA).toBe(7);
    expect(cfg.KAFKA_BROKERS).toBe('127.0.0.1:9092');
  });

  it('fails with every problem named when values are invalid', () => {
    const attempt = () => loadConfig('svc', Type.Object({}), defaults, { PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (e) {
      const msg = (e as ConfigError).message;
      expect(msg).toContain('PORT');
      expect(msg).toContain('DATABASE_URL');
      expect(msg).toContain('LOG_LEVEL');
    }
  });

  it('requires the database URL and JWT secret in production', () => {
    expect(() => loadConfig('svc', Type.Object({}), defaults, { NODE_ENV: 'production' })).toThrow(/DATABASE_URL[\s\S]*AUTH_JWT_SECRET|AUTH_JWT_SECRET[\s\S]*DATABASE_URL/);
  });
});
