import type { PlainAccount, PlainPayee } from '@eisss/platform';
import type { PersonEntity } from './person.entity';

/*
 * The account and its holder in the clear, as the register holds them; they leave the register only
 * sealed for the treasury (AccountSealing), never in these forms on an event.
 */

type AccountFields = Pick<PersonEntity, 'iban' | 'paymentPostcode'>;
type HolderFields = Pick<PersonEntity, 'lastName' | 'firstName' | 'patronymic' | 'rnokpp'>;

/** The fields of the person record that make up the payment account (changed only by an approved change request). */
export const ACCOUNT_FIELDS = ['iban', 'paymentPostcode'] as const;
/** The fields that make up the account holder as the bank sees them. */
export const HOLDER_FIELDS = ['lastName', 'firstName', 'patronymic'] as const;

/** The approved payment account: the bank one when an IBAN is held, else the post one, else none. */
export function accountOf(p: AccountFields): PlainAccount | null {
  const iban = p.iban?.trim();
  if (iban) return { method: 'bank', iban };
  const postcode = p.paymentPostcode?.trim();
  if (postcode) return { method: 'post', postcode };
  return null;
}

export function sameAccount(a: PlainAccount | null, b: PlainAccount | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.method === 'bank' && b.method === 'bank') return a.iban === b.iban;
  if (a.method === 'post' && b.method === 'post') return a.postcode === b.postcode;
  return false;
}

/** The register fields a change request sets to make `account` the person's account. */
export function accountChanges(account: PlainAccount): { iban?: string | null; paymentPostcode?: string | null } {
  return account.method === 'bank' ? { iban: account.iban } : { iban: null, paymentPostcode: account.postcode };
}

/** "Прізвище Ім'я По батькові" (pain.001 Cdtr/Nm allows 140 characters). */
export function holderOf(p: HolderFields): PlainPayee {
  const fullName = [p.lastName, p.firstName, p.patronymic]
    .map((x) => x?.trim())
    .filter((x): x is string => !!x)
    .join(' ')
    .slice(0, 140);
  // The register holds no identity document number yet: a holder without РНОКПП goes out with null.
  return { fullName, rnokpp: p.rnokpp?.trim() || null, documentNumber: null };
}

export function sameHolder(a: PlainPayee, b: PlainPayee): boolean {
  return a.fullName === b.fullName && a.rnokpp === b.rnokpp && a.documentNumber === b.documentNumber;
}
