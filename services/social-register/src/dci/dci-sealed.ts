import { isCiphertext, type FieldCipher } from '@eisss/platform';

/**
 * DCI documents kept in the register's tables (a transaction's request and response, a callback's
 * body) carry personal data (РНОКПП, УНЗР, phone, e-mail, names) in places no key names, so each
 * is stored whole as one ciphertext of the register's personal-data cipher (a JSON string in the
 * jsonb column), with the column as its authenticated data. Rows written before are plain
 * documents and are read as they are.
 */
export type SealedColumn = 'dci_transaction.request' | 'dci_transaction.response' | 'dci_callback.body';

/** The jsonb parameter of a document (null stays null). */
export function sealDocument(cipher: FieldCipher, doc: unknown, column: SealedColumn): string | null {
  if (doc === null || doc === undefined) return null;
  return JSON.stringify(cipher.encrypt(JSON.stringify(doc), column));
}

/** The document of a stored column value (a sealed string, a plain legacy document, or null). */
export function openDocument<T>(cipher: FieldCipher, stored: unknown, column: SealedColumn): T | null {
  if (stored === null || stored === undefined) return null;
  if (isCiphertext(stored)) return JSON.parse(cipher.decrypt(stored, column)) as T;
  return stored as T;
}

/** A stored value re-encrypted under the active key (for the key rotation; plain legacy documents are sealed). */
export function reencryptDocument(cipher: FieldCipher, stored: unknown, column: SealedColumn): string | null {
  if (stored === null || stored === undefined) return null;
  if (isCiphertext(stored)) return JSON.stringify(cipher.reencrypt(stored, column));
  return sealDocument(cipher, stored, column);
}
