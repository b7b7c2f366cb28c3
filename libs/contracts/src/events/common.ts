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

/**
 * How the recipient is paid, in the clear: only inside the service that holds it (the register, and the
 * treasury when it writes a bank file); never on an event (D13: events carry the sealed forms below).
 */
export const PaymentMethod = Type.Union([
  Type.Object({ method: Type.Literal('bank'), iban: Type.String({ pattern: '^UA[0-9]{27}$' }) }, { additionalProperties: false }),
  Type.Object({ method: Type.Literal('post'), postcode: Type.String({ pattern: '^[0-9]{5}$' }) }, { additionalProperties: false }),
]);

/**
 * Whom an account belongs to, as the register holds it (in the clear, never on an event): the bank checks
 * that the account is the recipient's (pain.001 Cdtr/Nm and Cdtr/Id: РНОКПП as TXID, or a passport number
 * for a person without one).
 */
export const Payee = Type.Object(
  {
    fullName: Type.String({ minLength: 1, maxLength: 140 }),
    rnokpp: Nullable(Type.String({ pattern: '^[0-9]{10}$' })),
    documentNumber: Nullable(
      Type.String({ minLength: 1, maxLength: 35, description: 'passport or ID card number, for a person without РНОКПП' }),
    ),
  },
  { additionalProperties: false },
);

/** A value sealed for the one service that may read it: a compact JWE (ECDH-ES+A256KW, A256GCM) to its P-256 key, `kid` and field in the protected header. */
export const SealedValue = (description: string) =>
  Type.String({
    pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$',
    maxLength: 4096,
    description,
  });
/** `UA21***********************6001`: the only form of an IBAN outside the register and the bank file. */
export const IbanMasked = Type.String({ pattern: '^UA[0-9]{2}\\*{21}[0-9]{4}$' });
/** A keyed hash (HMAC-SHA-256, base64url) computed by the register: equal values mean the same account, or the same holder identity. */
export const KeyedRef = Type.String({
  pattern: '^[A-Za-z0-9_-]{43}$',
  description: 'HMAC-SHA-256 (base64url) keyed by the register: compare, never reverse',
});

/** How the recipient is paid, as events carry it: the IBAN masked, referenced and sealed for the treasury. */
export const SealedPaymentMethod = Type.Union([
  Type.Object(
    {
      method: Type.Literal('bank'),
      ibanMasked: IbanMasked,
      accountRef: KeyedRef,
      ibanSealed: SealedValue('the IBAN, sealed for payments-treasury (field "iban")'),
    },
    { additionalProperties: false },
  ),
  Type.Object({ method: Type.Literal('post'), postcode: Type.String({ pattern: '^[0-9]{5}$' }) }, { additionalProperties: false }),
]);

/** The account holder as events carry them: the name (the bank checks it), the identifiers masked, referenced and sealed for the treasury. */
export const SealedPayee = Type.Object(
  {
    fullName: Type.String({ minLength: 1, maxLength: 140 }),
    rnokppMasked: Nullable(Type.String({ pattern: '^\\*{6}[0-9]{4}$' })),
    documentNumberMasked: Nullable(Type.String({ pattern: '^….{1,3}$', description: 'the last characters of the document number' })),
    identityRef: KeyedRef,
    identitySealed: SealedValue('{"rnokpp","documentNumber"} as JSON, sealed for payments-treasury (field "payee-identity")'),
  },
  { additionalProperties: false },
);

/** An account an application proposes, as it travels to the register: masked, and sealed for the register (field "iban"). */
export const ProposedPaymentMethod = Type.Union([
  Type.Object(
    {
      method: Type.Literal('bank'),
      ibanMasked: IbanMasked,
      ibanSealed: SealedValue('the IBAN, sealed for social-register (field "iban")'),
    },
    { additionalProperties: false },
  ),
  Type.Object({ method: Type.Literal('post'), postcode: Type.String({ pattern: '^[0-9]{5}$' }) }, { additionalProperties: false }),
]);
