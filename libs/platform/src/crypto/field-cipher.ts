import { createCipheriv, createDecipheriv, createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { createFieldDecryptPool, type FieldDecryptPool } from './field-decrypt-pool';

/**
 * Field-level encryption of personal data (envelope encryption, the data-key half).
 *
 * A stored value is the compact string `v1:<kid>:<iv>:<tag>:<ct>` (base64url parts): AES-256-GCM
 * under the data key `kid`, a 12-byte random IV, the 16-byte tag, and the field name as additional
 * authenticated data (a value copied into another field does not decrypt). Every value names its
 * key, so values under older keys stay readable until the rotation command re-encrypts them.
 *
 * Exact-match lookups and duplicate control use `hash`: HMAC-SHA-256 under a separate key of
 * `<field>\0<value>` (hex), never the plain value.
 */
export const CIPHERTEXT_VERSION = 'v1';
const PREFIX = `${CIPHERTEXT_VERSION}:`;
const KID = /^[A-Za-z0-9_.-]{1,64}$/;

export const PiiCryptoErrorCode = {
  CIPHERTEXT_MALFORMED: 'PII_CIPHERTEXT_MALFORMED',
  KEY_UNKNOWN: 'PII_KEY_UNKNOWN',
  AUTHENTICATION_FAILED: 'PII_AUTHENTICATION_FAILED',
  KEY_INVALID: 'PII_KEY_INVALID',
} as const;

/** A stored value that cannot be read (malformed, under an unknown key, or tampered with). Never carries the value. */
export class PiiCryptoError extends Error {
  constructor(
    readonly code: (typeof PiiCryptoErrorCode)[keyof typeof PiiCryptoErrorCode],
    message: string,
    readonly keyId?: string,
  ) {
    super(message);
    this.name = 'PiiCryptoError';
  }
}

const b64u = (b: Buffer) => b.toString('base64url');

export function isCiphertext(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PREFIX) && value.split(':').length === 5;
}

/** The key id a stored value was encrypted under (null when it is not a ciphertext). */
export function keyIdOf(value: string): string | null {
  if (!isCiphertext(value)) return null;
  return value.split(':')[1]!;
}

export interface FieldCipherKeys {
  /** Data keys by id (32 bytes each), every key still needed to read. */
  dataKeys: ReadonlyMap<string, Buffer>;
  /** The key new values are encrypted under. */
  activeKeyId: string;
  /** The HMAC key of lookup hashes (at least 32 bytes). */
  hmacKey: Buffer;
}

export class FieldCipher {
  private readonly dataKeys: ReadonlyMap<string, Buffer>;
  readonly activeKeyId: string;
  private readonly hmacKey: Buffer;
  /** The data keys as key objects (made once: a decipher made from raw bytes imports the key every time). */
  private readonly keyObjects: ReadonlyMap<string, KeyObject>;
  /** The AAD of each field name seen (one buffer a field, not one a value). */
  private readonly aads = new Map<string, Buffer>();

  constructor(keys: FieldCipherKeys) {
    for (const [kid, key] of keys.dataKeys) {
      if (!KID.test(kid))
        throw new PiiCryptoError(PiiCryptoErrorCode.KEY_INVALID, `data key id ${JSON.stringify(kid)} is not [A-Za-z0-9_.-]{1,64}`);
      if (key.length !== 32) throw new PiiCryptoError(PiiCryptoErrorCode.KEY_INVALID, `data key ${kid} is not 32 bytes`, kid);
    }
    if (!keys.dataKeys.has(keys.activeKeyId))
      throw new PiiCryptoError(PiiCryptoErrorCode.KEY_UNKNOWN, `active data key ${keys.activeKeyId} is not loaded`, keys.activeKeyId);
    if (keys.hmacKey.length < 32) throw new PiiCryptoError(PiiCryptoErrorCode.KEY_INVALID, 'the HMAC key is shorter than 32 bytes');
    this.dataKeys = new Map(keys.dataKeys);
    this.activeKeyId = keys.activeKeyId;
    this.hmacKey = Buffer.from(keys.hmacKey);
    this.keyObjects = new Map([...this.dataKeys].map(([kid, key]) => [kid, createSecretKey(key)]));
  }

  private aad(field: string): Buffer {
    let aad = this.aads.get(field);
    if (!aad) this.aads.set(field, (aad = Buffer.from(field, 'utf8')));
    return aad;
  }

  get keyIds(): string[] {
    return [...this.dataKeys.keys()];
  }

