/**
 * Checks of a DCI body that the spec's JSON schema cannot express and that must hold before anything
 * is stored: every string is well-formed Unicode without NUL (the platform's `findInputFault`, with the
 * DCI's depth) and dates in queries are calendar dates.
 */

/** Deeper than any DCI message: refused rather than walked. */
export const MAX_DEPTH = 64;

/** True when `YYYY-MM-DD` names a real day of the Gregorian calendar (no 2026-02-30). */
export function isCalendarDate(ymd: string): boolean {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(ymd);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d); // not Date.UTC: it maps years 0–99 to 1900–1999
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}
