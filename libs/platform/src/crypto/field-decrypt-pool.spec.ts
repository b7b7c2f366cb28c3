import { randomBytes } from 'node:crypto';
import { FieldCipher, PiiCryptoErrorCode, type PiiCryptoError } from './field-cipher';

const cipherWith = (keys: Record<string, Buffer>, active: string) =>
  new FieldCipher({ dataKeys: new Map(Object.entries(keys)), activeKeyId: active, hmacKey: randomBytes(32) });

describe('FieldCipher.decryptMany on a worker pool', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  it('answers what decrypt answers, in order, over several workers (null stays null)', async () => {
    const c = cipherWith({ k1, k2 }, 'k2');
    const old = cipherWith({ k1 }, 'k1');
    const plain = Array.from({ length: 101 }, (_, i) =>
      i % 7 === 0 ? null : `UA21322313000002600723356${String(i).padStart(4, '0')} Привіт`,
    );
    const fields = plain.map((_, i) => (i % 2 ? 'iban' : 'payee_rnokpp'));
    // values under both keys (before and after a rotation)
    const stored = plain.map((p, i) => (i % 3 ? c : old).encrypt(p, fields[i]!));
    const pool = c.decryptPool(3);
    try {
      expect(await c.decryptMany(stored, fields, pool)).toEqual(plain);
      expect(await c.decryptMany(stored, fields)).toEqual(plain);
      expect(await c.decryptMany([], [], pool)).toEqual([]);
    } finally {
      await pool.close();
    }
  });

  it('throws the PiiCryptoError decrypt throws for a tampered, misplaced, malformed or unknown-key value', async () => {
    const c = cipherWith({ k1 }, 'k1');
    const stored = c.encrypt('UA213223130000026007233566001', 'iban');
    const parts = stored.split(':');
    const tampered = [...parts.slice(0, 4), Buffer.from('x'.repeat(29)).toString('base64url')].join(':');
    const foreign = cipherWith({ k9: k2 }, 'k9').encrypt('3012345678', 'iban');
    const pool = c.decryptPool(2);
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e: PiiCryptoError) => e.code,
      );
    try {
      expect(await codeOf(c.decryptMany([stored, tampered], ['iban', 'iban'], pool))).toBe(PiiCryptoErrorCode.AUTHENTICATION_FAILED);
      expect(await codeOf(c.decryptMany([stored], ['payee_rnokpp'], pool))).toBe(PiiCryptoErrorCode.AUTHENTICATION_FAILED);
      expect(await codeOf(c.decryptMany(['UA213223130000026007233566001'], ['iban'], pool))).toBe(PiiCryptoErrorCode.CIPHERTEXT_MALFORMED);
      expect(await codeOf(c.decryptMany([foreign], ['iban'], pool))).toBe(PiiCryptoErrorCode.KEY_UNKNOWN);
      // values the pool's one-string protocol cannot carry are left to the cipher, which refuses them
      expect(await codeOf(c.decryptMany([stored, ''], ['iban', 'iban'], pool))).toBe(PiiCryptoErrorCode.CIPHERTEXT_MALFORMED);
      expect(await codeOf(c.decryptMany([`${stored}\n${stored}`, stored], ['iban', 'iban'], pool))).toBe(
        PiiCryptoErrorCode.CIPHERTEXT_MALFORMED,
      );
      // the pool still answers after values it could not read
      expect(await c.decryptMany([stored], ['iban'], pool)).toEqual(['UA213223130000026007233566001']);
    } finally {
      await pool.close();
    }
  });
});
