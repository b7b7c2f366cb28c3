import type { CalendarDate } from '@eisss/platform';
import type { MemberFact } from '../rules/rule-set';

/** Kinds of income the extension's income test does not count (КМУ № 332, пп. 13-1–13-4: one-off payments and military pay). */
export const EXCLUDED_INCOME_KINDS: readonly string[] = ['one-off', 'military'];

export interface IncomeLine {
  reportId: string;
  personId: string;
  month: string;
  incomeKind: string;
  amountKopiyky: string;
}

export interface IncomeTestInput {
  members: MemberFact[];
  lines: IncomeLine[];
  months: string[];
  /** Members alive on this day are the persons the income is divided by. */
  on: CalendarDate;
}

export interface IncomeFromFacts {
  months: string[];
  persons: number;
  countedKopiyky: string;
  excludedKopiyky: string;
  averageMonthlyIncomePerPersonKopiyky: string;
  /** The latest monthly pension of each member with one reported (for the automatic extension of pensioners). */
  pensions: Record<string, string>;
  reportIds: string[];
}

/**
 * The family's average monthly income per person over the given months from the tax service's income
 * facts (not the income declared on the application): the counted income of every member divided by the
 * number of months and of persons, rounded down to a kopiyka; one-off and military income left out.
 */
export function incomeFromFacts(input: IncomeTestInput): IncomeFromFacts {
  const ids = new Set(input.members.map((m) => m.personId));
  const inMonths = new Set(input.months);
  const persons = input.members.filter((m) => m.birthDate <= input.on && (m.deathDate === null || m.deathDate > input.on)).length;
  let counted = 0n;
  let excluded = 0n;
  const pensions: Record<string, { month: string; amount: bigint }> = {};
  const reportIds: string[] = [];
  for (const l of input.lines) {
    if (!ids.has(l.personId) || !inMonths.has(l.month)) continue;
    reportIds.push(l.reportId);
    const amount = BigInt(l.amountKopiyky);
    if (EXCLUDED_INCOME_KINDS.includes(l.incomeKind)) {
      excluded += amount;
      continue;
    }
    counted += amount;
    if (l.incomeKind === 'pension') {
      const p = pensions[l.personId];
      if (!p || p.month < l.month) pensions[l.personId] = { month: l.month, amount };
      else if (p.month === l.month) p.amount += amount;
    }
  }
  const divisor = BigInt(Math.max(1, input.months.length) * Math.max(1, persons));
  return {
    months: input.months,
    persons,
    countedKopiyky: counted.toString(),
    excludedKopiyky: excluded.toString(),
    averageMonthlyIncomePerPersonKopiyky: (counted / divisor).toString(),
    pensions: Object.fromEntries(Object.entries(pensions).map(([k, v]) => [k, v.amount.toString()])),
    reportIds,
  };
}
