import { addMonthsToMonth, firstOfMonth, type CalendarDate } from '@eisss/platform';
import type { AssignmentRecord } from '../assignments/assignments.repository';

/** One six-month term of an assignment: the first (from the application date) or an extension (from the 1st day of its first month). */
export interface Term {
  start: CalendarDate;
  fromMonth: string;
  endMonth: string;
  extended: boolean;
}

export function termsOf(a: Pick<AssignmentRecord, 'periodFrom' | 'periodTo' | 'facts'>, extendedFrom: string[]): Term[] {
  const firstStart = a.facts.applicationDate > firstOfMonth(a.periodFrom) ? a.facts.applicationDate : firstOfMonth(a.periodFrom);
  const starts = [
    { start: firstStart, fromMonth: a.periodFrom, extended: false },
    ...extendedFrom
      .filter((m) => m > a.periodFrom && m <= a.periodTo)
      .map((m) => ({ start: firstOfMonth(m), fromMonth: m, extended: true })),
  ];
  return starts.map((s, i) => ({ ...s, endMonth: i + 1 < starts.length ? addMonthsToMonth(starts[i + 1]!.fromMonth, -1) : a.periodTo }));
}
