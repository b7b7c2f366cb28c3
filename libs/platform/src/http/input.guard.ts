import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { DomainError, PlatformErrorCode } from '../errors/domain-error';
import { MAX_INPUT_DEPTH, findInputFault, type InputFault } from './input-check';

export type InputLocation = 'body' | 'query' | 'path';

const MESSAGES: Record<InputFault['reason'], string> = {
  too_deep: `nested deeper than ${MAX_INPUT_DEPTH} levels`,
  nul_character: 'must not contain a NUL character (U+0000)',
  lone_surrogate: 'must be well-formed Unicode text (it holds a lone UTF-16 surrogate)',
};

/**
 * The 400 for a faulty input: `JSON_TOO_DEEP` for nesting beyond the limit, `VALIDATION_FAILED` for a
 * NUL or a lone surrogate; the field is the path of the value (or key) at fault, as validation names it.
 */
export function inputFaultError(fault: InputFault, location: InputLocation): DomainError {
  const constraint = MESSAGES[fault.reason];
  const where = fault.field || location;
  const code = fault.reason === 'too_deep' ? PlatformErrorCode.JSON_TOO_DEEP : PlatformErrorCode.VALIDATION_FAILED;
  return DomainError.validation(code, `${where}: ${constraint}`, fault.field || undefined, {
    location,
    reason: fault.reason,
    ...(fault.reason === 'too_deep' ? { maxDepth: MAX_INPUT_DEPTH } : {}),
    fields: [{ field: where, constraints: [constraint] }],
  });
}

/** Throws the 400 for the first fault of a request input (see `findInputFault`). */
export function assertCleanInput(input: unknown, location: InputLocation): void {
  const fault = findInputFault(input);
  if (fault) throw inputFaultError(fault, location);
}

/**
 * Global guard of every service (installed by `configureApp`, after the auth guard): refuses a request
 * whose path parameters, query or body nest too deep or hold a NUL or a lone surrogate in any string or
 * key, before any pipe transforms or validates it (class-transformer recurses and would overflow the
 * stack on a deep body) and before any of it can reach Postgres. It runs inside the Nest pipeline, so a
 * controller's own exception filter (the register's DCI envelope) answers for it.
 */
@Injectable()
export class RequestInputGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<{ params?: unknown; query?: unknown; body?: unknown }>();
    assertCleanInput(req.params, 'path');
    assertCleanInput(req.query, 'query');
    assertCleanInput(req.body, 'body');
    return true;
  }
}
