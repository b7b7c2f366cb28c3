import type { Role } from '@eisss/contracts';
import { DomainError, PlatformErrorCode } from '../errors/domain-error';

/** Who is acting: a user of a frontend (officer, social worker, citizen) or another system. */
export interface Principal {
  id: string;
  roles: Role[];
  /** КАТОТТГ prefix of the territory the principal may see: `UA` national, `UA80` an oblast-level unit, a full code a community. */
  territory: string;
  /** For citizens: the person id they are; they see only their own data. */
  personId?: string;
  /**
   * A service session the request runs in («єдине вікно»): the principal serves this person, who is
   * present, for this purpose, whatever the person's territory. Set by the service that holds
   * sessions (the register), from the `x-service-session` header, after checking it is the
   * principal's own, open and not expired; never from the token.
   */
  serviceSession?: ServiceSessionGrant;
}

export interface ServiceSessionGrant {
  id: string;
  personId: string;
  purpose: string;
  officeTerritory: string;
  expiresAt: string;
}

export function hasRole(p: Principal, ...roles: Role[]): boolean {
  return roles.some((r) => p.roles.includes(r));
}

/** КАТОТТГ codes are hierarchical: a unit's code starts with the significant digits of its parents. */
export function canAccessTerritory(p: Principal, katottg: string | null | undefined): boolean {
  if (p.territory === 'UA') return true;
  if (!katottg) return false;
  return katottg.startsWith(p.territory);
}

export function assertTerritory(p: Principal, katottg: string | null | undefined): void {
  if (!canAccessTerritory(p, katottg))
    throw DomainError.forbidden(PlatformErrorCode.TERRITORY_FORBIDDEN, 'the record belongs to a territory outside your access');
}

/** The national territory `UA`: it alone may run acts of national scope (a national payroll, programme settings). */
export function isNational(p: Principal): boolean {
  return p.territory === 'UA';
}

export function assertNationalScope(p: Principal, what: string): void {
  if (!isNational(p))
    throw DomainError.forbidden(
      PlatformErrorCode.NATIONAL_SCOPE_REQUIRED,
      `${what} is of national scope: it needs the national territory UA`,
    );
}

export function assertRole(p: Principal, ...roles: Role[]): void {
  if (!hasRole(p, ...roles)) throw DomainError.forbidden(PlatformErrorCode.FORBIDDEN, `one of the roles ${roles.join(', ')} is required`);
}
