import type { CalendarDate } from '@eisss/platform';

/** One effective-dated value of a parameter (money in kopiyky as bigint, counts as bigint too). */
export interface ParameterRow {
  key: string;
  from: CalendarDate;
  value: bigint;
  source: string;
}

/** A parameter value as used by a rule: recorded in the explanation tree. */
export interface ParameterUse {
  key: string;
  value: string;
  effectiveFrom: CalendarDate;
  source: string;
}

/**
 * Effective-dated parameters of the programmes. A change in law is a new row with its own `from`;
 * evaluation picks, for every month, the row in force on the first day of that month.
 */
export const PARAMETERS: ParameterRow[] = [
  // Subsistence minimum (прожитковий мінімум), UAH per month → kopiyky; State Budget laws 2025 and 2026 (RULES.md §3).
  { key: 'subsistence-minimum.general', from: '2025-01-01', value: 292000n, source: 'Закон про Державний бюджет України на 2025 рік, ст. 7' },
  { key: 'subsistence-minimum.child-under-6', from: '2025-01-01', value: 256300n, source: 'Закон про Державний бюджет України на 2025 рік, ст. 7' },
  { key: 'subsistence-minimum.child-6-18', from: '2025-01-01', value: 319600n, source: 'Закон про Державний бюджет України на 2025 рік, ст. 7' },
  { key: 'subsistence-minimum.able-bodied', from: '2025-01-01', value: 302800n, source: 'Закон про Державний бюджет України на 2025 рік, ст. 7' },
  { key: 'subsistence-minimum.unable-to-work', from: '2025-01-01', value: 236100n, source: 'Закон про Державний бюджет України на 2025 рік, ст. 7' },
  { key: 'subsistence-minimum.general', from: '2026-01-01', value: 320900n, source: 'Закон про Державний бюджет України на 2026 рік, ст. 7' },
  { key: 'subsistence-minimum.child-under-6', from: '2026-01-01', value: 281700n, source: 'Закон про Державний бюджет України на 2026 рік, ст. 7' },
  { key: 'subsistence-minimum.child-6-18', from: '2026-01-01', value: 351200n, source: 'Закон про Державний бюджет України на 2026 рік, ст. 7' },
  { key: 'subsistence-minimum.able-bodied', from: '2026-01-01', value: 332800n, source: 'Закон про Державний бюджет України на 2026 рік, ст. 7' },
  { key: 'subsistence-minimum.unable-to-work', from: '2026-01-01', value: 259500n, source: 'Закон про Державний бюджет України на 2026 рік, ст. 7' },
  // IDP living allowance (КМУ № 332 п. 4).
  { key: 'idp.amount.child-or-disability', from: '2022-03-20', value: 300000n, source: 'КМУ № 332 від 20.03.2022, п. 4' },
  { key: 'idp.amount.other', from: '2022-03-20', value: 200000n, source: 'КМУ № 332 від 20.03.2022, п. 4' },
  { key: 'idp.term-months', from: '2023-08-01', value: 6n, source: 'КМУ № 332, п. 4 (ред. 2023): шість місяців' },
  { key: 'idp.extension.income-multiplier', from: '2024-03-01', value: 4n, source: 'КМУ № 332 (ред. № 94 від 26.01.2024): 4 прожиткові мінімуми для непрацездатних' },
  // Birth-of-a-child assistance (Закон «Про державну допомогу сім'ям з дітьми», ст. 12).
  { key: 'birth.legacy.lump-sum', from: '2014-07-01', value: 1032000n, source: 'Закон «Про державну допомогу сім\'ям з дітьми», ст. 12' },
  { key: 'birth.legacy.monthly', from: '2014-07-01', value: 86000n, source: 'Закон «Про державну допомогу сім\'ям з дітьми», ст. 12' },
  { key: 'birth.legacy.months', from: '2014-07-01', value: 36n, source: 'Закон «Про державну допомогу сім\'ям з дітьми», ст. 12' },
  { key: 'birth.one-time', from: '2026-01-01', value: 5000000n, source: 'Закон № 4681-IX від 05.11.2025; Порядок КМУ № 1805 від 31.12.2025' },
];

export class ParameterTable {
  private readonly rows: Map<string, ParameterRow[]>;

  constructor(rows: ParameterRow[] = PARAMETERS) {
    this.rows = new Map();
    for (const r of rows) {
      const list = this.rows.get(r.key) ?? [];
      list.push(r);
      this.rows.set(r.key, list);
    }
    for (const list of this.rows.values()) list.sort((a, b) => (a.from < b.from ? -1 : 1));
  }

  /** The row in force on a date; throws when the parameter is not defined then (a rule set bug, not bad input). */
  row(key: string, on: CalendarDate): ParameterRow {
    const list = this.rows.get(key) ?? [];
    let found: ParameterRow | undefined;
    for (const r of list) if (r.from <= on) found = r;
    if (!found) throw new Error(`parameter ${key} is not defined on ${on}`);
    return found;
  }

  use(key: string, on: CalendarDate): { value: bigint; use: ParameterUse } {
    const r = this.row(key, on);
    return { value: r.value, use: { key, value: r.value.toString(), effectiveFrom: r.from, source: r.source } };
  }

  /** A new table with extra rows (a parameter change), e.g. for recalculation tests. */
  with(rows: ParameterRow[]): ParameterTable {
    return new ParameterTable([...[...this.rows.values()].flat(), ...rows]);
  }
}
