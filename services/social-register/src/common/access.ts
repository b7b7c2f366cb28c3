import { Role } from '@eisss/contracts';
import { DomainError, assertTerritory, canAccessTerritory, hasRole, type Principal } from '@eisss/platform';

/** Roles that see persons by territory; anyone else (a citizen) sees only their own record. */
export const STAFF_ROLES: Role[] = [
  Role.Registrar,
  Role.Officer,
  Role.Supervisor,
  Role.System,
  Role.CaseWorker,
  Role.CaseManager,
  Role.Verifier,
];

export const PERSON_FORBIDDEN = 'PERSON_FORBIDDEN';

/** Staff serving this person, present, in a service session (any office, «єдине вікно»). */
function servesInSession(principal: Principal, personId: string): boolean {
  return principal.serviceSession?.personId === personId && hasRole(principal, ...STAFF_ROLES);
}

/**
 * The person themselves, staff whose territory covers one of the person's addresses (registered or
 * actual), or staff serving the person in a service session. Lists and searches never use a session:
 * they stay scoped by territory.
 */
export function canSeePersonRecord(principal: Principal, personId: string, katottgs: (string | null | undefined)[]): boolean {
  if (principal.personId === personId) return true;
  if (!hasRole(principal, ...STAFF_ROLES)) return false;
  if (servesInSession(principal, personId)) return true;
  return katottgs.some((k) => canAccessTerritory(principal, k?.trim()));
}

/** Throws PERSON_FORBIDDEN for a citizen reading someone else, TERRITORY_FORBIDDEN for staff of another territory. */
export function assertCanSeePersonRecord(principal: Principal, personId: string, katottgs: (string | null | undefined)[]): void {
  if (principal.personId === personId) return;
  if (!hasRole(principal, ...STAFF_ROLES)) throw DomainError.forbidden(PERSON_FORBIDDEN, 'a citizen sees only their own data');
  if (servesInSession(principal, personId)) return;
  if (!katottgs.some((k) => canAccessTerritory(principal, k?.trim()))) assertTerritory(principal, katottgs.find((k) => !!k) ?? null);
}
