import { DomainError, type Principal } from '@eisss/platform';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { from, switchMap, type Observable } from 'rxjs';
import { ServiceSessionErrorCode, ServiceSessionService } from './service-session.service';

export const SERVICE_SESSION_HEADER = 'x-service-session';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs after the auth guard: a request with `x-service-session` runs in that session when it is the
 * principal's own, open and not expired (else 403 SERVICE_SESSION_INVALID); the grant is put on the
 * principal, where the register's person-access check (common/access.ts) and the audit trail read it.
 */
@Injectable()
export class ServiceSessionInterceptor implements NestInterceptor {
  constructor(private readonly sessions: ServiceSessionService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; principal?: Principal }>();
    const header = req.headers[SERVICE_SESSION_HEADER];
    if (header === undefined || !req.principal) return next.handle();
    if (typeof header !== 'string' || !UUID.test(header)) {
      throw DomainError.validation(
        ServiceSessionErrorCode.SERVICE_SESSION_INVALID,
        `${SERVICE_SESSION_HEADER} must be a service session id (uuid)`,
        SERVICE_SESSION_HEADER,
      );
    }
    const principal = req.principal;
    return from(this.sessions.grantFor(principal, header)).pipe(
      switchMap((grant) => {
        principal.serviceSession = grant;
        return next.handle();
      }),
    );
  }
}
