import { addMonthsToMonth } from '@eisss/platform';
import type { MonthAmount } from '../rules/rule-set';

/** One month of an assignment as stored and published: money as a decimal string of kopiyky. */
export interface StoredMonth {
  month: string;
  amountKopiyky: string;
  explanation: string;
}

export interface MonthDifference {
  month: string;
  previousKopiyky: string;
  newKopiyky: string;
  differenceKopiyky: string;
}

export interface RecalculationPlan {
  months: StoredMonth[];
  periodTo: string;
  terminated: boolean;
  differences: MonthDifference[];
  effectiveFrom: string | null;
}

export function toStoredMonths(months: MonthAmount[]): StoredMonth[] {
  return months.map((m) => ({ month: m.month, amountKopiyky: m.amountKopiyky.toString(), explanation: m.explanation }));
}

/** Per-month differences (positive = arrears, negative = overpayment), months with no change left out. */
export function diffMonths(previous: StoredMonth[], next: StoredMonth[]): MonthDifference[] {
  const prev = new Map(previous.map((m) => [m.month, BigInt(m.amountKopiyky)]));
  const now = new Map(next.map((m) => [m.month, BigInt(m.amountKopiyky)]));
  const months = [...new Set([...prev.keys(), ...now.keys()])].sort();
  const out: MonthDifference[] = [];
  for (const month of months) {
    const p = prev.get(month) ?? 0n;
    const n = now.get(month) ?? 0n;
    if (p !== n) out.push({ month, previousKopiyky: p.toString(), newKopiyky: n.toString(), differenceKopiyky: (n - p).toString() });
  }
  return out;
}

/**
 * A new version of an assignment from recomputed months. `lastMonth` ends the assignment after that
 * month (death of the recipient, an officer's termination); trailing months with nothing to pay
 * end it too (no member left, the child died) — unless every one of them is `restorable`: a month
 * that is zero only because of a stop the act lets be lifted within the term (the employment duty,
 * КМУ № 332, restoration from 26.08.2025). Then the assignment stays open with those months at zero
 * so that a later restoration can pay them again; a single non-restorable trailing zero month (death,
 * abroad, property findings) still ends it as before.
 */
export function planRecalculation(
  previous: { periodFrom: string; months: StoredMonth[] },
  computed: StoredMonth[],
  lastMonth?: string,
  restorable?: ReadonlySet<string>,
): RecalculationPlan {
  let months = computed;
  let terminated = false;
  let periodTo = computed.length ? computed[computed.length - 1]!.month : addMonthsToMonth(previous.periodFrom, -1);
  if (lastMonth !== undefined) {
    months = computed.filter((m) => m.month <= lastMonth);
    terminated = true;
    periodTo = lastMonth < previous.periodFrom ? addMonthsToMonth(previous.periodFrom, -1) : lastMonth;
  } else {
    let last = months.length - 1;
    while (last >= 0 && BigInt(months[last]!.amountKopiyky) === 0n) last--;
    const tail = months.slice(last + 1);
    const keepOpen = tail.length > 0 && restorable !== undefined && tail.every((m) => restorable.has(m.month));
    if (tail.length > 0 && !keepOpen) {
      terminated = true;
      months = months.slice(0, last + 1);
      periodTo = last >= 0 ? months[last]!.month : addMonthsToMonth(previous.periodFrom, -1);
    }
  }
  const differences = diffMonths(previous.months, months);
  const effectiveFrom = terminated ? addMonthsToMonth(periodTo, 1) : (differences[0]?.month ?? null);
  return { months, periodTo, terminated, differences, effectiveFrom };
}
