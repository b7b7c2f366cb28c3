import { DomainError, type Principal } from '@eisss/platform';

export enum TreasuryErrorCode {
  /** A programme-wide act (a payroll for the whole country, its export, a statement of the treasury account): national territory `UA` only. */
  NATIONAL_SCOPE_REQUIRED = 'NATIONAL_SCOPE_REQUIRED',
}

/** `LIKE prefix || '%'` bind value of the principal's territory: '' (everything) for the national territory. */
export function territoryPrefix(principal: Principal): string {
  return principal.territory === 'UA' ? '' : principal.territory;
}

export function isNational(principal: Principal): boolean {
  return principal.territory === 'UA';
}

export function assertNational(principal: Principal, what: string): void {
  if (!isNational(principal)) throw DomainError.forbidden(TreasuryErrorCode.NATIONAL_SCOPE_REQUIRED, `${what} is a national operation: it needs the national territory UA`);
}
