import { BirthAssistance } from './birth-assistance.rules';
import { IdpLivingAllowance } from './idp-living-allowance.rules';
import { LowIncomeFamily } from './low-income-family.rules';
import { MIGRATION_RULE_SET_PREFIX, migratedRuleSet } from './migrated.rules';
import { ParameterTable } from './parameters';
import type { ApplicationFacts, Evaluation, Programme, RuleSet } from './rule-set';

export const PROGRAMMES: Record<string, Programme> = {
  [IdpLivingAllowance.code]: IdpLivingAllowance,
  [BirthAssistance.code]: BirthAssistance,
  [LowIncomeFamily.code]: LowIncomeFamily,
};

export function programmeOf(code: string): Programme | undefined {
  return PROGRAMMES[code];
}

/** The rule-set version in force on the programme's selector date (application date or birth date). */
export function ruleSetFor(programme: Programme, facts: ApplicationFacts): RuleSet | undefined {
  const on = programme.selectorDate(facts) ?? facts.applicationDate;
  return programme.ruleSets.find((r) => r.effectiveFrom <= on && (r.effectiveTo === null || on <= r.effectiveTo));
}

/** The rule set of an existing assignment by its version (`migration@<source>` for one taken over from a system in use). */
export function ruleSetByVersion(programmeCode: string, version: string): RuleSet | undefined {
  if (version.startsWith(MIGRATION_RULE_SET_PREFIX)) return PROGRAMMES[programmeCode] ? migratedRuleSet(programmeCode, version) : undefined;
  return PROGRAMMES[programmeCode]?.ruleSets.find((r) => r.version === version);
}

/** Decides one programme for an application: picks the version, runs its rules. */
export function evaluateProgramme(code: string, facts: ApplicationFacts, params: ParameterTable = new ParameterTable()): Evaluation {
  const programme = programmeOf(code);
  if (!programme) throw new Error(`unknown programme ${code}`);
  const ruleSet = ruleSetFor(programme, facts);
  if (!ruleSet) {
    return {
      programmeCode: code,
      ruleSetVersion: 'none',
      eligible: false,
      reasons: [{ code: 'NO_RULE_SET_IN_FORCE', text: `no rule set of ${code} is in force on the ${programme.selectorName}` }],
      recipientPersonId: facts.applicantPersonId,
      memberPersonIds: [],
      periodFrom: null,
      periodTo: null,
      months: [],
      explanation: {
        rule: code,
        title: programme.title,
        legalRef: '',
        outcome: 'failed',
        facts: { [programme.selectorName]: programme.selectorDate(facts) },
        parameters: [],
      },
    };
  }
  return ruleSet.decide(facts, params);
}
