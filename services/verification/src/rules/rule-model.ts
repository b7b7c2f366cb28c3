import { addMonths, compareDates, parseDate, type CalendarDate } from '@eisss/platform';

/** Kinds of facts kept from other registers (one row each in verification.fact). */
export type FactKind = 'death' | 'birth' | 'border-crossing' | 'income' | 'deposit' | 'vehicle' | 'property' | 'purchase';
export type CheckMode = 'preventive' | 'current' | 'retrospective';
export type RecommendedAction = 'none' | 'review' | 'refuse' | 'suspend' | 'stop_payment';
/** `none`: the act leaves no discretion, the paying side acts at once; `officer`: it waits for an officer's accepted decision. */
export type Discretion = 'none' | 'officer';

export interface Fact<D = Record<string, unknown>> {
  source: string;
  kind: FactKind;
  reference: string;
  personId: string;
  occurredOn: CalendarDate;
  data: D;
}

export interface Evidence {
  source: string;
  reference: string;
  facts: Record<string, unknown>;
}

/** A finding before it is stored: `dedupeRef` identifies the evidence, so a rerun finds it again and raises nothing new. */
export interface FindingDraft {
  personId: string;
  rule: RuleId;
  recommendedAction: RecommendedAction;
  effectiveDate: CalendarDate | null;
  discretion: Discretion;
  legalBasis: string;
  evidence: Evidence[];
  dedupeRef: string;
}

export interface Period {
  from: CalendarDate;
  to: CalendarDate;
}

export interface RecipientAssignment {
  assignmentId: string;
  programmeCode: string;
  recipientPersonId: string;
  memberPersonIds: string[];
  katottg: string;
  status: 'active' | 'suspended' | 'terminated';
}

/** What the check knows of a person besides the facts (from the verification request; absent in the monthly check). */
export interface CheckedPerson {
  personId: string;
  birthDate?: CalendarDate;
  /** Register statuses on the check date, e.g. large_family, child_with_disability, disability:I, orphan. */
  statuses?: string[];
}

export const RuleIds = [
  'death',
  'abroad',
  'abroad-at-application',
  'abroad-over-90-days',
  'deposit-over-threshold',
  'vehicle',
  'purchase-over-threshold',
  'housing-area',
  'income-over-threshold',
  'duplicate-registration',
] as const;
export type RuleId = (typeof RuleIds)[number];

/** One row of the rule table: the parameters of a rule from a date (to a date, exclusive), with the act and clause and what was confirmed. */
export interface RuleParameterRow {
  ruleId: string;
  effectiveFrom: CalendarDate;
  effectiveTo: CalendarDate | null;
  parameters: Record<string, unknown>;
  legalBasis: string;
  sourceNote?: string | null;
}

/** What a rule's finding asks for in a mode; null: the rule is not checked in that mode. */
export interface ActionSpec {
  action: RecommendedAction;
  discretion: Discretion;
}

/** Every rule says what it does at application (preventive) and while receiving (current and retrospective checks). */
export interface ModeActions {
  preventive: ActionSpec | null;
  current: ActionSpec | null;
}

/** Whether the payment stops from the month the ground arose or from the next one (recorded on the finding's summary). */
export type StopsFrom = 'same-month' | 'next-month';

export type WithBasis<P> = P & { legalBasis: string };

export function actionFor(mode: CheckMode, p: ModeActions): ActionSpec | null {
  return mode === 'preventive' ? p.preventive : p.current;
}

const DAY_MS = 86_400_000;
/** Days from `a` to `b` (b − a). */
export function daysBetween(a: CalendarDate, b: CalendarDate): number {
  return Math.round((parseDate(b).getTime() - parseDate(a).getTime()) / DAY_MS);
}
export const minDate = (a: CalendarDate, b: CalendarDate) => (compareDates(a, b) <= 0 ? a : b);
export const maxDate = (a: CalendarDate, b: CalendarDate) => (compareDates(a, b) >= 0 ? a : b);
export const within = (d: CalendarDate, from: CalendarDate, to: CalendarDate) => compareDates(d, from) >= 0 && compareDates(d, to) <= 0;

/** The month (YYYY-MM) the payment stops from, for a ground that arose on `on`. */
export function stopsFromMonth(on: CalendarDate, stopsFrom: StopsFrom): string {
  return (stopsFrom === 'next-month' ? addMonths(`${on.slice(0, 7)}-01`, 1) : on).slice(0, 7);
}

export function evidenceOf(f: Fact, facts: Record<string, unknown> = f.data): Evidence {
  return { source: f.source, reference: f.reference, facts };
}

/**
 * The look-back of the property tests: at application the `months` before the application date; while
 * receiving, the period checked (the assignment's months up to the check date).
 */
export function lookbackWindow(mode: CheckMode, period: Period, asOf: CalendarDate, months: number): Period {
  return mode === 'preventive' ? { from: addMonths(asOf, -months), to: asOf } : { from: period.from, to: asOf };
}

export const hasAnyStatus = (p: CheckedPerson | undefined, statuses: readonly string[]) =>
  (p?.statuses ?? []).some((s) => statuses.includes(s));
