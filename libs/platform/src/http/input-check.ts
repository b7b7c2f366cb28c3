/** How deep a request body may nest (objects and arrays; the body itself is level 1). */
export const MAX_INPUT_DEPTH = 32;

export type InputFaultReason = 'too_deep' | 'nul_character' | 'lone_surrogate';

/** What is wrong with a request input, and where (`applicant.lastName`, `members.0.role`: the form validation errors name fields in). */
export interface InputFault {
  reason: InputFaultReason;
  field: string;
}

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | null;
  key: string | number | null;
}

// A cheap first look: almost no string holds a NUL or any surrogate; only those that do get the exact test.
// eslint-disable-next-line no-control-regex -- the NUL is exactly what this looks for
const SUSPECT = /[\u0000\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string may not be stored or compared: a NUL (Postgres text refuses it) or a lone UTF-16 surrogate (not Unicode text). */
export function stringFault(s: string): 'nul_character' | 'lone_surrogate' | null {
  if (!SUSPECT.test(s)) return null;
  if (s.includes('\u0000')) return 'nul_character';
  return LONE_SURROGATE.test(s) ? 'lone_surrogate' : null;
}

/** A key as it may be shown in a path: printable, with bad characters escaped as JSON does. */
function printable(key: string | number): string {
  if (typeof key === 'number') return String(key);
  return stringFault(key) === null ? key : JSON.stringify(key).slice(1, -1);
}

function pathOf(frame: Frame | null, last?: string | number): string {
  const keys: (string | number)[] = last === undefined ? [] : [last];
  for (let f = frame; f !== null && f.key !== null; f = f.parent) keys.push(f.key);
  return keys.reverse().map(printable).join('.');
}

/**
 * The first fault of a parsed request input (a JSON body, a query object): nesting deeper than
 * `maxDepth`, or a NUL or lone surrogate in any string, keys included. An iterative walk (an explicit
 * stack, no recursion), so neither a deep nor a large input can overflow the call stack; each string is
 * looked at once. `null` when the input is fine.
 */
export function findInputFault(input: unknown, maxDepth = MAX_INPUT_DEPTH): InputFault | null {
  if (typeof input === 'string') {
    const reason = stringFault(input);
    return reason ? { reason, field: '' } : null;
  }
  if (input === null || typeof input !== 'object') return null;
  const stack: Frame[] = [{ value: input, depth: 1, parent: null, key: null }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.depth > maxDepth) return { reason: 'too_deep', field: pathOf(frame) };
    const value = frame.value;
    if (ArrayBuffer.isView(value)) continue;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        if (typeof v === 'string') {
          const reason = stringFault(v);
          if (reason) return { reason, field: pathOf(frame, i) };
        } else if (v !== null && typeof v === 'object') {
          stack.push({ value: v, depth: frame.depth + 1, parent: frame, key: i });
        }
      }
      continue;
    }
    const keys = Object.keys(value as object);
    for (const k of keys) {
      const keyReason = stringFault(k);
      if (keyReason) return { reason: keyReason, field: pathOf(frame, k) };
      const v: unknown = (value as Record<string, unknown>)[k];
      if (typeof v === 'string') {
        const reason = stringFault(v);
        if (reason) return { reason, field: pathOf(frame, k) };
      } else if (v !== null && typeof v === 'object') {
        stack.push({ value: v, depth: frame.depth + 1, parent: frame, key: k });
      }
    }
  }
  return null;
}
