import type { CalendarDate } from '@eisss/platform';
import { PARAMETER_SEED } from '../migrations/1763900000900-parameters';

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
 *
 * The values are data: the service reads them from social_processing.parameter (seeded by migration
 * Parameters1763900000900 with the rows below, added to through POST /parameters with a second
 * person's approval). This list is that seed, used by unit tests and, at run time, only for a key the
 * table does not hold at all (a parameter added to code before its migration): add new values as rows.
 */
export const PARAMETERS: ParameterRow[] = PARAMETER_SEED.map((r) => ({ ...r }));

export class ParameterTable {
  private rows: Map<string, ParameterRow[]> = new Map();

  constructor(rows: ParameterRow[] = PARAMETERS) {
    this.replace(rows);
  }

  /**
   * Replaces every row (the per-process cache of the parameter table, refreshed when a row is added).
   * Rows are taken in the order given: for the same key and date the later one wins (a correction).
   */
  replace(rows: ParameterRow[]): void {
    const next = new Map<string, ParameterRow[]>();
    for (const r of rows) {
      const list = next.get(r.key) ?? [];
      list.push(r);
      next.set(r.key, list);
    }
    // A stable sort by date keeps insertion order within a date, so a later correction stays last.
    for (const list of next.values()) list.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
    this.rows = next;
  }

  /** Every row, in the order `row` reads them. */
  all(): ParameterRow[] {
    return [...this.rows.values()].flat();
  }

  /** The keys the table holds. */
  keys(): string[] {
    return [...this.rows.keys()].sort();
  }

  has(key: string): boolean {
    return this.rows.has(key);
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
    return new ParameterTable([...this.all(), ...rows]);
  }
}
