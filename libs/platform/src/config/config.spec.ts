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

  it('requires the database URL, the token issuer and its JWKS in production', () => {
    const attempt = () => loadConfig('svc', Type.Object({}), defaults, { NODE_ENV: 'production' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (e) {
      const msg = (e as ConfigError).message;
      for (const name of ['DATABASE_URL', 'AUTH_ISSUER', 'AUTH_JWKS_URL']) expect(msg).toContain(name);
    }
  });

  describe('identity provider settings', () => {
    const issuer = 'https://idp.example.invalid/realms/eisss';
    const jwksUrl = `${issuer}/protocol/openid-connect/certs`;
    const prod = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://svc@db/eisss',
      KAFKA_SASL_USERNAME: 'svc',
      KAFKA_SASL_PASSWORD: 'pw',
      AUTH_ISSUER: issuer,
    };
    const problems = (env: Record<string, string>): string[] => {
      try {
        loadConfig('svc', Type.Object({}), defaults, env);
        return [];
      } catch (e) {
        return (e as ConfigError).problems;
      }
    };
    const rsaPublic = {
      kty: 'RSA',
      kid: 'k1',
      n: 'sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw',
      e: 'AQAB',
    };

    it('accepts an issuer with its JWKS URL, or with an inline JWKS, and makes the service its audience', () => {
      expect(loadConfig('svc', Type.Object({}), defaults, { ...prod, AUTH_JWKS_URL: jwksUrl })).toMatchObject({
        AUTH_ISSUER: issuer,
        AUTH_JWKS_URL: jwksUrl,
        AUTH_AUDIENCE: 'svc',
      });
      expect(
        loadConfig('svc', Type.Object({}), defaults, {
          ...prod,
          AUTH_JWKS: JSON.stringify({ keys: [rsaPublic] }),
          AUTH_AUDIENCE: 'eisss-api',
        }),
      ).toMatchObject({ AUTH_AUDIENCE: 'eisss-api' });
    });

    it('points outside production at the local Keycloak realm by default', () => {
      expect(loadConfig('svc', Type.Object({}), defaults, {})).toMatchObject({
        AUTH_ISSUER: 'http://127.0.0.1:8180/realms/eisss',
        AUTH_JWKS_URL: 'http://127.0.0.1:8180/realms/eisss/protocol/openid-connect/certs',
        AUTH_AUDIENCE: 'svc',
      });
    });

    it('refuses in production the committed development keys, a leftover AUTH_JWT_SECRET, and both JWKS settings at once', () => {
      // The public half of the test key pair of libs/testing/src/test-keys.ts.
      const devKey = {
        kty: 'EC',
        crv: 'P-256',
        x: 'sFciBuRX3LkQ7Mu3z4tpVjM8_F4xYAyfOXlojNXUczQ',
        y: 'hfWmEv4kA8et1QKw3kkSU1zpgJqk1rhSd1l45f9FNhE',
      };
      expect(problems({ ...prod, AUTH_JWKS: JSON.stringify({ keys: [rsaPublic, devKey] }) })).toEqual([
        expect.stringMatching(/^AUTH_JWKS: holds a development key/),
      ]);
      expect(problems({ NODE_ENV: 'test', AUTH_JWKS: JSON.stringify({ keys: [devKey] }) })).toEqual([]);
      expect(problems({ ...prod, AUTH_JWKS_URL: jwksUrl, AUTH_JWT_SECRET: 'dev-only-jwt-secret-change-me' })).toEqual([
        expect.stringMatching(/^AUTH_JWT_SECRET: shared-secret \(HS256\) tokens are not accepted/),
      ]);
      expect(problems({ ...prod, AUTH_JWKS_URL: jwksUrl, AUTH_JWKS: JSON.stringify({ keys: [rsaPublic] }) })).toEqual([
        'AUTH_JWKS: give AUTH_JWKS_URL or AUTH_JWKS, not both',
      ]);
    });

    it('requires the JWKS over https in production unless the provider is declared in-cluster', () => {
      const insecure = 'http://keycloak:8080/realms/eisss/protocol/openid-connect/certs';
      expect(problems({ ...prod, AUTH_JWKS_URL: insecure })).toEqual([
        expect.stringMatching(/^AUTH_JWKS_URL: must be https:\/\/ in production/),
      ]);
      expect(problems({ ...prod, AUTH_JWKS_URL: insecure, AUTH_JWKS_HTTP_ALLOWED: 'true' })).toEqual([]);
      expect(problems({ ...prod, AUTH_JWKS_URL: 'https://idp.example.org/realms/eisss/protocol/openid-connect/certs' })).toEqual([]);
      expect(problems({ NODE_ENV: 'development', AUTH_JWKS_URL: insecure })).toEqual([]);
    });

    it('refuses an inline JWKS with a shared secret, a private key or no keys, and an issuer that is not a URL', () => {
      expect(problems({ ...prod, AUTH_JWKS: JSON.stringify({ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }) })).toEqual([
        expect.stringMatching(/^AUTH_JWKS: key 0 must be an RSA or EC P-256 public key/),
      ]);
      expect(problems({ ...prod, AUTH_JWKS: JSON.stringify({ keys: [{ ...rsaPublic, d: 'x' }] }) })).toEqual([
        expect.stringMatching(/^AUTH_JWKS: key 0 holds private members \(d\)/),
      ]);
      expect(problems({ ...prod, AUTH_JWKS: '{"keys":[]}' })).toEqual([expect.stringMatching(/^AUTH_JWKS: must be a JWKS/)]);
      expect(problems({ ...prod, AUTH_JWKS: 'not json' })).toEqual(['AUTH_JWKS: is not JSON']);
      expect(problems({ ...prod, AUTH_ISSUER: 'eisss', AUTH_JWKS_URL: jwksUrl })).toEqual([expect.stringMatching(/^AUTH_ISSUER: /)]);
    });
  });
});
