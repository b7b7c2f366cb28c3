import { isNational, type Principal } from '@eisss/platform';

/** `LIKE prefix || '%'` bind value of the principal's territory: '' (everything) for the national territory. */
export function territoryPrefix(principal: Principal): string {
  return isNational(principal) ? '' : principal.territory;
}
