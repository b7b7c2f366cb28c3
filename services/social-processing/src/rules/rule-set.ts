import type { CalendarDate } from '@eisss/platform';
import type { ParameterTable, ParameterUse } from './parameters';

export type Relation = 'self' | 'spouse' | 'child' | 'parent' | 'guardian' | 'other';

export interface StatusFact {
  statusId?: string | null;
  type: string;
  validFrom: CalendarDate;
  validTo: CalendarDate | null;
  details?: Record<string, unknown>;
}

/** What the rules know about one member of the household (the applicant is a member with role 'applicant'). */
export interface MemberFact {
  personId: string;
  role: 'applicant' | 'member';
  relation: Relation;
  birthDate: CalendarDate;
  deathDate: CalendarDate | null;
  statuses: StatusFact[];
  /** Mobilised or directly taking part in defence (not counted in the IDP family). */
  mobilised?: boolean;
  /** On full state support / a child in full state care. */
  fullStateSupport?: boolean;
  /** Birth assistance: the child was stillborn. */
  stillborn?: boolean;
  /** Birth assistance: the applicant is deprived of parental rights. */
  parentalRightsDeprived?: boolean;
  /** Studying full-time (children 18–23 for the IDP extension). */
  studying?: boolean;
}

export interface ApplicationFacts {
  applicationDate: CalendarDate;
  applicantPersonId: string;
  members: MemberFact[];
  /** IDP extension test: average monthly income per person over the last 3 months, kopiyky. */
  averageMonthlyIncomePerPersonKopiyky?: string | null;
  /** Low-income family assistance: the family's income from the tax service's income facts (absent or null = none known). */
  familyIncomeFacts?: FamilyIncomeFacts | null;
  /** An assignment taken over from a system in use: what the source system decided (the amount is its, not computed here). */
  migrated?: MigratedFacts;
}

/** The legacy case an assignment was taken over from (AssignmentMigratedV1). */
export interface MigratedFacts {
  sourceSystem: string;
  legacyCaseNumber: string;
  importJobId: string;
  monthlyAmountKopiyky: string;
  decision: { number: string | null; date: CalendarDate | null } | null;
}

/** The family's average monthly income over a look-back, from the tax service's income facts (kopiyky as decimal strings). */
export interface FamilyIncomeFacts {
  source: 'tax-income-facts';
  /** The months of the look-back, oldest first; the divisor is their number. */
  months: string[];
  /** Counted income of all persons over the months ÷ the number of months, rounded down to a kopiyka. */
  monthlyAverageKopiyky: string;
  countedKopiyky: string;
  excludedKopiyky: string;
  excludedKinds: string[];
  byPerson: { personId: string; countedKopiyky: string; excludedKopiyky: string; byKind: Record<string, string> }[];
  reportIds: string[];
}

export type NodeOutcome = 'passed' | 'failed' | 'amount' | 'info' | 'not_applicable';

/** One node of the explanation tree: the rule, the facts and parameters it used, its outcome. */
export interface ExplanationNode {
  rule: string;
  title: string;
  legalRef: string;
  outcome: NodeOutcome;
  facts: Record<string, unknown>;
  parameters: ParameterUse[];
  amountKopiyky?: string;
  period?: string;
  children?: ExplanationNode[];
}

export interface Reason {
  code: string;
  text: string;
}

export interface MonthAmount {
  month: string;
  amountKopiyky: bigint;
  explanation: string;
}

export interface Evaluation {
  programmeCode: string;
  ruleSetVersion: string;
  eligible: boolean;
  reasons: Reason[];
  recipientPersonId: string;
  memberPersonIds: string[];
  periodFrom: string | null;
  periodTo: string | null;
  months: MonthAmount[];
  explanation: ExplanationNode;
}

export interface SourceNote {
  act: string;
  clause: string;
  note: string;
  status: 'confirmed' | 'confirmed by secondary sources, not the act text' | 'as stated in RULES.md, not confirmed';
  checkedOn: CalendarDate;
  references?: string[];
}

/** A versioned rule set of a programme: data (rules with legal references, notes) plus typed formulas. */
export interface RuleSet {
  programmeCode: string;
  version: string;
  /** The selector date (application date or birth date, per programme) from which this version applies. */
  effectiveFrom: CalendarDate;
  effectiveTo: CalendarDate | null;
  rules: { id: string; title: string; legalRef: string }[];
  sourceNotes: SourceNote[];
  /** Full decision at application. */
  decide(facts: ApplicationFacts, params: ParameterTable): Evaluation;
  /** Per-month amounts of an existing assignment for its fixed period, from the current facts (recalculation). */
  recalculate(
    facts: ApplicationFacts,
    period: { from: string; to: string },
    params: ParameterTable,
  ): { months: MonthAmount[]; explanation: ExplanationNode };
  /** A further term after `periodTo`, where the programme has one: whether the family qualifies and the new period end. */
  extend?(
    facts: ApplicationFacts,
    periodTo: string,
    params: ParameterTable,
  ): { eligible: boolean; newPeriodTo: string; explanation: ExplanationNode };
}

export interface Programme {
  code: string;
  title: string;
  /** Which date picks the rule-set version. */
  selectorName: 'applicationDate' | 'birthDate';
  selectorDate(facts: ApplicationFacts): CalendarDate | null;
  ruleSets: RuleSet[];
}

export function node(
  rule: { id: string; title: string; legalRef: string },
  outcome: NodeOutcome,
  facts: Record<string, unknown>,
  parameters: ParameterUse[] = [],
  extra: Partial<ExplanationNode> = {},
): ExplanationNode {
  return { rule: rule.id, title: rule.title, legalRef: rule.legalRef, outcome, facts, parameters, ...extra };
}

export function formatUah(kopiyky: bigint): string {
  const sign = kopiyky < 0n ? '-' : '';
  const abs = kopiyky < 0n ? -kopiyky : kopiyky;
  const uah = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  const kop = (abs % 100n).toString().padStart(2, '0');
  return `${sign}${uah}.${kop} UAH`;
}

/** The status of a type valid at some time within [from, to] (inclusive). */
export function statusValidWithin(m: MemberFact, type: string, from: CalendarDate, to: CalendarDate): StatusFact | undefined {
  return m.statuses.find((s) => s.type === type && s.validFrom <= to && (s.validTo === null || s.validTo >= from));
}
