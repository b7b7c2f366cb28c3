/** The SQLSTATE of a failed query, whether the driver error is bare or wrapped by TypeORM. */
export function pgErrorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** True when a query failed on a unique index (optionally a given one): a concurrent twin of this write won the race. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { constraint?: string; driverError?: { constraint?: string } };
  const name = e?.driverError?.constraint ?? e?.constraint;
  return pgErrorCode(err) === '23505' && (constraint === undefined || name === constraint);
}

/**
 * Database errors that the client caused (a repeated or concurrent write, a reference to nothing, a value
 * of the wrong form) and that no service mapped to its own domain code: they answer 4xx, never 500.
 */
export const PG_CLIENT_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  '23505': {
    status: 409,
    code: 'UNIQUE_VIOLATION',
    message: 'a record with the same key already exists (a repeated or concurrent request)',
  },
  '23503': { status: 422, code: 'REFERENCE_NOT_FOUND', message: 'the request refers to a record that does not exist' },
  '23514': { status: 422, code: 'CONSTRAINT_VIOLATION', message: 'the request breaks a rule of the stored data' },
  '22P02': { status: 400, code: 'VALIDATION_FAILED', message: 'a value has the wrong form' },
  '22007': { status: 400, code: 'VALIDATION_FAILED', message: 'a date or time has the wrong form' },
  '22008': { status: 400, code: 'VALIDATION_FAILED', message: 'a date or time is out of range' },
  '22003': { status: 400, code: 'VALIDATION_FAILED', message: 'a number is out of range' },
  '22001': { status: 400, code: 'VALIDATION_FAILED', message: 'a value is too long' },
  '22021': {
    status: 400,
    code: 'VALIDATION_FAILED',
    message: 'a value holds a character that cannot be stored (a NUL byte or invalid text)',
  },
  '22P05': { status: 400, code: 'VALIDATION_FAILED', message: 'a value holds a character that cannot be stored' },
  '40001': { status: 503, code: 'RETRY_LATER', message: 'a concurrent update interfered; retry the request' },
  '40P01': { status: 503, code: 'RETRY_LATER', message: 'a concurrent update interfered; retry the request' },
};
