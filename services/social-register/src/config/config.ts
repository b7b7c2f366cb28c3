import type { BaseConfig } from '@eisss/platform';
import { Type, type Static } from '@sinclair/typebox';

/** Settings of social-register beyond the platform's (see BaseConfigSchema). */
export const SocialRegisterConfigSchema = Type.Object({
  // DCI traffic (src/dci): the register's signing key, its credentials on callbacks, and callback delivery.
  DCI_SIGNING_PRIVATE_KEY: Type.Optional(
    Type.String({
      minLength: 40,
      description:
        'PEM (PKCS#8) private key the register signs DCI callbacks with (Ed25519, P-256 or RSA ≥ 2048); required in production, a development key is used otherwise',
    }),
  ),
  DCI_SIGNING_KEY_ID: Type.String({
    minLength: 1,
    maxLength: 100,
    pattern: '^[A-Za-z0-9._:-]+$',
    default: 'social-register-1',
    description: 'key id published with the register signing key (the `kidId` of callback signatures)',
  }),
  DCI_CALLBACK_AUTHORIZATION: Type.Optional(
    Type.String({
      minLength: 8,
      description: 'static Authorization header value sent with every DCI callback (used when no token endpoint is configured)',
    }),
  ),
  DCI_CALLBACK_TOKEN_URL: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description: 'OAuth2 token endpoint: callbacks carry a bearer token obtained with the client-credentials grant',
    }),
  ),
  DCI_CALLBACK_CLIENT_ID: Type.Optional(Type.String({ minLength: 1 })),
  DCI_CALLBACK_CLIENT_SECRET: Type.Optional(Type.String({ minLength: 1 })),
  DCI_CALLBACK_POLL_INTERVAL_MS: Type.Integer({ minimum: 0, maximum: 60000, default: 500, description: '0 turns the callback worker off' }),
  DCI_CALLBACK_MAX_ATTEMPTS: Type.Integer({
    minimum: 1,
    maximum: 50,
    default: 8,
    description: 'attempts before a callback is marked dead',
  }),
  DCI_CALLBACK_RETRY_BASE_MS: Type.Integer({
    minimum: 10,
    maximum: 3_600_000,
    default: 5000,
    description: 'first retry delay; doubled per attempt, at most one hour',
  }),
  DCI_CALLBACK_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 60000, default: 5000 }),
  // Personal data at rest (libs/platform/src/crypto, validated by piiKeyConfig: development keys outside production only).
  PII_MASTER_KEYS: Type.Optional(
    Type.String({
      description: '<id>:<base64 32 bytes>[,...]: master keys wrapping the data keys; the first wraps new ones; required in production',
    }),
  ),
  PII_HMAC_KEY: Type.Optional(
    Type.String({ description: 'base64 of at least 32 bytes: key of the lookup hashes (РНОКПП, УНЗР, IBAN); required in production' }),
  ),
  PII_KEY_REFRESH_MS: Type.Integer({
    minimum: 1000,
    maximum: 3_600_000,
    default: 60_000,
    description: 'how often the data keys are reloaded (a rotated key is picked up)',
  }),
  // Bulk migration (src/migration, docs/migration.md).
  IMPORT_CHUNK_SIZE: Type.Integer({
    minimum: 100,
    maximum: 100_000,
    default: 5000,
    description: 'rows of an import job applied per transaction (a crash resumes after the last committed chunk)',
  }),
  IMPORT_SPOOL_DIR: Type.Optional(
    Type.String({
      description: 'where files uploaded to POST /imports are kept until their job completes (default: <tmpdir>/eisss-imports)',
    }),
  ),
  IMPORT_MAX_BYTES: Type.Integer({
    minimum: 1024,
    maximum: 64 * 1024 * 1024 * 1024,
    default: 4 * 1024 * 1024 * 1024,
    description: 'the largest file POST /imports accepts (bytes, as sent: gzip counts compressed)',
  }),
  // Payment accounts on events (src/person/account-sealing.ts, validated at start-up: development keys outside production only).
  SEAL_FOR_TREASURY: Type.Optional(
    Type.String({
      description:
        'public JWK (EC P-256, with kid) of payments-treasury, as JSON: the IBAN and the holder identifiers of published accounts are sealed to it; required in production',
    }),
  ),
  SEAL_KEYS: Type.Optional(
    Type.String({
      description:
        'JSON array of the register private JWKs (EC P-256, with kid) that open IBANs proposed by applications; old keys stay listed while values sealed to them are in flight; required in production',
    }),
  ),
});
export type SocialRegisterConfig = BaseConfig & Static<typeof SocialRegisterConfigSchema>;
