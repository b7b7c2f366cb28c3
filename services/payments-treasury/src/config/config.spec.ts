import { ConfigError, DEV_PII_HMAC_KEY, DEV_PII_MASTER_KEYS, DEV_SEAL_KEYS, serviceConfig } from '@eisss/platform';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { definition } from '../service.definition';
import { BUNDLED_CAMT053_XSD, treasuryConfig, type PaymentsTreasuryRawConfig } from './config';

/** What the platform itself needs in production (the identity provider, the Kafka principal). */
const platform = {
  DATABASE_URL: 'postgres://x@h/db',
  AUTH_ISSUER: 'https://idp.example.invalid/realms/eisss',
  AUTH_JWKS_URL: 'https://idp.example.invalid/realms/eisss/protocol/openid-connect/certs',
  KAFKA_SASL_USERNAME: 'payments-treasury',
  KAFKA_SASL_PASSWORD: 'a-kafka-password',
};
/** The treasury's own keys in production: an unsealing key pair and personal-data keys of its own. */
const keys = {
  SEAL_KEYS: JSON.stringify([
    { ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), kid: 'treasury-2026-1' },
  ]),
  PII_MASTER_KEYS: `mk-2026-1:${randomBytes(32).toString('base64')}`,
  PII_HMAC_KEY: randomBytes(32).toString('base64'),
};
const load = (env: Record<string, string>) =>
  treasuryConfig(serviceConfig(definition, { ...platform, ...env }) as unknown as PaymentsTreasuryRawConfig);

describe('treasuryConfig', () => {
  it('refuses production without the paying account, naming every variable', () => {
    expect(() => load({ NODE_ENV: 'production', ...keys })).toThrow(ConfigError);
    expect.assertions(2);
    try {
      load({ NODE_ENV: 'production', TREASURY_DEBTOR_NAME: 'Казначейство', ...keys });
    } catch (err) {
      expect((err as ConfigError).problems).toEqual([
        'TREASURY_DEBTOR_IBAN: must be set in production (no default for the paying account)',
        'TREASURY_DEBTOR_EDRPOU: must be set in production (no default for the paying account)',
      ]);
    }
  });

  it('takes the production settings as given and the development account elsewhere', () => {
    const prod = load({
      NODE_ENV: 'production',
      TREASURY_DEBTOR_IBAN: 'UA213223130000026007233566001',
      TREASURY_DEBTOR_NAME: 'ДКСУ',
      TREASURY_DEBTOR_EDRPOU: '12345678',
      ...keys,
    });
    expect(prod).toMatchObject({
      TREASURY_DEBTOR_IBAN: 'UA213223130000026007233566001',
      TREASURY_DEBTOR_NAME: 'ДКСУ',
      TREASURY_DEBTOR_EDRPOU: '12345678',
    });
    expect(load({ NODE_ENV: 'test' })).toMatchObject({
      TREASURY_DEBTOR_IBAN: 'UA938999980000035221139001014',
      TREASURY_DEBTOR_EDRPOU: '37567646',
    });
  });

  it('refuses production without its unsealing and personal-data keys, and with the development keys', () => {
    const money = {
      TREASURY_DEBTOR_IBAN: 'UA213223130000026007233566001',
      TREASURY_DEBTOR_NAME: 'ДКСУ',
      TREASURY_DEBTOR_EDRPOU: '12345678',
    };
    const problems = (env: Record<string, string>) => {
      try {
        load({ NODE_ENV: 'production', ...money, ...env });
      } catch (err) {
        return (err as ConfigError).problems;
      }
      return [];
    };
    expect(problems({})).toEqual([
      expect.stringMatching(/^SEAL_KEYS: required in production/),
      'PII_MASTER_KEYS: required in production',
      'PII_HMAC_KEY: required in production',
    ]);
    expect(
      problems({
        SEAL_KEYS: JSON.stringify([DEV_SEAL_KEYS['payments-treasury']]),
        PII_MASTER_KEYS: DEV_PII_MASTER_KEYS,
        PII_HMAC_KEY: DEV_PII_HMAC_KEY,
      }),
    ).toEqual([
      'SEAL_KEYS: the development key is refused in production',
      'PII_MASTER_KEYS: the development key is refused in production',
      'PII_HMAC_KEY: the development key is refused in production',
    ]);
    expect(problems({ ...keys, SEAL_KEYS: '[{"kid":"x"}]' })).toEqual([
      expect.stringMatching(/^SEAL_KEYS: each key must be a private EC P-256 JWK/),
    ]);
    expect(problems(keys)).toEqual([]);
    // Outside production the development keys are the defaults; a malformed value is refused everywhere.
    expect(() => load({ NODE_ENV: 'test' })).not.toThrow();
    expect(() => load({ NODE_ENV: 'test', PII_HMAC_KEY: 'c2hvcnQ=' })).toThrow(/PII_HMAC_KEY: must be base64 of at least 32 bytes/);
  });

  it('validates statements against the schema shipped with the service by default and refuses a missing schema file', () => {
    expect(existsSync(BUNDLED_CAMT053_XSD)).toBe(true);
    expect(load({ NODE_ENV: 'test' }).TREASURY_CAMT053_XSD).toBe(BUNDLED_CAMT053_XSD);
    expect(() => load({ NODE_ENV: 'test', TREASURY_CAMT053_XSD: '/nonexistent/camt.053.xsd' })).toThrow(/TREASURY_CAMT053_XSD/);
  });

  it('rejects the app module (start-up fails) when production lacks its money settings', async () => {
    const raw = serviceConfig(definition, { NODE_ENV: 'production', ...platform });
    await expect(definition.appModule(raw) as Promise<unknown>).rejects.toThrow(/TREASURY_DEBTOR_IBAN/);
  });
});
