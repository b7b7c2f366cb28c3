import { EventEmitter } from 'node:events';

/**
 * Keys whose values never reach a log line. Personal identifiers (РНОКПП, УНЗР, IBAN, documents),
 * names, addresses and contacts, secrets. A key matches whatever its case or separators
 * (`lastName`, `last_name`, `LAST-NAME`), at any depth, inside arrays too, and inside a string that
 * holds a JSON document. Plain IBANs are also masked inside any string (a message, an error text).
 */
export const REDACTED_KEYS = [
  'rnokpp',
  'unzr',
  'iban',
  'documentNumber',
  'document',
  'passport',
  'phone',
  'phoneNumber',
  'email',
  'eMail',
  'lastName',
  'firstName',
  'patronymic',
  'fullName',
  'surname',
  'givenName',
  'secondName',
  'birthDate',
  'address',
  'registeredAddress',
  'actualAddress',
  'addressLine1',
  'identifierValue',
  'password',
  'secret',
  'clientSecret',
  'token',
  'accessToken',
  'refreshToken',
  'authorization',
  'cookie',
  'privateKey',
] as const;

export const REDACTED = '[REDACTED]';

/** `last_name`, `lastName`, `LAST-NAME` → `lastname`. */
export const normaliseLogKey = (key: string) => key.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
const REDACTED_NORMALISED = new Set(REDACTED_KEYS.map(normaliseLogKey));

export function isRedactedKey(key: string): boolean {
  return REDACTED_NORMALISED.has(normaliseLogKey(key));
}

const IBAN_IN_TEXT = /\bUA\d{2}(?:\s?\d){25}\b/g;
const MAX_DEPTH = 12;

/** A string with plain IBANs masked, and a JSON document in it redacted. */
function redactString(s: string, depth: number): string {
  const t = s.trim();
  if (t.length >= 2 && ((t[0] === '{' && t.endsWith('}')) || (t[0] === '[' && t.endsWith(']')))) {
    try {
      return JSON.stringify(redactValue(JSON.parse(t), depth + 1));
    } catch {
      /* not JSON */
    }
  }
  return s.replace(IBAN_IN_TEXT, REDACTED);
}

/**
 * A copy of `value` with every redacted key's value replaced (objects, arrays, JSON in strings; Errors
 * keep message and stack, IBAN-masked). Cycles and depth beyond 12 become `[REDACTED]`.
 */
export function redactValue(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactString(value, depth);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH || seen.has(value)) return REDACTED;
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1, seen));
    // Requests, responses and sockets go to their serializers untouched (pino applies them after this).
    if (value instanceof Date || Buffer.isBuffer(value) || value instanceof EventEmitter) return value;
    const out: Record<string, unknown> = {};
    if (value instanceof Error) {
      out.type = value.name;
      out.message = redactString(value.message, depth);
      if (value.stack) out.stack = redactString(value.stack, depth);
    }
    for (const [k, v] of Object.entries(value)) out[k] = isRedactedKey(k) ? REDACTED : redactValue(v, depth + 1, seen);
    return out;
  } finally {
    seen.delete(value);
  }
}

/**
 * Pino redact paths: the credentials of a request or response that reaches pino whole (its
 * serializers run after the `log` formatter, so `redactValue` does not see them). Every other key is
 * covered by `redactValue`, at any depth, before pino writes the line; repeating the keys here as
 * wildcard paths (`*.*.rnokpp`, …) would cost every log line a second, shallower pass over them.
 */
export function redactPaths(): string[] {
  return ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'];
}

/** `3012345678` → `******5678`: the only form of a РНОКПП allowed outside the register's API. */
export function maskRnokpp(rnokpp: string | null | undefined): string | null {
  if (!rnokpp) return null;
  return `******${rnokpp.slice(-4)}`;
}

/** `UA213223130000026007233566001` → `UA21***********************6001`. */
export function maskIban(iban: string | null | undefined): string | null {
  if (!iban) return null;
  const v = iban.replace(/\s+/g, '');
  return `${v.slice(0, 4)}${'*'.repeat(Math.max(0, v.length - 8))}${v.slice(-4)}`;
}
