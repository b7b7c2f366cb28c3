import { randomBytes } from 'node:crypto';
import { FieldCipher, PiiCryptoError, PiiCryptoErrorCode, keyIdOf } from './field-cipher';
import { DEV_PII_HMAC_KEY, DEV_PII_MASTER_KEYS, LocalKeyWrapper, piiKeyConfig } from './key-wrapper';

const hmacKey = randomBytes(32);
const cipherWith = (keys: Record<string, Buffer>, active: string, hmac = hmacKey) => new FieldCipher({ dataKeys: new Map(Object.entries(keys)), activeKeyId: active, hmacKey: hmac });

describe('FieldCipher', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  it('round-trips a value, with the key id in a versioned compact string', () => {
    const c = cipherWith({ k1 }, 'k1');
    const stored = c.encrypt('3012345678', 'rnokpp');
    expect(stored).toMatch(/^v1:k1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(stored).not.toContain('3012345678');
    expect(keyIdOf(stored)).toBe('k1');
    expect(c.decrypt(stored, 'rnokpp')).toBe('3012345678');
    expect(c.encrypt('Привіт, світ', 'email')).not.toBe(c.encrypt('Привіт, світ', 'email'));
    expect(c.decrypt(c.encrypt('Привіт, світ', 'email'), 'email')).toBe('Привіт, світ');
    expect(c.encrypt(null, 'phone')).toBeNull();
    expect(c.decrypt(null, 'phone')).toBeNull();
  });

  it('refuses a tampered value, another field’s value and a malformed one', () => {
    const c = cipherWith({ k1 }, 'k1');
    const stored = c.encrypt('UA213223130000026007233566001', 'iban');
    const parts = stored.split(':');
    const ct = Buffer.from(parts[4]!, 'base64url');
    ct[0]! ^= 1;
    const tampered = [...parts.slice(0, 4), ct.toString('base64url')].join(':');
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(PiiCryptoError);
        expect((e as Error).message).not.toContain('UA213223130000026007233566001');
        return (e as PiiCryptoError).code;
      }
      return 'no error';
    };
    expect(code(() => c.decrypt(tampered, 'iban'))).toBe(PiiCryptoErrorCode.AUTHENTICATION_FAILED);
    expect(code(() => c.decrypt(stored, 'rnokpp'))).toBe(PiiCryptoErrorCode.AUTHENTICATION_FAILED);
    expect(code(() => c.decrypt('UA213223130000026007233566001', 'iban'))).toBe(PiiCryptoErrorCode.CIPHERTEXT_MALFORMED);
  });

  it('refuses a value under a key it does not hold, and a wrong key under the right id', () => {
    const stored = cipherWith({ k1 }, 'k1').encrypt('3012345678', 'rnokpp');
    expect(() => cipherWith({ k2 }, 'k2').decrypt(stored, 'rnokpp')).toThrow(expect.objectContaining({ code: PiiCryptoErrorCode.KEY_UNKNOWN, keyId: 'k1' }));
    expect(() => cipherWith({ k1: k2 }, 'k1').decrypt(stored, 'rnokpp')).toThrow(expect.objectContaining({ code: PiiCryptoErrorCode.AUTHENTICATION_FAILED }));
  });

  it('hashes stably per field under its own key', () => {
    const a = cipherWith({ k1 }, 'k1');
    const b = cipherWith({ k2 }, 'k2');
    expect(a.hash('3012345678', 'rnokpp')).toBe(b.hash('3012345678', 'rnokpp'));
    expect(a.hash('3012345678', 'rnokpp')).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash('3012345678', 'rnokpp')).not.toBe(a.hash('3012345678', 'unzr'));
    expect(a.hash('3012345678', 'rnokpp')).not.toBe(cipherWith({ k1 }, 'k1', randomBytes(32)).hash('3012345678', 'rnokpp'));
    expect(a.matches('3012345678', 'rnokpp', a.hash('3012345678', 'rnokpp'))).toBe(true);
    expect(a.matches('3012345679', 'rnokpp', a.hash('3012345678', 'rnokpp'))).toBe(false);
  });

  it('rotates: old values stay readable, re-encryption moves them to the active key', () => {
    const old = cipherWith({ k1 }, 'k1');
    const stored = old.encrypt('0501234567', 'phone');
    const rotated = cipherWith({ k1, k2 }, 'k2');
    expect(rotated.decrypt(stored, 'phone')).toBe('0501234567');
    expect(rotated.needsReencryption(stored)).toBe(true);
    const again = rotated.reencrypt(stored, 'phone');
    expect(keyIdOf(again)).toBe('k2');
    expect(rotated.needsReencryption(again)).toBe(false);
    expect(rotated.reencrypt(again, 'phone')).toBe(again);
    expect(cipherWith({ k2 }, 'k2').decrypt(again, 'phone')).toBe('0501234567');
  });
});

describe('LocalKeyWrapper and key configuration', () => {
  it('wraps a data key bound to its id; an older master key still unwraps', async () => {
    const m1 = { id: 'mk1', key: randomBytes(32) };
    const m2 = { id: 'mk2', key: randomBytes(32) };
    const dek = randomBytes(32);
    const w1 = await new LocalKeyWrapper([m1]).wrap(dek, 'dk1');
    expect(w1.masterKeyId).toBe('mk1');
    const both = new LocalKeyWrapper([m2, m1]);
    expect(both.activeMasterKeyId).toBe('mk2');
    expect((await both.unwrap('mk1', w1.wrapped, 'dk1')).equals(dek)).toBe(true);
    await expect(both.unwrap('mk1', w1.wrapped, 'dk2')).rejects.toMatchObject({ code: PiiCryptoErrorCode.AUTHENTICATION_FAILED });
    await expect(new LocalKeyWrapper([m2]).unwrap('mk1', w1.wrapped, 'dk1')).rejects.toMatchObject({ code: PiiCryptoErrorCode.KEY_UNKNOWN });
  });

  it('defaults to development keys outside production only, and refuses them in production', () => {
    expect(piiKeyConfig({ NODE_ENV: 'test' }).masterKeys[0]!.id).toBe('dev-mk1');
    expect(() => piiKeyConfig({ NODE_ENV: 'production' })).toThrow(/PII_MASTER_KEYS: required in production[\s\S]*PII_HMAC_KEY: required/);
    expect(() => piiKeyConfig({ NODE_ENV: 'production', PII_MASTER_KEYS: DEV_PII_MASTER_KEYS, PII_HMAC_KEY: DEV_PII_HMAC_KEY })).toThrow(/development key is refused/);
    const mk = `mk-2026:${randomBytes(32).toString('base64')},mk-2025:${randomBytes(32).toString('base64')}`;
    const cfg = piiKeyConfig({ NODE_ENV: 'production', PII_MASTER_KEYS: mk, PII_HMAC_KEY: randomBytes(32).toString('base64') });
    expect(cfg.masterKeys.map((m) => m.id)).toEqual(['mk-2026', 'mk-2025']);
    expect(() => piiKeyConfig({ NODE_ENV: 'test', PII_MASTER_KEYS: 'mk:short', PII_HMAC_KEY: 'c2hvcnQ=' })).toThrow(/32 bytes[\s\S]*at least 32 bytes/);
  });
});
