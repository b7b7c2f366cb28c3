import { DataKeyring, PLATFORM_CONFIG, TransactionHost, piiKeysFromConfig, typeormSql, type FieldCipher } from '@eisss/platform';
import { Global, Inject, Injectable, Logger, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { SocialRegisterConfig } from '../config/config';
import {
  HASHED_FIELDS,
  keyIdsIn,
  normalisedForHash,
  openPersonColumns,
  openPiiJson,
  sealPersonColumns,
  sealPiiJson,
  type PiiField,
  type PlainPii,
} from './person-pii';

export const REGISTER_SCHEMA = 'social_register';

/** The register's field cipher: its data keys (social_register.pii_data_key), reloaded on rotation (DataKeyring). */
@Injectable()
export class PersonPii implements OnModuleInit, OnModuleDestroy {
  private readonly keyring: DataKeyring;

  constructor(@Inject(PLATFORM_CONFIG) config: SocialRegisterConfig, db: TransactionHost) {
    this.keyring = new DataKeyring(
      typeormSql(db),
      REGISTER_SCHEMA,
      piiKeysFromConfig(config),
      config.PII_KEY_REFRESH_MS ?? 60_000,
      new Logger('PersonPii'),
    );
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

  get cipher(): FieldCipher {
    return this.keyring.cipher;
  }

  /** The cipher, reloaded first when `values` name a key it does not hold. */
  cipherFor(...values: unknown[]): Promise<FieldCipher> {
    return this.keyring.cipherForKeyIds(values.flatMap((v) => [...keyIdsIn(v)]));
  }

  sealColumns(values: PlainPii): Record<string, string | null> {
    return sealPersonColumns(this.cipher, values);
  }

  async openColumns(row: Record<string, any>): Promise<Record<PiiField, string | null>> {
    return openPersonColumns(await this.cipherFor(row), row);
  }

  sealJson<T>(value: T): T {
    return sealPiiJson(this.cipher, value) as T;
  }

  async openJson<T>(value: T): Promise<T> {
    return openPiiJson(await this.cipherFor(value), value) as T;
  }

  /** The lookup hash of a РНОКПП, УНЗР or IBAN. */
  hash(field: (typeof HASHED_FIELDS)[number], value: string): string {
    return this.cipher.hash(normalisedForHash(field, value), field);
  }
}

@Global()
@Module({ providers: [PersonPii], exports: [PersonPii] })
export class PersonPiiModule {}
