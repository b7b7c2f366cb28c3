import { randomBytes } from 'node:crypto';
import { FieldCipher, PiiCryptoError, PiiCryptoErrorCode, keyIdOf } from './field-cipher';
import { retireDataKeys, type SqlRows } from './data-keys';
import { DEV_PII_HMAC_KEY, DEV_PII_MASTER_KEYS, LocalKeyWrapper, piiKeyConfig } from './key-wrapper';

const hmacKey = randomBytes(32);
const cipherWith = (keys: Record<string, Buffer>, active: string, hmac = hmacKey) =>
  new FieldCipher({ dataKeys: new Map(Object.entries(keys)), activeKeyId: active, hmacKey: hmac });

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
    expect(() => cipherWith({ k2 }, 'k2').decrypt(stored, 'rnokpp')).toThrow(
      expect.objectContaining({ code: PiiCryptoErrorCode.KEY_UNKNOWN, keyId: 'k1' }),
    );
    expect(() => cipherWith({ k1: k2 }, 'k1').decrypt(stored, 'rnokpp')).toThrow(
      expect.objectContaining({ code: PiiCryptoErrorCode.AUTHENTICATION_FAILED }),
    );
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
    await expect(new LocalKeyWrapper([m2]).unwrap('mk1', w1.wrapped, 'dk1')).rejects.toMatchObject({
      code: PiiCryptoErrorCode.KEY_UNKNOWN,
    });
  });

  it('refuses a wrapped key whose GCM tag is not 16 bytes (a short tag would weaken authentication)', async () => {
    const m1 = { id: 'mk1', key: randomBytes(32) };
    const w = new LocalKeyWrapper([m1]);
    const { wrapped } = await w.wrap(randomBytes(32), 'dk1');
    const [iv, tag, ct] = wrapped.split('.');
    const short = [iv, Buffer.from(tag!, 'base64url').subarray(0, 4).toString('base64url'), ct].join('.');
    await expect(w.unwrap('mk1', short, 'dk1')).rejects.toMatchObject({ code: PiiCryptoErrorCode.CIPHERTEXT_MALFORMED });
    await expect(w.unwrap('mk1', wrapped, 'dk1')).resolves.toHaveLength(32);
  });

  it('defaults to development keys outside production only, and refuses them in production', () => {
    expect(piiKeyConfig({ NODE_ENV: 'test' }).masterKeys[0]!.id).toBe('dev-mk1');
    expect(() => piiKeyConfig({ NODE_ENV: 'production' })).toThrow(/PII_MASTER_KEYS: required in production[\s\S]*PII_HMAC_KEY: required/);
    expect(() => piiKeyConfig({ NODE_ENV: 'production', PII_MASTER_KEYS: DEV_PII_MASTER_KEYS, PII_HMAC_KEY: DEV_PII_HMAC_KEY })).toThrow(
      /development key is refused/,
    );
    // The development keys under another id or in another base64 spelling are still refused.
    const devMasterB64 = DEV_PII_MASTER_KEYS.split(':')[1]!;
    const otherHmac = randomBytes(32).toString('base64');
    expect(() => piiKeyConfig({ NODE_ENV: 'production', PII_MASTER_KEYS: `prod:${devMasterB64}`, PII_HMAC_KEY: otherHmac })).toThrow(
      /PII_MASTER_KEYS: the development key is refused/,
    );
    expect(() =>
      piiKeyConfig({
        NODE_ENV: 'production',
        PII_MASTER_KEYS: `mk-2026:${randomBytes(32).toString('base64')},old:${devMasterB64}`,
        PII_HMAC_KEY: otherHmac,
      }),
    ).toThrow(/development key is refused/);
    expect(() =>
      piiKeyConfig({
        NODE_ENV: 'production',
        PII_MASTER_KEYS: `mk:${randomBytes(32).toString('base64')}`,
        PII_HMAC_KEY: DEV_PII_HMAC_KEY.replace(/=+$/, ''),
      }),
    ).toThrow(/PII_HMAC_KEY: the development key is refused/);
    const mk = `mk-2026:${randomBytes(32).toString('base64')},mk-2025:${randomBytes(32).toString('base64')}`;
    const cfg = piiKeyConfig({ NODE_ENV: 'production', PII_MASTER_KEYS: mk, PII_HMAC_KEY: randomBytes(32).toString('base64') });
    expect(cfg.masterKeys.map((m) => m.id)).toEqual(['mk-2026', 'mk-2025']);
    expect(() => piiKeyConfig({ NODE_ENV: 'test', PII_MASTER_KEYS: 'mk:short', PII_HMAC_KEY: 'c2hvcnQ=' })).toThrow(
      /32 bytes[\s\S]*at least 32 bytes/,
    );
  });
});

describe('retireDataKeys', () => {
  /** A fake database: the key rows the SELECT answers, and the statements run in order. */
  function fakeSql(keys: { id: string; old_enough: boolean }[]) {
    const log: string[] = [];
    const sql: SqlRows = async (text, params) => {
      log.push(text.trim().split(/\s+/)[0]!);
      if (text.includes('FOR UPDATE')) return keys.map((k) => ({ ...k, retire_after: new Date('2026-12-01T23:00:00Z') }));
      if (text.startsWith('DELETE')) return (params![0] as string[]).map((id) => ({ id }));
      return [];
    };
    return { sql, log };
  }

  it('retires only keys inactive long enough and unused by the count taken after locking them', async () => {
    const { sql, log } = fakeSql([
      { id: 'old', old_enough: true },
      { id: 'still-used', old_enough: true },
      { id: 'recent', old_enough: false },
    ]);
    const counted: string[] = [];
    const r = await retireDataKeys(sql, 's', {
      minInactiveMs: 120_000,
      keyIdsInUse: async () => {
        counted.push(log.join(','));
        return new Set(['still-used', 'active']);
      },
    });
    expect(r).toEqual({
      retired: ['old'],
      tooRecent: [{ id: 'recent', retireAfter: new Date('2026-12-01T23:00:00Z') }],
      inUse: ['still-used'],
    });
    expect(counted).toEqual(['SELECT']); // counted after the key rows were locked, before the delete
    expect(log).toEqual(['SELECT', 'DELETE']);
  });

  it('deletes nothing (and counts nothing) when every inactive key stopped being active too recently', async () => {
    const { sql, log } = fakeSql([{ id: 'recent', old_enough: false }]);
    const keyIdsInUse = jest.fn(async () => new Set<string>());
    const r = await retireDataKeys(sql, 's', { minInactiveMs: 120_000, keyIdsInUse });
    expect(r.retired).toEqual([]);
    expect(r.tooRecent.map((k) => k.id)).toEqual(['recent']);
    expect(keyIdsInUse).not.toHaveBeenCalled();
    expect(log).toEqual(['SELECT']);
  });
});
