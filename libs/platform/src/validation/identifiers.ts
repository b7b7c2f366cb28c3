import { registerDecorator, type ValidationOptions } from 'class-validator';

const RNOKPP_WEIGHTS = [-1, 5, 7, 9, 4, 6, 10, 5, 7];

/**
 * РНОКПП: 10 digits; the 10th is ((Σ dᵢ·wᵢ for i=1..9) mod 11) mod 10 with weights −1,5,7,9,4,6,10,5,7.
 * The first five digits count days from 31.12.1899 to the birth date.
 */
export function isValidRnokpp(value: unknown): value is string {
  if (typeof value !== 'string' || !/^[0-9]{10}$/.test(value)) return false;
  const digits = [...value].map(Number);
  const sum = RNOKPP_WEIGHTS.reduce((acc, w, i) => acc + w * digits[i]!, 0);
  return (((sum % 11) + 11) % 11) % 10 === digits[9];
}

/** The birth date encoded in a РНОКПП (days since 1899-12-31), as YYYY-MM-DD. */
export function rnokppBirthDate(rnokpp: string): string {
  const days = Number(rnokpp.slice(0, 5));
  const base = Date.UTC(1899, 11, 31);
  return new Date(base + days * 86_400_000).toISOString().slice(0, 10);
}

/** Builds a valid РНОКПП from its first nine digits (tests and fixtures). */
export function withRnokppChecksum(nineDigits: string): string {
  if (!/^[0-9]{9}$/.test(nineDigits)) throw new Error('nine digits expected');
  const digits = [...nineDigits].map(Number);
  const sum = RNOKPP_WEIGHTS.reduce((acc, w, i) => acc + w * digits[i]!, 0);
  return nineDigits + String((((sum % 11) + 11) % 11) % 10);
}

/** УНЗР: YYYYMMDD-NNNNN where YYYYMMDD is a real date. */
export function isValidUnzr(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = /^([0-9]{4})([0-9]{2})([0-9]{2})-[0-9]{5}$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && y >= 1900;
}

/** Ukrainian IBAN: `UA` + 2 check digits + 6-digit bank code (МФО) + 19-character account; ISO 13616 mod-97 = 1. */
export function isValidUaIban(value: unknown): value is string {
  if (typeof value !== 'string' || !/^UA[0-9]{2}[0-9]{6}[0-9A-Z]{19}$/.test(value)) return false;
  const rearranged = value.slice(4) + value.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const n = ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of n) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** МФО (bank code) of a UA IBAN. */
export function ibanBankCode(iban: string): string {
  return iban.slice(4, 10);
}

/** КАТОТТГ code: `UA` + 17 digits. */
export function isValidKatottg(value: unknown): value is string {
  return typeof value === 'string' && /^UA[0-9]{17}$/.test(value);
}

function decorator(name: string, test: (v: unknown) => boolean, message: string) {
  return (options?: ValidationOptions): PropertyDecorator =>
    (object, propertyName) =>
      registerDecorator({
        name,
        target: object.constructor,
        propertyName: propertyName as string,
        options: { message, ...options },
        validator: { validate: (v: unknown) => test(v) },
      });
}

export const IsRnokpp = decorator('isRnokpp', isValidRnokpp, 'must be a valid РНОКПП (10 digits with a correct check digit)');
export const IsUnzr = decorator('isUnzr', isValidUnzr, 'must be a valid УНЗР (YYYYMMDD-NNNNN)');
export const IsUaIban = decorator('isUaIban', isValidUaIban, 'must be a valid Ukrainian IBAN (UA, 29 characters, mod-97 check)');
export const IsKatottg = decorator('isKatottg', isValidKatottg, 'must be a КАТОТТГ code (UA + 17 digits)');
