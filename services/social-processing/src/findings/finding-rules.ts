import { addMonthsToMonth, monthOf, type CalendarDate } from '@eisss/platform';
import type { SourceNote } from '../rules/rule-set';

/**
 * What a verification finding does to an assignment is part of the programme's rule: each programme's
 * rule set lists, per rule of verification, whom it stops, from which month, whether it can be restored,
 * whether the act leaves the paying body any discretion, and the act and clause.
 *
 * - `member`: the share of the person the finding is about stops (the family amount is recomputed without
 *   them from the month); the assignment ends only when no member is left.
 * - `assignment`: the whole assignment stops (terminated) from the month.
 * - `death`: a member's share stops; the recipient's death stops the whole assignment.
 */
export type FindingScope = 'member' | 'assignment' | 'death';

/**
 * From which month:
 * - `month-after`: the month after the month of the finding's effective date ("з місяця, що настає за місяцем…");
 * - `month-from-first-day`: the first month whose first day is on or after the effective date (a condition
 *   tested "на 1 число місяця": a fact on the 1st stops that month, a fact on any later day the next).
 */
export type FromMonthRule = 'month-after' | 'month-from-first-day';

export type Discretion = 'none' | 'officer';

/** One effective-dated row of a programme's table of finding actions. */
export interface FindingRuleRow {
  /** Our id of the row (stable: cited in explanations). */
  id: string;
  title: string;
  /** The rule ids of verification this row answers (`Finding.rule`): exact ids, or prefixes ending in `*`. */
  ruleIds: string[];
  /** The row applies to findings whose effective date (or, without one, the date of acting) is in [effectiveFrom, effectiveTo]. */
  effectiveFrom: CalendarDate;
  effectiveTo: CalendarDate | null;
  scope: FindingScope;
  fromMonth: FromMonthRule;
  /** The earliest month the act lets the stop take effect (e.g. a rule in force from the 1st of a later month). */
  earliestMonth?: string;
  /** `none`: a stop is final for the term (no resumption); `within-period`: the share comes back within the same term once the condition is met. */
  restoration: 'none' | 'within-period';
  /** Used when the finding carries no `discretion`. */
  discretionDefault: Discretion;
  /** Act and clause, cited in the reason and the explanation of every action. */
  legalRef: string;
  /** The reason code of the assignment version the action makes. */
  reasonCode: string;
  sourceNote: SourceNote;
}

function matches(pattern: string, rule: string): boolean {
  return pattern.endsWith('*') ? rule.startsWith(pattern.slice(0, -1)) : pattern === rule;
}

/** The row of a table for a finding's rule in force on a date (exact ids win over prefixes); undefined when the act has none. */
export function findingRuleFor(table: FindingRuleRow[], rule: string, on: CalendarDate): FindingRuleRow | undefined {
  const inForce = table.filter((r) => r.effectiveFrom <= on && (r.effectiveTo === null || on <= r.effectiveTo));
  return inForce.find((r) => r.ruleIds.includes(rule)) ?? inForce.find((r) => r.ruleIds.some((p) => p.endsWith('*') && matches(p, rule)));
}

/** The month from which a row stops payment for a finding effective on a date. */
export function stopMonth(row: FindingRuleRow, effectiveDate: CalendarDate): string {
  const month = monthOf(effectiveDate);
  let from =
    row.fromMonth === 'month-after' ? addMonthsToMonth(month, 1) : effectiveDate.endsWith('-01') ? month : addMonthsToMonth(month, 1);
  if (row.earliestMonth && from < row.earliestMonth) from = row.earliestMonth;
  return from;
}

/**
 * Where the stop falls in an assignment's term: from `periodFrom` when it starts earlier (every month
 * paid so far was without right), null when it starts after the term (nothing to change).
 */
export function clampToPeriod(from: string, period: { periodFrom: string; periodTo: string }): string | null {
  if (from > period.periodTo) return null;
  return from < period.periodFrom ? period.periodFrom : from;
}

/** The discretion a finding is handled with: its own, or the row's default (the act's), or — with no row — none for a death only. */
export function discretionOf(finding: { rule: string; discretion?: Discretion }, row: FindingRuleRow | undefined): Discretion {
  if (finding.discretion) return finding.discretion;
  if (row) return row.discretionDefault;
  return finding.rule === 'death' ? 'none' : 'officer';
}
