import { AuditLog, DomainError, TransactionHost, type Principal } from '@eisss/platform';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { catchError, from, mergeMap, throwError, type Observable } from 'rxjs';

/** Refusals worth an audit row: an act or read out of the user's rights, territory or the money rules. */
const AUDITED_KINDS = new Set(['forbidden', 'not_found', 'conflict', 'unprocessable']);

/**
 * Every refused treasury request (403/404/409/422 from the rules, e.g. an out-of-territory download,
 * a second approval by the requester, a re-issue without an account) leaves an audit row
 * `refused:<METHOD> <route>` with the error code, written in its own transaction after the
 * refused one rolled back: attempts of an insider are on record even though nothing changed.
 */
@Injectable()
export class RefusalAuditInterceptor implements NestInterceptor {
  constructor(
    private readonly transactions: TransactionHost,
    private readonly audit: AuditLog,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request & { principal?: Principal; user?: Principal }>();
    return next.handle().pipe(
      catchError((err: unknown) => {
        const principal = req.principal ?? req.user;
        if (!(err instanceof DomainError) || !AUDITED_KINDS.has(err.kind) || !principal) return throwError(() => err);
        const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
        const subject = String(req.params?.id ?? route);
        return from(
          this.transactions
            .run(
              () =>
                this.audit.recordAction(
                  principal,
                  `refused:${req.method} ${route}`,
                  'request',
                  [subject],
                  `${err.code}: ${err.message}`.slice(0, 500),
                ),
              { propagation: 'new' },
            )
            .catch(() => undefined),
        ).pipe(mergeMap(() => throwError(() => err)));
      }),
    );
  }
}
