import { isRole } from '@eisss/contracts';
import { DomainError, PlatformErrorCode } from '../errors/domain-error';
import type { Principal } from './principal';

export interface TokenClaims {
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
  if (typeof claims.sub !== 'string' || claims.sub.length === 0)
    throw new DomainError(PlatformErrorCode.UNAUTHENTICATED, 'token has no subject', 'unauthorized');
  const roles = claims.roles ?? [];
  if (!Array.isArray(roles) || !roles.every(isRole))
    throw new DomainError(PlatformErrorCode.UNAUTHENTICATED, 'token roles must be an array of known roles', 'unauthorized');
  const territory = claims.territory ?? '';
  if (typeof territory !== 'string' || !/^UA[0-9]{0,17}$/.test(territory))
    throw new DomainError(PlatformErrorCode.UNAUTHENTICATED, 'token has no valid territory claim', 'unauthorized');
  if (claims.personId !== undefined && claims.personId !== null && typeof claims.personId !== 'string') {
    throw new DomainError(PlatformErrorCode.UNAUTHENTICATED, 'token personId must be a string', 'unauthorized');
  }
  return { id: claims.sub, roles: [...new Set(roles)], territory, personId: (claims.personId as string | null | undefined) ?? undefined };
}
