import { TerritoryKindNames, TerritoryKinds, type TerritoryKind } from './territory-list';

/**
 * The CSV layout of an import, following the columns of the ministry's published list (наказ
 * Мінреінтеграції № 309 / Мінрозвитку № 376, one table per section):
 *
 *   Код КАТОТТГ;Найменування;Розділ;Дата виникнення;Дата завершення;Дата включення
 *
 * - separator `;` (as the ministry's spreadsheets export) or `,`; a header row is required (recognised by
 *   its first cell starting with "Код" or "katottg"); fields may be double-quoted;
 * - Розділ: the section of the list — one of the kinds (possible_hostilities, active_hostilities,
 *   active_hostilities_e_resources, occupation) or its Ukrainian name («можливих бойових дій»,
 *   «активних бойових дій», «… державні електронні інформаційні ресурси», «тимчасово окуповані»);
 * - dates as DD.MM.YYYY (the ministry's form) or YYYY-MM-DD; Дата завершення empty while ongoing;
 *   Дата включення optional (the date the territory was first added to the list; when empty the current
 *   row's is kept, else the order's date).
 */
export interface CsvRow {
  line: number;
  katottg: string;
  name: string | null;
  kind: string;
  startedOn: string;
  endedOn: string | null;
  includedOn: string | null;
}

function splitLine(line: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

/** A date of the ministry's file (DD.MM.YYYY) or ISO, as YYYY-MM-DD; the text itself when it is neither (validated later). */
export function normaliseDate(s: string): string {
  const m = /^([0-9]{2})\.([0-9]{2})\.([0-9]{4})$/.exec(s);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : s;
}

/** A kind from its code or the section's Ukrainian name; the text itself when unknown (validated later). */
export function normaliseKind(s: string): string {
  const t = s.trim().toLowerCase();
  if ((TerritoryKinds as readonly string[]).includes(t)) return t;
  if (t.includes('електронні')) return 'active_hostilities_e_resources';
  if (t.includes('окупован')) return 'occupation';
  if (t.includes('активн')) return 'active_hostilities';
  if (t.includes('можлив')) return 'possible_hostilities';
  return s;
}

/** Parses the CSV text into rows (no validation of values beyond the layout). */
export function parseTerritoryCsv(text: string): { rows: CsvRow[]; error: { line: number; message: string } | null } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) return { rows: [], error: null };
  const header = lines[first]!;
  const sep = header.includes(';') ? ';' : ',';
  const head = splitLine(header, sep);
  if (!/^(код|katottg)/i.test(head[0] ?? ''))
    return {
      rows: [],
      error: {
        line: first + 1,
        message: 'the first row must be the header: Код КАТОТТГ;Найменування;Розділ;Дата виникнення;Дата завершення;Дата включення',
      },
    };
  const rows: CsvRow[] = [];
  for (let i = first + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const f = splitLine(raw, sep);
    if (f.length < 4 || f.length > 6) return { rows, error: { line: i + 1, message: `expected 4 to 6 fields, found ${f.length}` } };
    rows.push({
      line: i + 1,
      katottg: f[0]!,
      name: f[1] ? f[1] : null,
      kind: normaliseKind(f[2]!),
      startedOn: normaliseDate(f[3]!),
      endedOn: f[4] ? normaliseDate(f[4]) : null,
      includedOn: f[5] ? normaliseDate(f[5]) : null,
    });
  }
  return { rows, error: null };
}

export const KIND_NAMES: Record<TerritoryKind, string> = TerritoryKindNames;
