import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { isRole, type Role } from '@eisss/contracts';
import jwt from 'jsonwebtoken';
import { DomainError, PlatformErrorCode } from '../errors/domain-error';
import { hasRole, type Principal } from './principal';

export const PUBLIC_ROUTE = 'eisss:public';
export const REQUIRED_ROLES = 'eisss:roles';
export const AUTH_SECRET = Symbol('AUTH_SECRET');

/** The route needs no token (health, metrics, docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
/** The route needs one of the roles. */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().principal);

interface TokenClaims {
  sub?: unknown;
  roles?: unknown;
  territory?: unknown;
  personId?: unknown;
}

/**
 * The principal a verified token speaks for. `roles` must be an array of known roles (a string is
 * not split or matched by substring), `sub` a non-empty string, `territory` a КАТОТТГ prefix.
 */
export function principalFromClaims(claims: TokenClaims): Principal {
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) throw new DomainError(PlatformErrorCode.UNAUTHENTICATED, 'token has no subject', 'unauthorized');
  const roles = claims.roles ?? [];
  if (!Array.isArray(roles) || !roles.every(isRole)) throw new DomainError(PlatformErrorCode.UNAUTHENTICATED, 'token roles must be an array of known roles', 'unauthorized');
  const territory = claims.territory ?? '';
  if (typeof territory !== 'string' || !/^UA[0-9]{0,17}$/.test(territory)) throw new DomainError(PlatformErrorCode.UNAUTHENTICATED, 'token has no valid territory claim', 'unauthorized');
  if (claims.personId !== undefined && claims.personId !== null && typeof claims.personId !== 'string') {
    throw new DomainError(PlatformErrorCode.UNAUTHENTICATED, 'token personId must be a string', 'unauthorized');
  }
  return { id: claims.sub, roles: [...new Set(roles)], territory, personId: (claims.personId as string | null | undefined) ?? undefined };
}

/** Issues a token (development, tests and the operator CLI; production tokens come from the identity provider). */
export function signToken(secret: string, p: Principal, expiresInSeconds = 3600): string {
  return jwt.sign({ roles: p.roles, territory: p.territory, personId: p.personId }, secret, { subject: p.id, algorithm: 'HS256', expiresIn: expiresInSeconds });
}

/** Global guard: every route needs a valid bearer token (HS256) unless marked `@Public()`; `@Roles` narrows it. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, @Inject(AUTH_SECRET) private readonly secret: string) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = context.switchToHttp().getRequest();
    const header: string | undefined = req.headers.authorization;
    if (!header?.startsWith('Bearer ')) throw new DomainError(PlatformErrorCode.UNAUTHENTICATED, 'a bearer token is required', 'unauthorized');
    let claims: TokenClaims;
    try {
      claims = jwt.verify(header.slice(7), this.secret, { algorithms: ['HS256'] }) as TokenClaims;
    } catch (err) {
      throw new DomainError(PlatformErrorCode.UNAUTHENTICATED, `invalid token: ${(err as Error).message}`, 'unauthorized');
    }
    const principal = principalFromClaims(claims);
    req.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && roles.length > 0 && !hasRole(principal, ...roles)) {
      throw DomainError.forbidden(PlatformErrorCode.FORBIDDEN, `one of the roles ${roles.join(', ')} is required`);
    }
    return true;
  }
}
