import {
  DomainError,
  PiiCryptoError,
  isValidUaIban,
  maskIban,
  openAccount,
  openPayee,
  type FieldCipher,
  type SealedAccount,
  type SealedHolder,
  type SealedValueOpener,
} from '@eisss/platform';
import { accountColumns } from '../pii/treasury-pii';
import { AssignmentErrorCode } from './assignment.errors';
import type { StoredAccount, StoredVersion } from './assignment.repository';

/** A value that does not open: refused (the event is dead-lettered with the reason; it never carries the value). */
function unreadable(code: AssignmentErrorCode, what: string, field: string, err: unknown): never {
  if (!(err instanceof PiiCryptoError)) throw err;
  throw DomainError.unprocessable(code, `${what} does not open with the treasury's keys (${err.code}): ${err.message}`, field, {
    cryptoCode: err.code,
    keyId: err.keyId ?? null,
  });
}

/**
 * The account of an assignment event as the treasury stores it: the sealed IBAN and the payee's
 * identifiers opened with the treasury's private keys (SEAL_KEYS), the IBAN checked (mod-97, and
 * against the masked form the event carries), then encrypted under the treasury's data key. Throws
 * a DomainError (non-retryable: the message goes to the dead-letter topic, nothing is stored) when a
 * value does not open or is not a valid account. `payment: null` stores no account and no holder.
 */
export async function storedAccountOf(
  opener: SealedValueOpener,
  cipher: FieldCipher,
  payment: SealedAccount | null,
  payee: SealedHolder | null,
): Promise<StoredAccount | null> {
  if (!payment) return null;
  let iban: string | null = null;
  if (payment.method === 'bank') {
    try {
      const opened = await openAccount(opener, payment);
      iban = opened.method === 'bank' ? opened.iban : null;
    } catch (err) {
      unreadable(AssignmentErrorCode.ASSIGNMENT_ACCOUNT_UNREADABLE, 'the sealed IBAN', 'assignment.payment.ibanSealed', err);
    }
    if (!isValidUaIban(iban))
      throw DomainError.unprocessable(
        AssignmentErrorCode.ASSIGNMENT_IBAN_INVALID,
        'the IBAN sealed on the event is not a valid Ukrainian IBAN (mod-97 check)',
        'assignment.payment.ibanSealed',
      );
    if (maskIban(iban) !== payment.ibanMasked) {
      throw DomainError.unprocessable(
        AssignmentErrorCode.ASSIGNMENT_ACCOUNT_UNREADABLE,
        'the sealed IBAN does not match the masked IBAN of the event',
        'assignment.payment.ibanMasked',
      );
    }
  }
  let holder: { rnokpp: string | null; documentNumber: string | null } | null = null;
  if (payee) {
    try {
      holder = await openPayee(opener, payee);
    } catch (err) {
      unreadable(AssignmentErrorCode.ASSIGNMENT_PAYEE_UNREADABLE, "the payee's sealed identity", 'assignment.payee.identitySealed', err);
    }
  }
  return {
    method: payment.method,
    postcode: payment.method === 'post' ? payment.postcode : null,
    payeeFullName: payee?.fullName ?? null,
    ...accountColumns(cipher, { iban, rnokpp: holder?.rnokpp ?? null, documentNumber: holder?.documentNumber ?? null }),
  };
}

/**
 * Whether the account changed: another method, another IBAN (by its keyed hash: every event seals the
 * IBAN anew, and the event's accountRef is the register's, not compared here) or another postcode.
 */
export function accountChanged(stored: StoredVersion, next: StoredAccount): boolean {
  if (stored.paymentMethod !== next.method) return true;
  return next.method === 'bank' ? stored.ibanHash !== next.iban_hash : stored.postcode !== next.postcode;
}
