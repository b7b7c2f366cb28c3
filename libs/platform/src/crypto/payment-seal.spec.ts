import { SealedPayee, SealedPaymentMethod, ProposedPaymentMethod } from '@eisss/contracts';
import { Value } from '@sinclair/typebox/value';
import { exportJWK, generateKeyPair } from 'jose';
import {
  DEV_SEAL_KEYS,
  accountRefKey,
  accountRefOf,
  openAccount,
  openPayee,
  sealAccount,
  sealOpenerFromConfig,
  sealPayee,
  sealProposal,
  sealRecipientFromConfig,
} from './payment-seal';

const IBAN = 'UA213223130000026007233566001';
const OTHER = 'UA903052992990004149123456789';
const refKey = accountRefKey(Buffer.alloc(32, 1));
const treasury = sealRecipientFromConfig('SEAL_FOR_TREASURY', undefined, 'payments-treasury', 'test');
const register = sealRecipientFromConfig('SEAL_FOR_REGISTER', undefined, 'social-register', 'test');
const treasuryOpener = sealOpenerFromConfig('SEAL_KEYS', undefined, 'payments-treasury', 'test');
const registerOpener = sealOpenerFromConfig('SEAL_KEYS', undefined, 'social-register', 'test');

describe('payment accounts on events (sealed for the treasury)', () => {
  it('an account event carries the IBAN and РНОКПП only masked, referenced and sealed; the treasury opens them', async () => {
    const account = await sealAccount(treasury, refKey, { method: 'bank', iban: IBAN });
    const holder = await sealPayee(treasury, refKey, { fullName: 'Шевченко Олена', rnokpp: '3296909324', documentNumber: null });
    expect(Value.Check(SealedPaymentMethod, account)).toBe(true);
    expect(Value.Check(SealedPayee, holder)).toBe(true);
    const text = JSON.stringify({ account, holder });
    expect(text).not.toContain(IBAN);
    expect(text).not.toContain('3296909324');
    expect(account).toMatchObject({ method: 'bank', ibanMasked: 'UA21*********************6001' });
    expect(holder).toMatchObject({ fullName: 'Шевченко Олена', rnokppMasked: '******9324', documentNumberMasked: null });
    await expect(openAccount(treasuryOpener, account)).resolves.toEqual({ method: 'bank', iban: IBAN });
    await expect(openPayee(treasuryOpener, holder)).resolves.toEqual({
      fullName: 'Шевченко Олена',
      rnokpp: '3296909324',
      documentNumber: null,
    });
    // Sealed for the treasury: the register's key does not open it.
    await expect(openAccount(registerOpener, account)).rejects.toMatchObject({ code: 'PII_KEY_UNKNOWN' });
  });

  it('the reference is stable per IBAN and differs between IBANs; the sealed value is not', async () => {
    const [a1, a2, b] = await Promise.all([IBAN, IBAN, OTHER].map((iban) => sealAccount(treasury, refKey, { method: 'bank', iban })));
    expect(a1.method === 'bank' && a2.method === 'bank' && b.method === 'bank').toBe(true);
    if (a1.method !== 'bank' || a2.method !== 'bank' || b.method !== 'bank') return;
    expect(a1.accountRef).toBe(a2.accountRef);
    expect(a1.accountRef).toBe(accountRefOf(refKey, IBAN));
    expect(b.accountRef).not.toBe(a1.accountRef);
    expect(a1.ibanSealed).not.toBe(a2.ibanSealed);
    // Another lookup key gives other references (the reference is keyed, not a bare hash of the IBAN).
    expect(accountRefOf(accountRefKey(Buffer.alloc(32, 2)), IBAN)).not.toBe(a1.accountRef);
  });

  it('a holder without РНОКПП travels with the document number sealed and its last characters', async () => {
    const holder = await sealPayee(treasury, refKey, { fullName: 'Іванов Петро', rnokpp: null, documentNumber: 'АА123456' });
    expect(holder).toMatchObject({ rnokppMasked: null, documentNumberMasked: '…456' });
    expect(JSON.stringify(holder)).not.toContain('АА123456');
    await expect(openPayee(treasuryOpener, holder)).resolves.toEqual({
      fullName: 'Іванов Петро',
      rnokpp: null,
      documentNumber: 'АА123456',
    });
  });

  it('a proposed account is sealed for the register, and the IBAN field cannot be passed off as the payee identity', async () => {
    const proposal = await sealProposal(register, { method: 'bank', iban: IBAN });
    expect(Value.Check(ProposedPaymentMethod, proposal)).toBe(true);
    await expect(openAccount(registerOpener, proposal)).resolves.toEqual({ method: 'bank', iban: IBAN });
    const account = await sealAccount(treasury, refKey, { method: 'bank', iban: IBAN });
    if (account.method !== 'bank') throw new Error('bank expected');
    await expect(
      openPayee(treasuryOpener, {
        fullName: 'X',
        rnokppMasked: null,
        documentNumberMasked: null,
        identityRef: account.accountRef,
        identitySealed: account.ibanSealed,
      }),
    ).rejects.toMatchObject({
      code: 'PII_AUTHENTICATION_FAILED',
    });
    await expect(sealAccount(treasury, refKey, { method: 'post', postcode: '01001' })).resolves.toEqual({
      method: 'post',
      postcode: '01001',
    });
  });

  it('configuration: a JWK with kid is required in production and the development keys are refused there', async () => {
    expect(() => sealRecipientFromConfig('SEAL_FOR_TREASURY', undefined, 'payments-treasury', 'production')).toThrow(
      /SEAL_FOR_TREASURY: required in production/,
    );
    const { d: _d, ...devPublic } = DEV_SEAL_KEYS['payments-treasury'];
    expect(() => sealRecipientFromConfig('SEAL_FOR_TREASURY', JSON.stringify(devPublic), 'payments-treasury', 'production')).toThrow(
      /development key is refused/,
    );
    expect(() =>
      sealOpenerFromConfig('SEAL_KEYS', JSON.stringify([DEV_SEAL_KEYS['payments-treasury']]), 'payments-treasury', 'production'),
    ).toThrow(/development key is refused/);
    expect(() =>
      sealRecipientFromConfig('SEAL_FOR_TREASURY', JSON.stringify(DEV_SEAL_KEYS['payments-treasury']), 'payments-treasury', 'test'),
    ).toThrow(/private part/);
    expect(() => sealRecipientFromConfig('SEAL_FOR_TREASURY', '{"kty":"EC"', 'payments-treasury', 'test')).toThrow(/not JSON/);
    expect(() => sealOpenerFromConfig('SEAL_KEYS', '[]', 'payments-treasury', 'test')).toThrow(/non-empty/);

    const { publicKey, privateKey } = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
    const pub = { ...(await exportJWK(publicKey)), kid: 'treasury-2027' };
    const priv = { ...(await exportJWK(privateKey)), kid: 'treasury-2027' };
    const prodRecipient = sealRecipientFromConfig('SEAL_FOR_TREASURY', JSON.stringify(pub), 'payments-treasury', 'production');
    // Rotation: the treasury lists its new key and keeps the old one until nothing sealed to it is stored or in flight.
    const prodOpener = sealOpenerFromConfig(
      'SEAL_KEYS',
      JSON.stringify([priv, { ...priv, kid: 'treasury-2026' }]),
      'payments-treasury',
      'production',
    );
    const sealed = await sealAccount(prodRecipient, refKey, { method: 'bank', iban: IBAN });
    await expect(openAccount(prodOpener, sealed)).resolves.toEqual({ method: 'bank', iban: IBAN });
  });
});
