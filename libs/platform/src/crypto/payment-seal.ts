import type { Payee, PaymentMethod, ProposedPaymentMethod, SealedPayee, SealedPaymentMethod } from '@eisss/contracts';
import type { Static } from '@sinclair/typebox';
import { createHmac } from 'node:crypto';
import type { JWK } from 'jose';
import { maskIban, maskRnokpp } from '../logging/redaction';
import { PiiCryptoError, PiiCryptoErrorCode } from './field-cipher';
import { SealedValueOpener, sealFor, type SealingRecipient } from './sealed';

/**
 * Payment accounts on events (D13): the register seals the IBAN and the holder's identifiers for the
 * treasury, the only service that writes them into a bank file; processing carries the sealed values
 * through without being able to read them; applications seal a proposed IBAN for the register. Each
 * sealed value travels with its masked form (for views) and a keyed reference (to compare accounts).
 */
export type PlainAccount = Static<typeof PaymentMethod>;
export type PlainPayee = Static<typeof Payee>;
export type SealedAccount = Static<typeof SealedPaymentMethod>;
export type SealedHolder = Static<typeof SealedPayee>;
export type ProposedAccount = Static<typeof ProposedPaymentMethod>;

/** The fields sealed values are bound to (the JWE `ctx` header). */
export const SealedField = { Iban: 'iban', PayeeIdentity: 'payee-identity' } as const;

/**
 * Development and test sealing keys (generated once, committed: the private halves are public, so
 * production refuses them). The treasury opens values sealed to `dev-treasury-1`, the register those
 * sealed to `dev-register-1`.
 */
export const DEV_SEAL_KEYS = {
  'payments-treasury': {
    kid: 'dev-treasury-1',
    kty: 'EC',
    crv: 'P-256',
    x: 'dtVaLlQEmFFmNGgq4KWTDsbDtJeLMKXt2thw9PinBdQ',
    y: 'dtXuuOilY7Z1ywZcKdKQeWTcsXRHUhDLC5ILhmpv02A',
    d: 'OpGr9mUpxdMHQjI1ykZr_G_BxIX6qSVWkY3tRNSQFOg',
  },
  'social-register': {
    kid: 'dev-register-1',
    kty: 'EC',
    crv: 'P-256',
    x: 'uNTFPN3UJg674Lscly6Lseyg2E3KmwngitSTIvvqKIM',
    y: 'bKKgH_hCP_HWdb9Wn1dbXXeIdIbp50_8akz44XiBItc',
    d: 'Go6AHGuZw6lNqm19k134ptSTmz8bf_kEClp61hc6T0I',
  },
} as const satisfies Record<string, JWK & { kid: string }>;

export type SealRecipientService = keyof typeof DEV_SEAL_KEYS;

function publicPart(jwk: JWK & { kid?: string }): JWK & { kid: string } {
  const { d: _d, ...pub } = jwk;
  return pub as JWK & { kid: string };
}

const DEV_X = new Set<string>(Object.values(DEV_SEAL_KEYS).map((k) => k.x));

