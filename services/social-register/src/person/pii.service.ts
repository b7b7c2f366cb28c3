import { LocalKeyWrapper, PLATFORM_CONFIG, loadFieldCipher, piiKeyConfig, typeormSql, type FieldCipher, type KeyWrapper } from '@eisss/platform';
import { Global, Inject, Injectable, Logger, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SocialRegisterConfig } from '../config/config';
import { HASHED_FIELDS, keyIdsIn, normalisedForHash, openPersonColumns, openPiiJson, sealPersonColumns, sealPiiJson, type PiiField, type PlainPii } from './person-pii';

export const REGISTER_SCHEMA = 'social_register';

/** The register's key wrapper from configuration (PII_MASTER_KEYS); a KMS adapter would be built here instead. */
export function registerKeyWrapper(env: Parameters<typeof piiKeyConfig>[0]): { wrapper: KeyWrapper; hmacKey: Buffer } {
  const keys = piiKeyConfig(env);
  return { wrapper: new LocalKeyWrapper(keys.masterKeys), hmacKey: keys.hmacKey };
}

/**
 * The register's field cipher: its data keys (social_register.pii_data_key) unwrapped at start-up,
 * reloaded when a value names a key this process does not hold yet (after a rotation) and every
 * PII_KEY_REFRESH_MS, so that a new active key is picked up without a restart.
 */
@Injectable()
export class PersonPii implements OnModuleInit, OnModuleDestroy {
  private current: FieldCipher | null = null;
  private readonly wrapper: KeyWrapper;
  private readonly hmacKey: Buffer;
  private timer: NodeJS.Timeout | null = null;
  private loading: Promise<FieldCipher> | null = null;
  private readonly logger = new Logger('PersonPii');

  constructor(@Inject(PLATFORM_CONFIG) private readonly config: SocialRegisterConfig, private readonly dataSource: DataSource) {
    ({ wrapper: this.wrapper, hmacKey: this.hmacKey } = registerKeyWrapper(config));
  }

  async onModuleInit(): Promise<void> {
    await this.reload();
    // A failed periodic reload keeps the keys held so far, and says so: key retirement assumes every
    // replica reloads within 2 x PII_KEY_REFRESH_MS, so an operator must see a replica that does not.
    this.timer = setInterval(
      () => void this.reload().catch((err: unknown) => this.logger.warn(`personal-data keys could not be reloaded; keeping the keys held so far: ${(err as Error).message}`)),
      this.config.PII_KEY_REFRESH_MS ?? 60_000,
    );
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  reload(): Promise<FieldCipher> {
    this.loading ??= loadFieldCipher(typeormSql(this.dataSource), REGISTER_SCHEMA, this.wrapper, this.hmacKey)
      .then((c) => (this.current = c))
      .finally(() => (this.loading = null));
    return this.loading;
  }

  get cipher(): FieldCipher {
    if (!this.current) throw new Error('personal-data keys are not loaded yet');
    return this.current;
  }

  /** The cipher, reloaded first when `values` name a key it does not hold. */
  async cipherFor(...values: unknown[]): Promise<FieldCipher> {
    const known = new Set(this.cipher.keyIds);
    for (const v of values) for (const kid of keyIdsIn(v)) if (!known.has(kid)) return this.reload();
    return this.cipher;
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
