import { addMonthsToMonth, monthOf, type CalendarDate } from '@eisss/platform';

/**
 * The official list of territories of hostilities or temporary occupation (Перелік територій, на яких
 * ведуться (велися) бойові дії або тимчасово окупованих Російською Федерацією): наказ Мінреінтеграції
 * від 22.12.2022 № 309, replaced from 20.03.2025 by наказ Мінрозвитку від 28.02.2025 № 376 (corrected
 * by № 748 of 23.04.2025 and amended since). Each row is one territory (a КАТОТТГ code: a community, or
 * a higher unit whose code prefix covers its children) of one kind, with the date hostilities or the
 * occupation began and, once set, the date they ended.
 */
export const TerritoryKinds = ['possible_hostilities', 'active_hostilities', 'active_hostilities_e_resources', 'occupation'] as const;
export type TerritoryKind = (typeof TerritoryKinds)[number];

/** The Ukrainian names of the list's sections, as the ministry's file writes them (CSV import). */
export const TerritoryKindNames: Record<TerritoryKind, string> = {
  possible_hostilities: 'можливих бойових дій',
  active_hostilities: 'активних бойових дій',
  active_hostilities_e_resources: 'активних бойових дій, на яких функціонують державні електронні інформаційні ресурси',
  occupation: 'тимчасово окуповані',
};

/** One row of the list in force (the current version of a code and kind), as the rules read it. */
export interface TerritoryRow {
  entryId: string;
  importId: string;
  /** The list version (import sequence) the row came with. */
  listVersion: number;
  katottg: string;
  name: string | null;
  kind: TerritoryKind;
  startedOn: CalendarDate;
  endedOn: CalendarDate | null;
  /** The date the territory was added to the list (the order that first listed it): paid from the next month. */
  includedOn: CalendarDate;
  /** The order (and its version/date) the row is taken from. */
  source: { order: string; orderDate: CalendarDate; version: string | null };
}

/** The rules' fact about the community of origin: its code and the list rows that cover it (as of `asOf`). */
export interface OriginTerritoryFact {
  katottg: string;
  rows: TerritoryRow[];
  /** The latest list version consulted (null: the list is empty). */
  listVersion: number | null;
  asOf: string;
}

/**
 * The significant part of a КАТОТТГ code: a unit's code without its trailing zeros and check digits, so
 * that a higher unit's code is a prefix of its children's (UA14000000000000000 → UA14 covers
 * UA14160050000036863). КАТОТТГ: UA + 2 (oblast) + 2 (district) + 3 (community) + 3 (settlement) + 2 (district of a city) + 5 (check).
 */
export function katottgPrefix(code: string): string {
  const body = code.slice(2, 14);
  const bounds: [number, number][] = [
    [0, 2],
    [2, 4],
    [4, 7],
    [7, 10],
    [10, 12],
  ];
  // A level is significant when any of its digits is not zero: keep up to the deepest such level.
  let deepest = 2;
  for (const [from, to] of bounds) if (/[1-9]/.test(body.slice(from, to))) deepest = to;
  return `UA${body.slice(0, deepest)}`;
}

export const KATOTTG_PATTERN = /^UA[0-9]{17}$/;

/** Whether a row's code covers a community (the same unit or one of its parents). */
export function covers(rowKatottg: string, katottg: string): boolean {
  return katottg.startsWith(katottgPrefix(rowKatottg));
}

/**
 * The rows that decide for a community: of the rows covering it, those of the most specific unit (a
 * community's own rows override its district's or oblast's; several kinds of the same unit all count).
 */
export function decidingRows(rows: TerritoryRow[], katottg: string): TerritoryRow[] {
  const mine = rows.filter((r) => covers(r.katottg, katottg));
  const depth = Math.max(0, ...mine.map((r) => katottgPrefix(r.katottg).length));
  return mine.filter((r) => katottgPrefix(r.katottg).length === depth);
}

/** The first month paid for a row: the month after its inclusion in the list (and not before the start). */
export function firstPaidMonth(r: TerritoryRow): string {
  const afterInclusion = addMonthsToMonth(monthOf(r.includedOn), 1);
  const start = monthOf(r.startedOn);
  return start > afterInclusion ? start : afterInclusion;
}

/** The last month paid for a row: `monthsAfterEnd` months after the month of its end date; null without one. */
export function lastPaidMonth(r: TerritoryRow, monthsAfterEnd: number): string | null {
  return r.endedOn === null ? null : addMonthsToMonth(monthOf(r.endedOn), monthsAfterEnd);
}

export type OriginStatus = 'listed' | 'ended' | 'not_yet_included' | 'not_listed';

/**
 * The status of the community of origin on a date (the application date): `listed` when a row covering
 * it has begun, was included by then and has no end date before that date; `ended` when the only rows have
 * ended before it; `not_yet_included` when it was added to the list after that date; else `not_listed`.
 */
export function originStatusOn(
  rows: TerritoryRow[],
  katottg: string,
  on: CalendarDate,
): { status: OriginStatus; row: TerritoryRow | null } {
  const mine = decidingRows(rows, katottg);
  const listed = mine.find((r) => r.startedOn <= on && r.includedOn <= on && (r.endedOn === null || r.endedOn >= on));
  if (listed) return { status: 'listed', row: listed };
  const ended = mine.filter((r) => r.endedOn !== null && r.endedOn < on).sort((a, b) => (a.endedOn! < b.endedOn! ? 1 : -1))[0];
  if (ended) return { status: 'ended', row: ended };
  const later = mine.find((r) => r.includedOn > on || r.startedOn > on);
  if (later) return { status: 'not_yet_included', row: later };
  return { status: 'not_listed', row: null };
}

/**
 * Whether the allowance is paid for a month by reason of the origin (КМУ № 332, п. 2): some row covering it
 * is in its paid window — from the month after inclusion, through the 3rd month after the month of the end
 * date. `row` is the row that allows it, or (when none does) the row that explains why not.
 */
export function originPaidInMonth(
  rows: TerritoryRow[],
  katottg: string,
  month: string,
  monthsAfterEnd: number,
): { paid: boolean; row: TerritoryRow | null; why: string } {
  const mine = decidingRows(rows, katottg);
  for (const r of mine) {
    const last = lastPaidMonth(r, monthsAfterEnd);
    if (firstPaidMonth(r) <= month && (last === null || month <= last)) return { paid: true, row: r, why: describe(r) };
  }
  const ended = mine
    .filter((r) => r.endedOn !== null && lastPaidMonth(r, monthsAfterEnd)! < month)
    .sort((a, b) => (a.endedOn! < b.endedOn! ? 1 : -1))[0];
  if (ended)
    return {
      paid: false,
      row: ended,
      why: `${describe(ended)}: ended ${ended.endedOn}, paid through ${lastPaidMonth(ended, monthsAfterEnd)}`,
    };
  const later = mine.sort((a, b) => (firstPaidMonth(a) < firstPaidMonth(b) ? -1 : 1))[0];
  if (later)
    return { paid: false, row: later, why: `${describe(later)}: included ${later.includedOn}, paid from ${firstPaidMonth(later)}` };
  return { paid: false, row: null, why: `${katottg} is not on the list of territories` };
}

export function describe(r: TerritoryRow): string {
  return `${r.katottg}${r.name ? ` (${r.name})` : ''} ${r.kind} from ${r.startedOn}${r.endedOn ? ` to ${r.endedOn}` : ''}, list v${r.listVersion}: ${r.source.order} від ${r.source.orderDate}${r.source.version ? ` (${r.source.version})` : ''}`;
}
