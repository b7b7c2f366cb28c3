import { CanActivate, ExecutionContext, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@eisss/contracts';
import { DomainError, PlatformErrorCode } from '../errors/domain-error';
import { hasRole, type Principal } from './principal';
import { TokenVerifier } from './token-verifier';

export { principalFromClaims, type TokenClaims } from './claims';

export const PUBLIC_ROUTE = 'eisss:public';
export const REQUIRED_ROLES = 'eisss:roles';

/** The route needs no token (health, metrics, docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
/** The route needs one of the roles. */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().principal,
);

/**
 * Global guard: every route needs a bearer token of the identity provider (TokenVerifier: RS256/ES256
 * against its JWKS, issuer, audience, exp, sub) unless marked `@Public()`; `@Roles` narrows it.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = context.switchToHttp().getRequest();
    const header: string | undefined = req.headers.authorization;
    if (!header?.startsWith('Bearer '))
      throw new DomainError(PlatformErrorCode.UNAUTHENTICATED, 'a bearer token is required', 'unauthorized');
    const principal = await this.verifier.verify(header.slice(7));
    req.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && roles.length > 0 && !hasRole(principal, ...roles)) {
      throw DomainError.forbidden(PlatformErrorCode.FORBIDDEN, `one of the roles ${roles.join(', ')} is required`);
    }
    return true;
  }
}
