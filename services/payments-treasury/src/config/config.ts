import { ConfigError, piiKeyConfig, sealOpenerFromConfig, type BaseConfig } from '@eisss/platform';
import { Type, type Static } from '@sinclair/typebox';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The copy of camt.053.001.08.xsd shipped with the service (services/payments-treasury/schemas):
 * resolved from this file, so it is the same from src/ (tests) and dist/ (the built service and image).
 */
export const BUNDLED_CAMT053_XSD = join(__dirname, '..', '..', 'schemas', 'camt.053.001.08.xsd');

/** The paying account: no defaults in production (a wrong debtor would pay from or reconcile against the wrong account). */
export const MONEY_SETTINGS = ['TREASURY_DEBTOR_IBAN', 'TREASURY_DEBTOR_NAME', 'TREASURY_DEBTOR_EDRPOU'] as const;

/** Outside production only: the development/test paying account. */
export const DEVELOPMENT_MONEY_DEFAULTS: Record<(typeof MONEY_SETTINGS)[number], string> = {
  TREASURY_DEBTOR_IBAN: 'UA938999980000035221139001014',
  TREASURY_DEBTOR_NAME: 'Державна казначейська служба України',
  TREASURY_DEBTOR_EDRPOU: '37567646',
};

/** Settings of payments-treasury beyond the platform's (see BaseConfigSchema). */
export const PaymentsTreasuryConfigSchema = Type.Object({
  TREASURY_DEBTOR_IBAN: Type.Optional(
    Type.String({
      pattern: '^UA[0-9]{27}$',
      description: 'the paying treasury account (debtor of pain.001, the account of imported statements); required in production',
    }),
  ),
  TREASURY_DEBTOR_NAME: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 140,
      description: 'name of the paying body (pain.001 Dbtr/Nm, Max140Text); required in production',
    }),
  ),
  TREASURY_DEBTOR_EDRPOU: Type.Optional(
    Type.String({ pattern: '^[0-9]{8}$', description: 'ЄДРПОУ code of the paying body; required in production' }),
  ),
  TREASURY_CAMT053_XSD: Type.String({
    minLength: 1,
    default: BUNDLED_CAMT053_XSD,
    description:
      'path of camt.053.001.08.xsd: every camt.053 statement is validated against it before import (default: the copy shipped in schemas/)',
  }),
  /** Deduction of an overpayment from a monthly amount without the recipient's consent: at most this percentage. */
  TREASURY_DEDUCTION_LIMIT_PERCENT: Type.Integer({ minimum: 0, maximum: 100, default: 20 }),
  // Sealed values on assignment events (libs/platform/src/crypto/payment-seal.ts): the IBAN and the payee's identifiers are sealed for the treasury.
  SEAL_KEYS: Type.Optional(
    Type.String({
      description:
        "JSON array of the treasury's private EC P-256 JWKs (each with kid and d) that sealed IBANs and payee identifiers on events are opened with; the register seals to the public half (its SEAL_FOR_TREASURY). Old keys stay listed until nothing sealed to them is in flight. Required in production (the development key is refused there)",
    }),
  ),
  // Personal data at rest (IBAN, payee РНОКПП and document number; validated by piiKeyConfig: development keys outside production only).
  PII_MASTER_KEYS: Type.Optional(
    Type.String({
      description:
        "<id>:<base64 32 bytes>[,...]: master keys wrapping the treasury's data keys (payments_treasury.pii_data_key); the first wraps new ones; required in production",
    }),
  ),
  PII_HMAC_KEY: Type.Optional(
    Type.String({
      description: 'base64 of at least 32 bytes: key of the IBAN hash that detects a changed account; required in production',
    }),
  ),
  PII_KEY_REFRESH_MS: Type.Integer({
    minimum: 1000,
    maximum: 3_600_000,
    default: 60_000,
    description: 'how often the data keys are reloaded (a rotated key is picked up)',
  }),
});

type Raw = Static<typeof PaymentsTreasuryConfigSchema>;
export type PaymentsTreasuryRawConfig = BaseConfig & Raw;
export type PaymentsTreasuryConfig = BaseConfig &
  Omit<Raw, (typeof MONEY_SETTINGS)[number]> &
  Record<(typeof MONEY_SETTINGS)[number], string>;

/** Problems of the unsealing and at-rest keys (the platform refuses development keys in production). */
function keyProblems(raw: PaymentsTreasuryRawConfig): string[] {
  const problems: string[] = [];
  try {
    sealOpenerFromConfig('SEAL_KEYS', raw.SEAL_KEYS, 'payments-treasury', raw.NODE_ENV);
  } catch (e) {
    problems.push((e as Error).message);
  }
  try {
    piiKeyConfig(raw);
  } catch (e) {
    // "invalid personal-data key configuration:\n  - A\n  - B": one problem per line.
    const lines = (e as Error).message.split('\n  - ');
    problems.push(...(lines.length > 1 ? lines.slice(1) : lines));
  }
  return problems;
}

/**
 * Completes the loaded settings: in production the paying account must be configured (start-up
 * fails with a message naming every missing variable); in development and test the development
 * account is the default. The statement schema must exist wherever the service runs. The unsealing
 * keys (SEAL_KEYS) and the personal-data keys (PII_MASTER_KEYS, PII_HMAC_KEY) must be valid, and in
 * production be set and not the development keys.
 */
export function treasuryConfig(raw: PaymentsTreasuryRawConfig): PaymentsTreasuryConfig {
  const problems: string[] = [];
  const money = {} as Record<(typeof MONEY_SETTINGS)[number], string>;
  for (const key of MONEY_SETTINGS) {
    const v = raw[key];
    if (v) money[key] = v;
    else if (raw.NODE_ENV === 'production') problems.push(`${key}: must be set in production (no default for the paying account)`);
    else money[key] = DEVELOPMENT_MONEY_DEFAULTS[key];
  }
  problems.push(...keyProblems(raw));
  if (!existsSync(raw.TREASURY_CAMT053_XSD))
    problems.push(`TREASURY_CAMT053_XSD: no file at ${raw.TREASURY_CAMT053_XSD} (statements are validated against camt.053.001.08)`);
  if (problems.length) throw new ConfigError('payments-treasury', problems);
  return { ...raw, ...money };
}
