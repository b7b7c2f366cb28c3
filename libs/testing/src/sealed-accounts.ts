import {
  accountRefKey,
  DEV_PII_HMAC_KEY,
  openAccount,
  openPayee,
  sealAccount,
  sealOpenerFromConfig,
  sealPayee,
  sealProposal,
  sealRecipientFromConfig,
  type PlainAccount,
  type PlainPayee,
  type ProposedAccount,
  type SealedAccount,
  type SealedHolder,
} from '@eisss/platform';

/**
 * Payment accounts as events carry them, for tests that play the register or the treasury: sealed with
 * the development keys (DEV_SEAL_KEYS) the services use outside production, referenced with the
 * development lookup key, so a test's values match what a locally configured register would publish.
 */
const toTreasury = sealRecipientFromConfig('test', undefined, 'payments-treasury', 'test');
const toRegister = sealRecipientFromConfig('test', undefined, 'social-register', 'test');
const treasuryOpener = sealOpenerFromConfig('test', undefined, 'payments-treasury', 'test');
const registerOpener = sealOpenerFromConfig('test', undefined, 'social-register', 'test');
export const TEST_ACCOUNT_REF_KEY = accountRefKey(Buffer.from(DEV_PII_HMAC_KEY, 'base64'));

/** `{ method: 'bank', iban }` (or post) as the register publishes it: sealed for the treasury. */
export function sealedAccount(a: PlainAccount): Promise<SealedAccount>;
export function sealedAccount(a: PlainAccount | null): Promise<SealedAccount | null>;
export async function sealedAccount(a: PlainAccount | null): Promise<SealedAccount | null> {
  return a ? sealAccount(toTreasury, TEST_ACCOUNT_REF_KEY, a) : null;
}

/** The holder as the register publishes them: identifiers sealed for the treasury. */
export function sealedPayee(p: PlainPayee): Promise<SealedHolder>;
export function sealedPayee(p: PlainPayee | null): Promise<SealedHolder | null>;
export async function sealedPayee(p: PlainPayee | null): Promise<SealedHolder | null> {
  return p ? sealPayee(toTreasury, TEST_ACCOUNT_REF_KEY, p) : null;
}

/** An application's proposed account as processing sends it: sealed for the register. */
export function proposedAccount(a: PlainAccount): Promise<ProposedAccount> {
  return sealProposal(toRegister, a);
}

/** What the treasury reads out of a sealed account (asserts it was sealed for the treasury). */
export function openedByTreasury(a: SealedAccount): Promise<PlainAccount> {
  return openAccount(treasuryOpener, a);
}

export function payeeOpenedByTreasury(p: SealedHolder): Promise<PlainPayee> {
  return openPayee(treasuryOpener, p);
}

/** What the register reads out of a proposed account (asserts it was sealed for the register). */
export function openedByRegister(a: ProposedAccount): Promise<PlainAccount> {
  return openAccount(registerOpener, a);
}
