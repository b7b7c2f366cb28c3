import { ConfigError, serviceConfig } from '@eisss/platform';
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
const load = (env: Record<string, string>) => treasuryConfig(serviceConfig(definition, { ...platform, ...env }) as unknown as PaymentsTreasuryRawConfig);

describe('treasuryConfig', () => {
  it('refuses production without the paying account, naming every variable', () => {
    expect(() => load({ NODE_ENV: 'production' })).toThrow(ConfigError);
    try {
      load({ NODE_ENV: 'production', TREASURY_DEBTOR_NAME: 'Казначейство' });
    } catch (err) {
      expect((err as ConfigError).problems).toEqual([
        'TREASURY_DEBTOR_IBAN: must be set in production (no default for the paying account)',
        'TREASURY_DEBTOR_EDRPOU: must be set in production (no default for the paying account)',
      ]);
    }
  });

  it('takes the production settings as given and the development account elsewhere', () => {
    const prod = load({ NODE_ENV: 'production', TREASURY_DEBTOR_IBAN: 'UA213223130000026007233566001', TREASURY_DEBTOR_NAME: 'ДКСУ', TREASURY_DEBTOR_EDRPOU: '12345678' });
    expect(prod).toMatchObject({ TREASURY_DEBTOR_IBAN: 'UA213223130000026007233566001', TREASURY_DEBTOR_NAME: 'ДКСУ', TREASURY_DEBTOR_EDRPOU: '12345678' });
    expect(load({ NODE_ENV: 'test' })).toMatchObject({ TREASURY_DEBTOR_IBAN: 'UA938999980000035221139001014', TREASURY_DEBTOR_EDRPOU: '37567646' });
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
