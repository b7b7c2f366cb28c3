import { IDP_PROGRAMME_CODE, IdpFindingRules } from '../rules/idp-living-allowance.rules';
import type { FindingRuleRow } from './finding-rules';

/**
 * The programmes whose rule sets say what each finding does. A programme not listed acts on a death
 * only (recalculated from the facts by its own rules), as before.
 */
const TABLES: Record<string, FindingRuleRow[]> = {
  [IDP_PROGRAMME_CODE]: IdpFindingRules,
};

export function findingTableOf(programmeCode: string): FindingRuleRow[] | undefined {
  return TABLES[programmeCode];
}