  /** Encrypts `plain` for `field` under the active key; null stays null. */
  encrypt(plain: string, field: string): string;
  encrypt(plain: string | null | undefined, field: string): string | null;
  encrypt(plain: string | null | undefined, field: string): string | null {
    if (plain === null || plain === undefined) return null;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.dataKeys.get(this.activeKeyId)!, iv);
    cipher.setAAD(Buffer.from(field, 'utf8'));
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [CIPHERTEXT_VERSION, this.activeKeyId, b64u(iv), b64u(cipher.getAuthTag()), b64u(ct)].join(':');
  }

  /** Decrypts a value of `field`; null stays null. Throws PiiCryptoError when it cannot be read. */
  decrypt(stored: string, field: string): string;
  decrypt(stored: string | null | undefined, field: string): string | null;
  decrypt(stored: string | null | undefined, field: string): string | null {
    if (stored === null || stored === undefined) return null;
    const parts = stored.split(':');
    if (parts.length !== 5 || parts[0] !== CIPHERTEXT_VERSION)
      throw new PiiCryptoError(PiiCryptoErrorCode.CIPHERTEXT_MALFORMED, `a ${field} value is not a ${CIPHERTEXT_VERSION} ciphertext`);
    const [, kid, ivPart, tagPart, ctPart] = parts as [string, string, string, string, string];
    const key = this.keyObjects.get(kid);
    if (!key)
      throw new PiiCryptoError(PiiCryptoErrorCode.KEY_UNKNOWN, `a ${field} value is under data key ${kid}, which is not loaded`, kid);
    const iv = Buffer.from(ivPart, 'base64url');
    const tag = Buffer.from(tagPart, 'base64url');
    if (iv.length !== 12 || tag.length !== 16)
      throw new PiiCryptoError(PiiCryptoErrorCode.CIPHERTEXT_MALFORMED, `a ${field} value has a malformed IV or tag`, kid);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(this.aad(field));
      decipher.setAuthTag(tag);
      const plain = decipher.update(Buffer.from(ctPart, 'base64url'));
      decipher.final(); // GCM: authenticates, returns nothing more
      return plain.toString('utf8');
    } catch {
      throw new PiiCryptoError(
        PiiCryptoErrorCode.AUTHENTICATION_FAILED,
        `a ${field} value failed authentication (tampered, or another field's value)`,
        kid,
      );
    }
  }

  /**
   * Worker threads that decrypt with this cipher's data keys (for many values at once, e.g. a bank
   * file): pass it to decryptMany, and close it when done.
   */
  decryptPool(threads: number): FieldDecryptPool {
    return createFieldDecryptPool(this.dataKeys, threads);
  }

  /**
   * Decrypts `values[i]` of field `fields[i]`, on the pool's workers when one is given: the same
   * answers and the same errors as decrypt (a value the workers cannot read is decrypted here, which
   * throws its PiiCryptoError).
   */
  async decryptMany(values: readonly (string | null)[], fields: readonly string[], pool?: FieldDecryptPool): Promise<(string | null)[]> {
    if (!pool) return values.map((v, i) => this.decrypt(v, fields[i]!));
    const out = await pool.decrypt(values, fields);
    return out.map((v, i) => (v === undefined ? this.decrypt(values[i], fields[i]!) : v));
  }

  /** True when the value is a ciphertext under a key other than the active one. */
  needsReencryption(stored: string | null | undefined): boolean {
    if (stored === null || stored === undefined) return false;
    return keyIdOf(stored) !== this.activeKeyId;
  }

  /** Re-encrypts a stored value under the active key (unchanged when it already is). */
  reencrypt(stored: string, field: string): string;
  reencrypt(stored: string | null | undefined, field: string): string | null;
  reencrypt(stored: string | null | undefined, field: string): string | null {
    if (stored === null || stored === undefined) return null;
    if (!this.needsReencryption(stored)) return stored;
    return this.encrypt(this.decrypt(stored, field), field);
  }

  /** The lookup hash of a value of `field` (hex HMAC-SHA-256); null stays null. */
  hash(plain: string, field: string): string;
  hash(plain: string | null | undefined, field: string): string | null;
  hash(plain: string | null | undefined, field: string): string | null {
    if (plain === null || plain === undefined) return null;
    return createHmac('sha256', this.hmacKey).update(field, 'utf8').update('\0').update(plain, 'utf8').digest('hex');
  }

  /** Constant-time comparison of a plain value with a stored hash. */
  matches(plain: string, field: string, storedHash: string): boolean {
    const a = Buffer.from(this.hash(plain, field), 'hex');
    const b = Buffer.from(storedHash, 'hex');
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

/** A fresh random 32-byte data key. */
export function generateDataKey(): Buffer {
  return randomBytes(32);
}