function parseJson(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${name}: not JSON`);
  }
}

/**
 * The public key values are sealed to for `recipient`, from `value` (a JWK with `kid`, as JSON). Outside
 * production a missing one defaults to the development key; in production it is required and the
 * development key refused.
 */
export function sealRecipientFromConfig(
  name: string,
  value: string | undefined,
  recipient: SealRecipientService,
  nodeEnv: string | undefined,
): SealingRecipient {
  const production = nodeEnv === 'production';
  let jwk: JWK & { kid?: string };
  if (!value?.trim()) {
    if (production) throw new Error(`${name}: required in production (the public JWK of ${recipient}, with kid)`);
    jwk = publicPart(DEV_SEAL_KEYS[recipient]);
  } else {
    jwk = parseJson(name, value) as JWK & { kid?: string };
  }
  if (!jwk || typeof jwk !== 'object' || jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.kid !== 'string' || !jwk.kid) {
    throw new Error(`${name}: must be an EC P-256 public JWK with a kid`);
  }
  if (jwk.d !== undefined) throw new Error(`${name}: must be a public key (it holds a private part)`);
  if (production && DEV_X.has(String(jwk.x))) throw new Error(`${name}: the development key is refused in production`);
  return { kid: jwk.kid, publicJwk: jwk };
}

/**
 * The private keys this service opens sealed values with, from `value` (a JSON array of EC P-256 JWKs
 * with `kid` and `d`; old keys stay listed until nothing sealed to them is in flight or stored).
 */
export function sealOpenerFromConfig(
  name: string,
  value: string | undefined,
  self: SealRecipientService,
  nodeEnv: string | undefined,
): SealedValueOpener {
  const production = nodeEnv === 'production';
  let list: unknown;
  if (!value?.trim()) {
    if (production) throw new Error(`${name}: required in production (a JSON array of the private JWKs of ${self}, with kid)`);
    list = [DEV_SEAL_KEYS[self]];
  } else {
    list = parseJson(name, value);
  }
  if (!Array.isArray(list) || list.length === 0) throw new Error(`${name}: must be a non-empty JSON array of private JWKs`);
  const keys = list.map((k: JWK & { kid?: string }) => {
    if (!k || typeof k !== 'object' || typeof k.kid !== 'string' || !k.kid || !k.d)
      throw new Error(`${name}: each key must be a private EC P-256 JWK with a kid`);
    if (production && DEV_X.has(String(k.x))) throw new Error(`${name}: the development key is refused in production`);
    return { kid: k.kid, jwk: k };
  });
  try {
    return new SealedValueOpener(keys);
  } catch (e) {
    throw new Error(`${name}: ${(e as Error).message}`);
  }
}

/** The key of the references (derived from the register's lookup-hash key, so it is not the lookup hash itself). */
export function accountRefKey(hmacKey: Buffer): Buffer {
  return createHmac('sha256', hmacKey).update('eisss:payment-account-ref:v1').digest();
}

const ref = (key: Buffer, text: string) => createHmac('sha256', key).update(text, 'utf8').digest('base64url');

export function accountRefOf(refKey: Buffer, iban: string): string {
  return ref(refKey, `iban:${iban}`);
}

export function identityRefOf(refKey: Buffer, p: { rnokpp: string | null; documentNumber: string | null }): string {
  return ref(refKey, p.rnokpp ? `rnokpp:${p.rnokpp}` : `document:${(p.documentNumber ?? '').trim().toUpperCase()}`);
}

/** The register: an account as events carry it (sealed for the treasury). */
export async function sealAccount(recipient: SealingRecipient, refKey: Buffer, a: PlainAccount): Promise<SealedAccount> {
  if (a.method === 'post') return { method: 'post', postcode: a.postcode };
  return {
    method: 'bank',
    ibanMasked: maskIban(a.iban)!,
    accountRef: accountRefOf(refKey, a.iban),
    ibanSealed: await sealFor(recipient, SealedField.Iban, a.iban),
  };
}

/** The register: the holder as events carry them (identifiers sealed for the treasury). */
export async function sealPayee(recipient: SealingRecipient, refKey: Buffer, p: PlainPayee): Promise<SealedHolder> {
  const doc = p.documentNumber?.trim() || null;
  return {
    fullName: p.fullName,
    rnokppMasked: maskRnokpp(p.rnokpp),
    documentNumberMasked: doc ? `…${doc.slice(-3)}` : null,
    identityRef: identityRefOf(refKey, p),
    identitySealed: await sealFor(
      recipient,
      SealedField.PayeeIdentity,
      JSON.stringify({ rnokpp: p.rnokpp, documentNumber: p.documentNumber }),
    ),
  };
}

/** Processing: an IBAN typed into an application, sealed for the register at once (processing keeps only this). */
export async function sealProposal(register: SealingRecipient, a: PlainAccount): Promise<ProposedAccount> {
  if (a.method === 'post') return { method: 'post', postcode: a.postcode };
  return { method: 'bank', ibanMasked: maskIban(a.iban)!, ibanSealed: await sealFor(register, SealedField.Iban, a.iban) };
}

/** The recipient: the IBAN of a sealed or proposed account (post accounts pass as they are). */
export async function openAccount(opener: SealedValueOpener, a: SealedAccount | ProposedAccount): Promise<PlainAccount> {
  if (a.method === 'post') return { method: 'post', postcode: a.postcode };
  const iban = await opener.open(SealedField.Iban, a.ibanSealed);
  if (!/^UA[0-9]{27}$/.test(iban))
    throw new PiiCryptoError(PiiCryptoErrorCode.CIPHERTEXT_MALFORMED, 'the sealed IBAN is not a Ukrainian IBAN');
  return { method: 'bank', iban };
}

/** The treasury: the holder with their identifiers. */
export async function openPayee(opener: SealedValueOpener, p: SealedHolder): Promise<PlainPayee> {
  const raw = await opener.open(SealedField.PayeeIdentity, p.identitySealed);
  let id: { rnokpp?: unknown; documentNumber?: unknown };
  try {
    id = JSON.parse(raw) as typeof id;
  } catch {
    throw new PiiCryptoError(PiiCryptoErrorCode.CIPHERTEXT_MALFORMED, 'the sealed payee identity is not JSON');
  }
  const rnokpp = typeof id.rnokpp === 'string' && /^[0-9]{10}$/.test(id.rnokpp) ? id.rnokpp : null;
  const documentNumber = typeof id.documentNumber === 'string' && id.documentNumber.trim() ? id.documentNumber : null;
  if (id.rnokpp != null && rnokpp === null)
    throw new PiiCryptoError(PiiCryptoErrorCode.CIPHERTEXT_MALFORMED, 'the sealed РНОКПП is malformed');
  return { fullName: p.fullName, rnokpp, documentNumber };
}
