import { CompactEncrypt, exportJWK, generateKeyPair, importJWK } from 'jose';
import { SealedValueOpener, sealFor } from './sealed';

async function keyPair(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
  return { kid, publicJwk: await exportJWK(publicKey), privateJwk: await exportJWK(privateKey) };
}

describe('values sealed for one recipient', () => {
  const IBAN = 'UA213223130000026007233566001';

  it('opens with the recipient key, and only for the field it was sealed for', async () => {
    const treasury = await keyPair('treasury-2026');
    const sealed = await sealFor({ kid: treasury.kid, publicJwk: treasury.publicJwk }, 'iban', IBAN);
    expect(sealed).not.toContain(IBAN);
    expect(sealed.split('.')).toHaveLength(5);
    const opener = new SealedValueOpener([{ kid: treasury.kid, jwk: treasury.privateJwk }]);
    await expect(opener.open('iban', sealed)).resolves.toBe(IBAN);
    await expect(opener.open('rnokpp', sealed)).rejects.toMatchObject({ code: 'PII_AUTHENTICATION_FAILED' });
  });

  it('refuses an unknown kid, another recipient, tampering, garbage and keys of the wrong kind', async () => {
    const [a, b] = await Promise.all([keyPair('a'), keyPair('b')]);
    const toA = await sealFor({ kid: 'a', publicJwk: a.publicJwk }, 'iban', IBAN);
    const opener = new SealedValueOpener([{ kid: 'b', jwk: b.privateJwk }]);
    await expect(opener.open('iban', toA)).rejects.toMatchObject({ code: 'PII_KEY_UNKNOWN' });
    // Sealed to a's key but labelled b: does not open with b's key.
    const relabelled = await sealFor({ kid: 'b', publicJwk: a.publicJwk }, 'iban', IBAN);
    await expect(opener.open('iban', relabelled)).rejects.toMatchObject({ code: 'PII_AUTHENTICATION_FAILED' });
    const aOpener = new SealedValueOpener([{ kid: 'a', jwk: a.privateJwk }]);
    const parts = toA.split('.');
    parts[3] = (parts[3]![0] === 'A' ? 'B' : 'A') + parts[3]!.slice(1);
    await expect(aOpener.open('iban', parts.join('.'))).rejects.toMatchObject({ code: 'PII_AUTHENTICATION_FAILED' });
    await expect(aOpener.open('iban', 'UA21…6001')).rejects.toMatchObject({ code: 'PII_CIPHERTEXT_MALFORMED' });
    await expect(sealFor({ kid: 'a', publicJwk: a.privateJwk }, 'iban', IBAN)).rejects.toMatchObject({ code: 'PII_KEY_INVALID' });
    expect(() => new SealedValueOpener([{ kid: 'a', jwk: a.publicJwk }])).toThrow(/no private part/);
    expect(() => new SealedValueOpener([])).toThrow(/no unsealing key/);
  });

  it('refuses a value encrypted with another algorithm (no downgrade to direct encryption)', async () => {
    const a = await keyPair('a');
    const direct = await new CompactEncrypt(new TextEncoder().encode(IBAN))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: 'a', ctx: 'iban' })
      .encrypt(await importJWK({ kty: 'oct', k: Buffer.alloc(32, 7).toString('base64url') }, 'dir'));
    await expect(new SealedValueOpener([{ kid: 'a', jwk: a.privateJwk }]).open('iban', direct)).rejects.toMatchObject({
      code: 'PII_AUTHENTICATION_FAILED',
    });
  });
});
