/** Parsing and validation of appropriation uploads (CSV or JSON): all rows are checked before anything is written. */

export interface AppropriationInput {
  programmeCode: string;
  region: string;
  month: string;
  amountKopiyky: string;
}

export interface RowProblem {
  row: number;
  field: string;
  message: string;
}

const MONTH = /^[0-9]{4}-(0[1-9]|1[0-2])$/;
const REGION = /^UA([0-9]{2})?$/;
const KOPIYKY = /^[0-9]{1,15}$/;
export const CSV_COLUMNS = ['programmeCode', 'region', 'month', 'amountKopiyky'] as const;

/** CSV with a header line `programmeCode,region,month,amountKopiyky` (comma or semicolon separated). */
export function parseAppropriationCsv(csv: string): { rows: Record<string, string>[]; problems: RowProblem[] } {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return { rows: [], problems: [{ row: 0, field: 'content', message: 'empty file' }] };
  const sep = lines[0]!.includes(';') ? ';' : ',';
  const header = lines[0]!.split(sep).map((h) => h.trim());
  const missing = CSV_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) return { rows: [], problems: [{ row: 1, field: 'header', message: `missing columns: ${missing.join(', ')}` }] };
  const rows = lines.slice(1).map((l) => {
    const cells = l.split(sep).map((c) => c.trim());
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
  return { rows, problems: [] };
}

/** Validates rows (from CSV or JSON); row numbers are 1-based data rows. Duplicate keys in one upload are an error. */
export function validateAppropriations(
  rows: Record<string, unknown>[],
  knownProgrammes: Set<string>,
): { valid: AppropriationInput[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const valid: AppropriationInput[] = [];
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    const row = i + 1;
    const programmeCode = String(r.programmeCode ?? '');
    const region = String(r.region ?? '');
    const month = String(r.month ?? '');
    const amount = String(r.amountKopiyky ?? '');
    const before = problems.length;
    if (!knownProgrammes.has(programmeCode))
      problems.push({ row, field: 'programmeCode', message: `unknown programme '${programmeCode}'` });
    if (!REGION.test(region)) problems.push({ row, field: 'region', message: `region must be UA or UA + 2 digits, got '${region}'` });
    if (!MONTH.test(month)) problems.push({ row, field: 'month', message: `month must be YYYY-MM, got '${month}'` });
    if (!KOPIYKY.test(amount))
      problems.push({ row, field: 'amountKopiyky', message: `amount must be a non-negative integer of kopiyky, got '${amount}'` });
    const key = `${programmeCode}|${region}|${month}`;
    if (seen.has(key))
      problems.push({ row, field: 'month', message: `duplicate of an earlier row for ${programmeCode} ${region} ${month}` });
    seen.add(key);
    if (problems.length === before) valid.push({ programmeCode, region, month, amountKopiyky: amount });
  });
  return { valid, problems };
}
