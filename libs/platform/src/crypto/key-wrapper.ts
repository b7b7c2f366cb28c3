import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { PiiCryptoError, PiiCryptoErrorCode } from './field-cipher';

/**
 * The master-key half of envelope encryption: wraps and unwraps data keys. `LocalKeyWrapper` holds
 * the master keys from configuration; a KMS (Vault transit, a cloud KMS, an HSM) implements the same
 * interface and never hands out its master key.
 */
export interface KeyWrapper {
  /** The master key new data keys are wrapped with. */
  readonly activeMasterKeyId: string;
  /** Wraps a data key; `context` (the data key id) is bound to the result. */
  wrap(dataKey: Buffer, context: string): Promise<{ masterKeyId: string; wrapped: string }>;
  unwrap(masterKeyId: string, wrapped: string, context: string): Promise<Buffer>;
}

/** AES-256-GCM key wrapping under master keys held in memory (`iv.tag.ct`, base64url). */
export class LocalKeyWrapper implements KeyWrapper {
  readonly activeMasterKeyId: string;
  private readonly keys: ReadonlyMap<string, Buffer>;

  /** `masterKeys` in order: the first wraps new data keys, all of them unwrap. */
  constructor(masterKeys: ReadonlyArray<{ id: string; key: Buffer }>) {
    if (masterKeys.length === 0) throw new PiiCryptoError(PiiCryptoErrorCode.KEY_INVALID, 'no master key configured');
    for (const m of masterKeys)
      if (m.key.length !== 32) throw new PiiCryptoError(PiiCryptoErrorCode.KEY_INVALID, `master key ${m.id} is not 32 bytes`, m.id);
    this.keys = new Map(masterKeys.map((m) => [m.id, m.key]));
    this.activeMasterKeyId = masterKeys[0]!.id;
  }

  async wrap(dataKey: Buffer, context: string): Promise<{ masterKeyId: string; wrapped: string }> {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.keys.get(this.activeMasterKeyId)!, iv);
    c.setAAD(Buffer.from(`dek:${context}`));
    const ct = Buffer.concat([c.update(dataKey), c.final()]);
    return { masterKeyId: this.activeMasterKeyId, wrapped: [iv, c.getAuthTag(), ct].map((b) => b.toString('base64url')).join('.') };
  }

  async unwrap(masterKeyId: string, wrapped: string, context: string): Promise<Buffer> {
    const key = this.keys.get(masterKeyId);
    if (!key)
      throw new PiiCryptoError(
        PiiCryptoErrorCode.KEY_UNKNOWN,
        `data key ${context} is wrapped by master key ${masterKeyId}, which is not configured`,
        masterKeyId,
      );
    const [iv, tag, ct] = wrapped.split('.').map((p) => Buffer.from(p, 'base64url'));
    if (!iv || !tag || !ct || iv.length !== 12 || tag.length !== 16)
      throw new PiiCryptoError(PiiCryptoErrorCode.CIPHERTEXT_MALFORMED, `data key ${context} is malformed`);
    try {
      const d = createDecipheriv('aes-256-gcm', key, iv);
      d.setAAD(Buffer.from(`dek:${context}`));
      d.setAuthTag(tag);
      return Buffer.concat([d.update(ct), d.final()]);
    } catch {
      throw new PiiCryptoError(
        PiiCryptoErrorCode.AUTHENTICATION_FAILED,
        `data key ${context} does not unwrap with master key ${masterKeyId}`,
        masterKeyId,
      );
    }
  }
}

/** Personal-data keys from configuration. */
export interface PiiKeyConfig {
  masterKeys: { id: string; key: Buffer }[];
  hmacKey: Buffer;
}

/** Development and test keys (derived from fixed strings): refused in production. */
const devKey = (label: string) => createHash('sha256').update(`eisss-dev-only:${label}`).digest();
export const DEV_PII_MASTER_KEYS = `dev-mk1:${devKey('master-1').toString('base64')}`;
export const DEV_PII_HMAC_KEY = devKey('hmac').toString('base64');

/**
 * Reads `PII_MASTER_KEYS` (`<id>:<base64 32 bytes>[,<id>:<base64>...]`, the first wraps new data keys,
 * the others still unwrap) and `PII_HMAC_KEY` (base64, at least 32 bytes). Outside production missing
 * ones default to development keys; in production they are required and the development keys refused.
 * Throws an Error listing every problem.
 */
export function piiKeyConfig(env: { NODE_ENV?: string; PII_MASTER_KEYS?: string; PII_HMAC_KEY?: string }): PiiKeyConfig {
  const production = env.NODE_ENV === 'production';
  const problems: string[] = [];
  let masterSpec = env.PII_MASTER_KEYS?.trim() || '';
  let hmacSpec = env.PII_HMAC_KEY?.trim() || '';
  if (!production) {
    masterSpec ||= DEV_PII_MASTER_KEYS;
    hmacSpec ||= DEV_PII_HMAC_KEY;
  }
  const masterKeys: { id: string; key: Buffer }[] = [];
  if (!masterSpec) problems.push('PII_MASTER_KEYS: required in production');
  for (const item of masterSpec ? masterSpec.split(',') : []) {
    const [id, b64, ...rest] = item.trim().split(':');
    const key = b64 ? Buffer.from(b64, 'base64') : Buffer.alloc(0);
    if (!id || !/^[A-Za-z0-9_.-]{1,64}$/.test(id) || rest.length > 0 || key.length !== 32)
      problems.push(`PII_MASTER_KEYS: each entry must be <id>:<base64 of 32 bytes>`);
    else if (masterKeys.some((m) => m.id === id)) problems.push(`PII_MASTER_KEYS: key id ${id} given twice`);
    else masterKeys.push({ id, key });
  }
  const hmacKey = Buffer.from(hmacSpec, 'base64');
  if (!hmacSpec) problems.push('PII_HMAC_KEY: required in production');
  else if (hmacKey.length < 32) problems.push('PII_HMAC_KEY: must be base64 of at least 32 bytes');
  if (production) {
    // Compared as key bytes: the same key under another id (or in another base64 spelling) is still the development key.
    const devMaster = devKey('master-1');
    if (masterKeys.some((m) => m.key.equals(devMaster))) problems.push('PII_MASTER_KEYS: the development key is refused in production');
    if (hmacKey.equals(devKey('hmac'))) problems.push('PII_HMAC_KEY: the development key is refused in production');
  }
  if (problems.length) throw new Error(`invalid personal-data key configuration:\n  - ${[...new Set(problems)].join('\n  - ')}`);
  return { masterKeys, hmacKey };
}
