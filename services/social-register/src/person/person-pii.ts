import { isCiphertext, keyIdOf, type FieldCipher } from '@eisss/platform';

/**
 * Personal data the register stores encrypted (see libs/platform/src/crypto): each field's value is a
 * `v1:<kid>:...` ciphertext with the field name as its authenticated data; РНОКПП, УНЗР and IBAN also
 * have a keyed hash column for exact lookups and duplicate control (the unique indexes are on them).
 */
export const PII_FIELDS = ['rnokpp', 'unzr', 'phone', 'email', 'iban'] as const;
export type PiiField = (typeof PII_FIELDS)[number];
export const HASHED_FIELDS = ['rnokpp', 'unzr', 'iban'] as const satisfies readonly PiiField[];
const isPiiField = (k: string): k is PiiField => (PII_FIELDS as readonly string[]).includes(k);
const isEncColumn = (k: string): boolean => k.endsWith('_enc') && isPiiField(k.slice(0, -4));

/** The form a value is hashed in (trimmed; an IBAN also upper-cased without spaces). */
export function normalisedForHash(field: PiiField, value: string): string {
  const v = value.trim();
  return field === 'iban' ? v.replace(/\s+/g, '').toUpperCase() : v;
}

export type PlainPii = Partial<Record<PiiField, string | null>>;

/** The person columns (`<field>_enc`, `<field>_hash`) of the given plain values; absent fields are left out. */
export function sealPersonColumns(cipher: FieldCipher, values: PlainPii): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const f of PII_FIELDS) {
    if (!(f in values)) continue;
    const v = values[f]?.trim() ? values[f]! : null;
    out[`${f}_enc`] = cipher.encrypt(v, f);
    if ((HASHED_FIELDS as readonly string[]).includes(f)) out[`${f}_hash`] = v === null ? null : cipher.hash(normalisedForHash(f, v), f);
  }
  return out;
}

/** The plain values of a person row's `<field>_enc` columns. */
export function openPersonColumns(cipher: FieldCipher, row: Record<string, any>): Record<PiiField, string | null> {
  return Object.fromEntries(PII_FIELDS.map((f) => [f, cipher.decrypt(row[`${f}_enc`] ?? null, f)])) as Record<PiiField, string | null>;
}

/**
 * Maps the personal-data strings inside a JSON document (change request changes, history entries,
 * merge snapshots): a string under a PII key, or anywhere below one (`{ iban: { from, to } }`).
 */
export function mapPiiJson(value: unknown, fn: (s: string, field: PiiField) => string, field: PiiField | null = null): unknown {
  if (typeof value === 'string') return field ? fn(value, field) : value;
  if (Array.isArray(value)) return value.map((v) => mapPiiJson(v, fn, field));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapPiiJson(v, fn, isPiiField(k) ? k : field)]));
  }
  return value;
}

export const sealPiiJson = (cipher: FieldCipher, value: unknown) =>
  mapPiiJson(value, (s, f) => (isCiphertext(s) ? s : cipher.encrypt(s, f)));
export const openPiiJson = (cipher: FieldCipher, value: unknown) =>
  mapPiiJson(value, (s, f) => (isCiphertext(s) ? cipher.decrypt(s, f) : s));
export const reencryptPiiJson = (cipher: FieldCipher, value: unknown) =>
  mapPiiJson(value, (s, f) => (isCiphertext(s) ? cipher.reencrypt(s, f) : s));

/**
 * The key ids named by the personal data of a row or document: a sealed value passed whole (a string),
 * a person row's `<field>_enc` columns, and strings under a personal-data key of a document (as
 * `mapPiiJson` reads them). Other strings are free text, whatever they look like.
 */
export function keyIdsIn(value: unknown, into = new Set<string>()): Set<string> {
  const visit = (v: unknown, pii: boolean): void => {
    if (typeof v === 'string') {
      const kid = pii ? keyIdOf(v) : null;
      if (kid) into.add(kid);
    } else if (Array.isArray(v)) v.forEach((x) => visit(x, pii));
    else if (v && typeof v === 'object' && !(v instanceof Date))
      for (const [k, x] of Object.entries(v)) visit(x, pii || isPiiField(k) || isEncColumn(k));
  };
  visit(value, typeof value === 'string');
  return into;
}
