import { Type } from '@sinclair/typebox';

/** A calendar date of legal effect (Europe/Kyiv), `YYYY-MM-DD`. */
export const CalendarDate = Type.String({ format: 'date', description: 'calendar date, Europe/Kyiv' });
/** An amount of money in kopiyky, carried as a decimal string (bigint-safe). */
export const Kopiyky = Type.String({ pattern: '^-?[0-9]+$', description: 'amount in kopiyky (integer, as a string)' });
/** A period month `YYYY-MM`. */
export const PeriodMonth = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'month YYYY-MM' });
/** КАТОТТГ code: `UA` + 17 digits. */
export const Katottg = Type.String({ pattern: '^UA[0-9]{17}$' });
export const Uuid = Type.String({ format: 'uuid' });
export const Nullable = <T extends import('@sinclair/typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** How the recipient is paid: to a bank account (IBAN) or through the post. */
export const PaymentMethod = Type.Union([
  Type.Object({ method: Type.Literal('bank'), iban: Type.String({ pattern: '^UA[0-9]{27}$' }) }, { additionalProperties: false }),
  Type.Object({ method: Type.Literal('post'), postcode: Type.String({ pattern: '^[0-9]{5}$' }) }, { additionalProperties: false }),
]);

/**
 * Whom an account belongs to, as the register holds it: the bank checks that the account is the
 * recipient's (pain.001 Cdtr/Nm and Cdtr/Id: РНОКПП as TXID, or a passport number for a person without one).
 */
export const Payee = Type.Object(
  {
    fullName: Type.String({ minLength: 1, maxLength: 140 }),
    rnokpp: Nullable(Type.String({ pattern: '^[0-9]{10}$' })),
    documentNumber: Nullable(Type.String({ minLength: 1, maxLength: 35, description: 'passport or ID card number, for a person without РНОКПП' })),
  },
  { additionalProperties: false },
);
