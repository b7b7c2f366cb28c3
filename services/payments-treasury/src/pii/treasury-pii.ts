import {
  DataKeyring,
  PLATFORM_CONFIG,
  TransactionHost,
  ibanBankCode,
  keyIdOf,
  maskIban,
  piiKeysFromConfig,
  sealOpenerFromConfig,
  typeormSql,
  type FieldCipher,
  type SealedValueOpener,
} from '@eisss/platform';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { PaymentsTreasuryConfig } from '../config/config';

export const TREASURY_SCHEMA = 'payments_treasury';

/**
 * The fields stored encrypted (FieldCipher AAD = the field name only, the same on `assignment` and
 * `payment`, so that set-based payment creation copies the ciphertexts as they are).
 */
export const PiiField = { Iban: 'iban', PayeeRnokpp: 'payee_rnokpp', PayeeDocumentNumber: 'payee_document_number' } as const;
export type PiiFieldName = (typeof PiiField)[keyof typeof PiiField];
export const PII_FIELDS: readonly PiiFieldName[] = Object.values(PiiField);

/** The tables holding values under the treasury's data keys: table, key column, `<field>_enc` columns. */
export const PII_TABLES = [
  { table: 'assignment', key: 'assignment_id', columns: PII_FIELDS.map((f) => `${f}_enc`) },
  { table: 'payment', key: 'id', columns: PII_FIELDS.map((f) => `${f}_enc`) },
] as const;

/** The private keys the treasury opens sealed IBANs and payee identifiers with (SEAL_KEYS). */
export function treasuryOpener(env: { SEAL_KEYS?: string; NODE_ENV?: string }): SealedValueOpener {
  return sealOpenerFromConfig('SEAL_KEYS', env.SEAL_KEYS, 'payments-treasury', env.NODE_ENV);
}

/** An opened account and holder, as the treasury stores them (plain only in memory). */
export interface PlainStoredAccount {
  iban: string | null;
  rnokpp: string | null;
  documentNumber: string | null;
}

/** The columns of an account at rest: ciphertexts, the masked IBAN, its keyed hash and the bank code (МФО, not personal). */
export interface AccountColumns {
  iban_enc: string | null;
  iban_masked: string | null;
  iban_hash: string | null;
  mfo: string | null;
  payee_rnokpp_enc: string | null;
  payee_document_number_enc: string | null;
}

export function accountColumns(cipher: FieldCipher, a: PlainStoredAccount): AccountColumns {
  const doc = a.documentNumber?.trim() || null;
  return {
    iban_enc: cipher.encrypt(a.iban, PiiField.Iban),
    iban_masked: maskIban(a.iban),
    iban_hash: ibanHash(cipher, a.iban),
    mfo: a.iban ? ibanBankCode(a.iban) : null,
    payee_rnokpp_enc: cipher.encrypt(a.rnokpp?.trim() || null, PiiField.PayeeRnokpp),
    payee_document_number_enc: cipher.encrypt(doc, PiiField.PayeeDocumentNumber),
  };
}

/** The keyed hash of an IBAN (compares accounts without the plain value; PII_HMAC_KEY, stable across data key rotation). */
export function ibanHash(cipher: FieldCipher, iban: string | null): string | null {
  return cipher.hash(iban?.replace(/\s+/g, '').toUpperCase() ?? null, PiiField.Iban);
}

/** The key ids the values name (null and non-ciphertexts ignored). */
export function keyIdsOf(values: Iterable<string | null | undefined>): Set<string> {
  const out = new Set<string>();
  for (const v of values) {
    const k = typeof v === 'string' ? keyIdOf(v) : null;
    if (k) out.add(k);
  }
  return out;
}

/**
 * The treasury's field cipher and unsealing keys: data keys (payments_treasury.pii_data_key) unwrapped
 * on first use, reloaded when a value names a key this process does not hold yet (after a rotation)
 * and every PII_KEY_REFRESH_MS while the service runs, so that a new active key is picked up.
 */
@Injectable()
export class TreasuryPii implements OnModuleInit, OnModuleDestroy {
  readonly opener: SealedValueOpener;
  private readonly keyring: DataKeyring;

  constructor(@Inject(PLATFORM_CONFIG) config: PaymentsTreasuryConfig, db: TransactionHost) {
    this.keyring = new DataKeyring(
      typeormSql(db),
      TREASURY_SCHEMA,
      piiKeysFromConfig(config),
      config.PII_KEY_REFRESH_MS ?? 60_000,
      new Logger('TreasuryPii'),
    );
    this.opener = treasuryOpener(config);
  }

  onModuleInit(): Promise<void> {
    return this.keyring.start();
  }

  onModuleDestroy(): void {
    this.keyring.stop();
  }

  reload(): Promise<FieldCipher> {
    return this.keyring.reload();
  }

  /** The cipher (loaded on first use), reloaded first when `values` name a key it does not hold. */
  cipherFor(values: Iterable<string | null | undefined> = []): Promise<FieldCipher> {
    return this.keyring.cipherForKeyIds(keyIdsOf(values));
  }
}
