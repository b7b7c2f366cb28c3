/** How a domain error maps onto HTTP; the exception filter switches over it exhaustively. */
export type ErrorKind = 'validation' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'unprocessable' | 'unavailable';

/**
 * An error with a stable machine-readable code (SCREAMING_SNAKE, from a per-module enum)
 * and, where one field is at fault, its path.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: ErrorKind,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  // Every factory takes (code, message, field?, details?).
  static validation(code: string, message: string, field?: string, details?: Record<string, unknown>) {
    return new DomainError(code, message, 'validation', field, details);
  }
  static notFound(code: string, message: string, field?: string, details?: Record<string, unknown>) {
    return new DomainError(code, message, 'not_found', field, details);
  }
  static conflict(code: string, message: string, field?: string, details?: Record<string, unknown>) {
    return new DomainError(code, message, 'conflict', field, details);
  }
  static unprocessable(code: string, message: string, field?: string, details?: Record<string, unknown>) {
    return new DomainError(code, message, 'unprocessable', field, details);
  }
  static forbidden(code: string, message: string) {
    return new DomainError(code, message, 'forbidden');
  }
}

/** Errors that are worth retrying (a lost connection, a serialization failure, a timeout). */
export class TransientError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'TransientError';
  }
}

const TRANSIENT_PG_CODES = new Set(['40001', '40P01', '55P03', '57P01', '57P02', '57P03', '53300', '53400']);

export function isTransient(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  if (error instanceof DomainError) return false;
  const e = error as { code?: string; driverError?: { code?: string }; message?: string };
  const code = e?.driverError?.code ?? e?.code;
  if (typeof code === 'string') {
    if (TRANSIENT_PG_CODES.has(code) || code.startsWith('08')) return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code)) return true;
  }
  // A database closed to new connections (ALTER DATABASE ... ALLOW_CONNECTIONS false during maintenance) answers 55000,
  // a code that otherwise means a logic error: only this message of it is worth retrying. A statement prepared before
  // a migration changed its table answers 0A000 "cached plan must not change result type" once; the retry runs it
  // unnamed (StatementCachingClient).
  return /Connection terminated|timeout exceeded when trying to connect|is not currently accepting connections|cached plan must not change result type/i.test(
    e?.message ?? '',
  );
}

export const PlatformErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  MALFORMED_JSON: 'MALFORMED_JSON',
  /** A request body nests deeper than the platform allows (MAX_INPUT_DEPTH). */
  JSON_TOO_DEEP: 'JSON_TOO_DEEP',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  TERRITORY_FORBIDDEN: 'TERRITORY_FORBIDDEN',
  NATIONAL_SCOPE_REQUIRED: 'NATIONAL_SCOPE_REQUIRED',
  ROUTE_NOT_FOUND: 'ROUTE_NOT_FOUND',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
} as const;
