/** Calendar dates of legal effect are `YYYY-MM-DD` strings in Europe/Kyiv; arithmetic is done on UTC midnights. */
export type CalendarDate = string;

const kyivFormatter = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Kyiv', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The Kyiv calendar date of an instant (e.g. 2026-03-31T22:30Z is 2026-04-01 in Kyiv). */
export function kyivDate(instant: Date): CalendarDate {
  return kyivFormatter.format(instant);
}

export function parseDate(d: CalendarDate): Date {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(d)) throw new Error(`not a calendar date: ${d}`);
  const date = new Date(`${d}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== d) throw new Error(`not a calendar date: ${d}`);
  return date;
}

export function formatDate(d: Date): CalendarDate {
  return d.toISOString().slice(0, 10);
}

export function addDays(d: CalendarDate, days: number): CalendarDate {
  return formatDate(new Date(parseDate(d).getTime() + days * 86_400_000));
}

export function addMonths(d: CalendarDate, months: number): CalendarDate {
  const date = parseDate(d);
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return formatDate(new Date(Date.UTC(y, m, Math.min(date.getUTCDate(), lastDay))));
}

/** `YYYY-MM` of a date. */
export function monthOf(d: CalendarDate): string {
  return d.slice(0, 7);
}

export function firstOfMonth(month: string): CalendarDate {
  return `${month}-01`;
}

export function lastOfMonth(month: string): CalendarDate {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return formatDate(new Date(Date.UTC(y, m, 0)));
}

export function addMonthsToMonth(month: string, n: number): string {
  return monthOf(addMonths(firstOfMonth(month), n));
}

/** Months from `from` to `to` inclusive, `YYYY-MM`. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonthsToMonth(m, 1)) out.push(m);
  return out;
}

/** Full years of age on a date. */
export function ageOn(birthDate: CalendarDate, on: CalendarDate): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
