import { Clock, DomainError, PG_CLIENT_ERRORS, PlatformErrorCode, isBodyParserError, pgErrorCode } from '@eisss/platform';
import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { DciError, DciErrorCode } from './dci.errors';
import { errAck } from './dci.service';

type Answer = { status: number; body: unknown };

const httpError = (status: number, code: DciErrorCode, message: string): Answer => ({ status, body: { errors: [{ code, message }] } });
const errAnswer = (now: Date, status: number, code: DciErrorCode, message: string): Answer => ({
  status,
  body: errAck(code, message, now),
});
/**
 * The register's own 401/403 (a missing or invalid signature, a sender that is not a registered active
 * client or not the authenticated system, an action it may not use): every DCI path answers 401/403
 * with HttpErrorResponse (`errors[]{code,message}`), while the spec's `Error` object is the
 * acknowledgement of a message whose integrity check fails — the body carries both, with the same code.
 */
const bothShapes = (now: Date, status: number, code: DciErrorCode, message: string): Answer => ({
  status,
  body: { errors: [{ code, message: message.slice(0, 999) }], ...errAck(code, message, now) },
});

/** A domain error (the platform's checks — VALIDATION_FAILED, MALFORMED_JSON — or the register's) in the DCI's shapes. */
export function dciAnswerOf(e: DomainError, now: Date): Answer {
  if (e.code === PlatformErrorCode.VALIDATION_FAILED || e.code === PlatformErrorCode.MALFORMED_JSON)
    return errAnswer(now, 400, DciErrorCode.REQUEST_BAD, e.message);
  switch (e.kind) {
    case 'validation':
      return errAnswer(now, 400, DciErrorCode.REQUEST_BAD, e.message);
    case 'unauthorized':
      return httpError(401, DciErrorCode.REQUEST_UNAUTHORIZED, e.message);
    case 'forbidden':
      return httpError(403, DciErrorCode.REQUEST_FORBIDDEN, e.message);
    case 'not_found':
      return errAnswer(now, 404, DciErrorCode.REQUEST_NOT_FOUND, e.message);
    case 'conflict':
      return errAnswer(now, 409, DciErrorCode.REQUEST_BAD, e.message);
    case 'unprocessable':
      return errAnswer(now, 422, DciErrorCode.REQUEST_BAD, e.message);
    case 'unavailable':
      return httpError(503, DciErrorCode.SERVICE_UNAVAILABLE, e.message);
    default: {
      const never: never = e.kind;
      throw new Error(`unmapped error kind ${String(never)}`);
    }
  }
}

/**
 * Errors on the DCI endpoints in the DCI's own shapes: an ERR acknowledgement (`Response` with
 * `Error.code`) for requests the registry cannot process, and `HttpErrorResponse` (`errors[]`) for
 * 401/403/5xx at the transport layer, as the spec lists them. Client-caused errors are never a 500.
 */
@Catch()
export class DciExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('DciExceptionFilter');

  /** Constructed by Nest (@UseFilters) with the platform Clock, or by the app module for the paths before a route. */
  constructor(private readonly clock: Clock = new Clock()) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const answer = this.answerOf(exception, this.clock.now());
    if (res.headersSent) return;
    res.status(answer.status).json(answer.body);
  }

  private answerOf(exception: unknown, now: Date): Answer {
    if (exception instanceof DciError)
      return exception.httpStatus === 401 || exception.httpStatus === 403
        ? bothShapes(now, exception.httpStatus, exception.code, exception.message)
        : errAnswer(now, exception.httpStatus, exception.code, exception.message);
    if (exception instanceof DomainError) return dciAnswerOf(exception, now);
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      if (status === 401) return httpError(401, DciErrorCode.REQUEST_UNAUTHORIZED, exception.message);
      if (status === 403) return httpError(403, DciErrorCode.REQUEST_FORBIDDEN, exception.message);
      return errAnswer(
        now,
        status,
        status === 404
          ? DciErrorCode.REQUEST_NOT_FOUND
          : status === 429
            ? DciErrorCode.REQUEST_TOO_MANY
            : status === 408
              ? DciErrorCode.REQUEST_TIMEOUT
              : DciErrorCode.REQUEST_BAD,
        exception.message,
      );
    }
    const pg = PG_CLIENT_ERRORS[pgErrorCode(exception) ?? ''];
    if (pg)
      return pg.status >= 500
        ? httpError(pg.status, DciErrorCode.SERVICE_UNAVAILABLE, pg.message)
        : errAnswer(now, pg.status, DciErrorCode.REQUEST_BAD, pg.message);
    if (isBodyParserError(exception) && exception.status < 500)
      return errAnswer(now, exception.status, DciErrorCode.REQUEST_BAD, 'request body could not be read');
    const errorId = randomUUID();
    // Only the error's class and message: never the request body (personal data).
    this.logger.error(
      `DCI request failed (errorId ${errorId}): ${(exception as Error)?.name}: ${(exception as Error)?.message}`,
      (exception as Error)?.stack,
    );
    return httpError(500, DciErrorCode.SERVICE_UNAVAILABLE, `internal error ${errorId}`);
  }
}
