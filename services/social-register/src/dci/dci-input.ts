/**
 * Checks of a DCI body that the spec's JSON schema cannot express and that must hold before anything
 * is stored: every string is well-formed Unicode without NUL (Postgres refuses both in jsonb and
 * text, so a transaction row could not even be written), and dates in queries are calendar dates.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Deeper than any DCI message: refused rather than walked. */
export const MAX_DEPTH = 64;

const isMalformed = (s: string): boolean => s.includes('\u0000') || LONE_SURROGATE.test(s);

/**
 * The JSON path of the first string (or key) with a lone surrogate or a NUL byte, `…` for a body
 * nested deeper than MAX_DEPTH, or null when all is well-formed. Iterative: no recursion on hostile depth.
 */
export function malformedStringPath(value: unknown): string | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (isMalformed(v)) return path || '/';
    } else if (v && typeof v === 'object') {
      if (depth >= MAX_DEPTH) return `${path}/…`;
      const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, x] = entries[i]!;
        if (isMalformed(k)) return `${path}/?`;
        stack.push({ value: x, path: `${path}/${k}`, depth: depth + 1 });
      }
    }
  }
  return null;
}

/** True when `YYYY-MM-DD` names a real day of the Gregorian calendar (no 2026-02-30). */
export function isCalendarDate(ymd: string): boolean {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(ymd);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d); // not Date.UTC: it maps years 0–99 to 1900–1999
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}
