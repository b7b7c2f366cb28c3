import { throwError, type Observable } from 'rxjs';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Inject, Logger, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { currentCorrelationId } from '../context/request-context';
import { DomainError, type ErrorKind, PlatformErrorCode } from './domain-error';
import { PG_CLIENT_ERRORS, pgErrorCode } from './pg-errors';
import { PLATFORM_OPTIONS, type PlatformOptions } from '../platform.tokens';

export interface ErrorBody {
  error: { code: string; message: string; field?: string; details?: Record<string, unknown>; errorId?: string; correlationId?: string };
}

export function statusOf(kind: ErrorKind): number {
  switch (kind) {
    case 'validation':
      return HttpStatus.BAD_REQUEST;
    case 'unauthorized':
      return HttpStatus.UNAUTHORIZED;
    case 'forbidden':
      return HttpStatus.FORBIDDEN;
    case 'not_found':
      return HttpStatus.NOT_FOUND;
    case 'conflict':
      return HttpStatus.CONFLICT;
    case 'unprocessable':
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case 'unavailable':
      return HttpStatus.SERVICE_UNAVAILABLE;
    default: {
      const never: never = kind;
      throw new Error(`unmapped error kind ${String(never)}`);
    }
  }
}

function httpCode(status: number, exception: HttpException): string {
  const body = exception.getResponse() as { message?: unknown; type?: string } | string;
  if (status === 400 && typeof body === 'object' && body?.type === 'entity.parse.failed') return PlatformErrorCode.MALFORMED_JSON;
  if (status === 400 && exception.message?.includes('JSON')) return PlatformErrorCode.MALFORMED_JSON;
  switch (status) {
    case 401:
      return PlatformErrorCode.UNAUTHENTICATED;
    case 403:
      return PlatformErrorCode.FORBIDDEN;
    case 404:
      return PlatformErrorCode.ROUTE_NOT_FOUND;
    case 413:
      return PlatformErrorCode.PAYLOAD_TOO_LARGE;
    default:
      return status >= 500 ? PlatformErrorCode.INTERNAL_ERROR : PlatformErrorCode.VALIDATION_FAILED;
  }
}

/** The one exception filter of a service: domain code → HTTP status; 500s carry an error id. */
@Catch()
export class PlatformExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionFilter');

  constructor(@Optional() @Inject(PLATFORM_OPTIONS) private readonly options?: PlatformOptions) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    // An event handler's error goes back unchanged to the InboxConsumer, which retries it (transient) or dead-letters it.
    if (host.getType() === 'rpc') return throwError(() => exception);
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const own = this.options?.pathErrorFilters?.find((f) => typeof req?.path === 'string' && req.path.startsWith(f.pathPrefix));
    if (own) return void own.filter.catch(exception, host);
    const correlationId = currentCorrelationId();
    let status: number;
    let body: ErrorBody;
    if (exception instanceof DomainError) {
      status = statusOf(exception.kind);
      body = {
        error: { code: exception.code, message: exception.message, field: exception.field, details: exception.details, correlationId },
      };
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      const code = httpCode(status, exception);
      const message = code === PlatformErrorCode.MALFORMED_JSON ? 'request body is not valid JSON' : exception.message;
      body = { error: { code, message, correlationId } };
    } else if (PG_CLIENT_ERRORS[pgErrorCode(exception) ?? '']) {
      // A client-caused database error that the service did not map to a domain code: still a 4xx.
      const mapped = PG_CLIENT_ERRORS[pgErrorCode(exception)!]!;
      status = mapped.status;
      body = { error: { code: mapped.code, message: mapped.message, correlationId } };
    } else if (isBodyParserError(exception)) {
      status = exception.status;
      body = {
        error: {
          code: status === 413 ? PlatformErrorCode.PAYLOAD_TOO_LARGE : PlatformErrorCode.MALFORMED_JSON,
          message: 'request body could not be read',
          correlationId,
        },
      };
    } else {
      status = HttpStatus.INTERNAL_SERVER_ERROR;
      const errorId = randomUUID();
      // Only the error's class and message are logged: never the request body (personal data).
      this.logger.error(
        {
          errorId,
          method: req?.method,
          path: req?.route?.path,
          err:
            exception instanceof Error ? { name: exception.name, message: exception.message, stack: exception.stack } : String(exception),
        },
        'unhandled error',
      );
      body = {
        error: { code: PlatformErrorCode.INTERNAL_ERROR, message: 'internal error; quote the errorId to support', errorId, correlationId },
      };
    }
    if (res.headersSent) return;
    res.status(status).json(body);
  }
}

/** An error of Express's body parser (unreadable or oversized body): `status` and `type` set. */
export function isBodyParserError(e: unknown): e is { status: number; type: string } {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { status?: unknown }).status === 'number' &&
    typeof (e as { type?: unknown }).type === 'string'
  );
}
