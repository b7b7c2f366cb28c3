import {
  DomainError,
  FieldCipher,
  SealedField,
  generateDataKey,
  maskIban,
  sealFor,
  sealOpenerFromConfig,
  sealRecipientFromConfig,
} from '@eisss/platform';
import { sealedAccount, sealedPayee } from '@eisss/testing';
import { generateKeyPair, exportJWK } from 'jose';
import { PiiField } from '../pii/treasury-pii';
import { accountChanged, storedAccountOf } from './account-intake';

const IBAN = 'UA213223130000026007233566001';
const opener = sealOpenerFromConfig('SEAL_KEYS', undefined, 'payments-treasury', 'test');
const cipher = new FieldCipher({ dataKeys: new Map([['k1', generateDataKey()]]), activeKeyId: 'k1', hmacKey: Buffer.alloc(32, 7) });
const holder = { fullName: 'Отримувач Тестовий', rnokpp: '3296909324', documentNumber: null };

/** A bank account as the register seals it (the bank variant, so its sealed IBAN can be replaced). */
async function bankAccount(iban: string) {
  const a = await sealedAccount({ method: 'bank', iban });
  if (a.method !== 'bank') throw new Error('not a bank account');
  return a;
}

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

describe('storedAccountOf', () => {
  it('opens the sealed IBAN and identifiers and stores them encrypted, with the masked IBAN, its hash and the МФО', async () => {
    const a = await storedAccountOf(opener, cipher, await sealedAccount({ method: 'bank', iban: IBAN }), await sealedPayee(holder));
    expect(a).toMatchObject({
      method: 'bank',
      postcode: null,
      payeeFullName: holder.fullName,
      iban_masked: maskIban(IBAN),
      mfo: '322313',
      payee_document_number_enc: null,
    });
    expect(JSON.stringify(a)).not.toContain(IBAN);
    expect(JSON.stringify(a)).not.toContain(holder.rnokpp);
    expect(cipher.decrypt(a!.iban_enc, PiiField.Iban)).toBe(IBAN);
    expect(cipher.decrypt(a!.payee_rnokpp_enc, PiiField.PayeeRnokpp)).toBe(holder.rnokpp);
    expect(a!.iban_hash).toMatch(/^[0-9a-f]{64}$/);
    // Each event seals the IBAN anew: the stored hash is the same, so the account has not changed.
    const again = await storedAccountOf(opener, cipher, await sealedAccount({ method: 'bank', iban: IBAN }), await sealedPayee(holder));
    expect(again!.iban_enc).not.toBe(a!.iban_enc);
    expect(accountChanged({ version: 1, paymentMethod: 'bank', ibanHash: a!.iban_hash, postcode: null }, again!)).toBe(false);
    const other = await storedAccountOf(
      opener,
      cipher,
      await sealedAccount({ method: 'bank', iban: 'UA903052992990004149123456789' }),
      await sealedPayee(holder),
    );
    expect(accountChanged({ version: 1, paymentMethod: 'bank', ibanHash: a!.iban_hash, postcode: null }, other!)).toBe(true);
    expect(accountChanged({ version: 1, paymentMethod: 'post', ibanHash: null, postcode: '01001' }, a!)).toBe(true);
  });

  it('stores a post account and a holder with a document number; no account stores nothing', async () => {
    const post = await storedAccountOf(
      opener,
      cipher,
      { method: 'post', postcode: '01001' },
      await sealedPayee({ fullName: 'Без Коду', rnokpp: null, documentNumber: 'КС654321' }),
    );
    expect(post).toMatchObject({ method: 'post', postcode: '01001', iban_enc: null, mfo: null, payee_rnokpp_enc: null });
    expect(cipher.decrypt(post!.payee_document_number_enc, PiiField.PayeeDocumentNumber)).toBe('КС654321');
    expect(accountChanged({ version: 1, paymentMethod: 'post', ibanHash: null, postcode: '01001' }, post!)).toBe(false);
    expect(await storedAccountOf(opener, cipher, null, null)).toBeNull();
  });

  it('refuses an IBAN sealed to another key, tampered with, or sealed as another field, naming the reason and never the value', async () => {
    const account = await bankAccount(IBAN);
    const { privateKey } = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
    const { d: _d, ...pub } = await exportJWK(privateKey);
    const foreign = await sealFor({ kid: 'dev-treasury-1', publicJwk: pub }, SealedField.Iban, IBAN);
    const e1 = await refusal(storedAccountOf(opener, cipher, { ...account, ibanSealed: foreign }, null));
    expect(e1).toMatchObject({ code: 'ASSIGNMENT_ACCOUNT_UNREADABLE', field: 'assignment.payment.ibanSealed' });
    expect(e1.message).toMatch(/does not open/);
    expect(e1.message).not.toContain(IBAN);
    const parts = account.ibanSealed.split('.');
    parts[3] = parts[3]!.slice(0, -2) + (parts[3]!.endsWith('AA') ? 'BB' : 'AA');
    expect((await refusal(storedAccountOf(opener, cipher, { ...account, ibanSealed: parts.join('.') }, null))).code).toBe(
      'ASSIGNMENT_ACCOUNT_UNREADABLE',
    );
    const unknownKid = await sealFor(
      sealRecipientFromConfig('x', JSON.stringify({ ...pub, kid: 'other-1' }), 'payments-treasury', 'test'),
      SealedField.Iban,
      IBAN,
    );
    expect((await refusal(storedAccountOf(opener, cipher, { ...account, ibanSealed: unknownKid }, null))).details).toMatchObject({
      cryptoCode: 'PII_KEY_UNKNOWN',
      keyId: 'other-1',
    });
    const payee = await sealedPayee(holder);
    const asIban = await refusal(storedAccountOf(opener, cipher, { ...account, ibanSealed: payee.identitySealed }, null));
    expect(asIban.message).toMatch(/sealed for "payee-identity", not iban/);
    const asPayee = await refusal(storedAccountOf(opener, cipher, account, { ...payee, identitySealed: account.ibanSealed }));
    expect(asPayee).toMatchObject({ code: 'ASSIGNMENT_PAYEE_UNREADABLE', field: 'assignment.payee.identitySealed' });
  });

  it('refuses an IBAN that fails the mod-97 check or does not match the masked IBAN of the event', async () => {
    const bad = 'UA003223130000026007233566001';
    const sealed = await sealedAccount({ method: 'bank', iban: bad });
    expect((await refusal(storedAccountOf(opener, cipher, sealed, null))).code).toBe('ASSIGNMENT_IBAN_INVALID');
    const account = await bankAccount(IBAN);
    const other = await bankAccount('UA903052992990004149123456789');
    const mixed = { ...account, ibanSealed: other.ibanSealed };
    expect((await refusal(storedAccountOf(opener, cipher, mixed, null))).message).toMatch(/does not match the masked IBAN/);
  });
});
