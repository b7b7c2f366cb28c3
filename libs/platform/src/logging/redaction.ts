/**
 * Keys whose values never reach a log line. Personal identifiers (РНОКПП, УНЗР, IBAN, documents),
 * names and contacts, tokens. Paths are pino redact paths; a key is redacted at the top level and
 * up to four levels deep.
 */
export const REDACTED_KEYS = [
  'rnokpp',
  'unzr',
  'iban',
  'documentNumber',
  'document',
  'passport',
  'phone',
  'email',
  'lastName',
  'firstName',
  'patronymic',
  'birthDate',
  'address',
  'password',
  'token',
  'authorization',
  'cookie',
] as const;

export function redactPaths(): string[] {
  const paths: string[] = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'];
  for (const key of REDACTED_KEYS) {
    paths.push(key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`, `*.*.*.*.${key}`);
  }
  return paths;
}

/** `3012345678` → `******5678`: the only form of a РНОКПП allowed outside the register's API. */
export function maskRnokpp(rnokpp: string | null | undefined): string | null {
  if (!rnokpp) return null;
  return `******${rnokpp.slice(-4)}`;
}
