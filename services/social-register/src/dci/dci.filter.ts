import { DomainError } from '@eisss/platform';
import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { DciError, DciErrorCode } from './dci.errors';
import { errAck } from './dci.service';

/**
 * Errors on the DCI endpoints in the DCI's own shapes: an ERR acknowledgement (`Response` with
 * `Error.code`) for requests the registry cannot process, and `HttpErrorResponse` (`errors[]`) for
 * 401/403/500 at the transport layer, as the spec lists them.
 */
@Catch()
export class DciExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('DciExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof DciError) {
      res.status(exception.httpStatus).json(errAck(exception.code, exception.message));
      return;
    }
    if (exception instanceof DomainError) {
      switch (exception.kind) {
        case 'unauthorized':
          res.status(401).json({ errors: [{ code: DciErrorCode.REQUEST_UNAUTHORIZED, message: exception.message }] });
          return;
        case 'forbidden':
          res.status(403).json({ errors: [{ code: DciErrorCode.REQUEST_FORBIDDEN, message: exception.message }] });
          return;
        case 'validation':
          res.status(400).json(errAck(DciErrorCode.REQUEST_BAD, exception.message));
          return;
        default:
          break;
      }
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      res.status(exception.getStatus()).json(errAck(DciErrorCode.REQUEST_BAD, exception.message));
      return;
    }
    const errorId = randomUUID();
    this.logger.error(`DCI request failed (errorId ${errorId}): ${(exception as Error)?.message}`, (exception as Error)?.stack);
    res.status(500).json({ errors: [{ code: DciErrorCode.SERVICE_UNAVAILABLE, message: `internal error ${errorId}` }] });
  }
}
