import { isValidRnokpp, isValidUaIban, isValidUnzr, rnokppBirthDate } from '@eisss/platform';
import { parse } from 'csv-parse/sync';
import { decode } from 'iconv-lite';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { generateLegacyExtract, LEGACY_ENTITIES, type LegacyEntity, type LegacyExtractManifest } from './legacy-extract';

const TODAY = '2026-12-03';
const OBLAST = /^UA(01|05|07|12|14|18|21|23|26|32|35|44|46|48|51|53|56|59|61|63|65|68|71|73|74|80|85)[0-9]{15}$/;
const STATUS_TYPES = [
  'idp',
  'disability',
  'child_with_disability',
  'full_state_care',
  'child_deprived_of_parental_care',
  'large_family',
  'combatant',
  'pensioner',
  'low_income',
  'difficult_circumstances',
];

/** A legacy date (YYYY-MM-DD or DD.MM.YYYY) as YYYY-MM-DD, or null when it is not a real date. */
function legacyDate(v: string): string | null {
  let m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(v);
  let y: number, mo: number, d: number;
  if (m) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else {
    m = /^([0-9]{2})\.([0-9]{2})\.([0-9]{4})$/.exec(v);
    if (!m) return null;
    [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1 || t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null;
  return t.toISOString().slice(0, 10);
}
const lastOfMonth = (iso: string) => {
  const [y, m] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};
const amountOk = (v: string) =>
  /^[0-9]{1,10}([.,][0-9]{1,2})?$/.test(v.replace(/\s/g, '')) && Number(v.replace(/\s/g, '').replace(',', '.')) > 0;

/** The faults of one row by docs/migration.md's rules, independently of the generator: `field:code`. */
function faults(entity: LegacyEntity, r: Record<string, string>, known: { persons: Set<string>; households: Set<string> }): string[] {
  const f: string[] = [];
  const v = (c: string) => (r[c] ?? '').trim();
  const req = (c: string) => v(c) === '' && f.push(`${c}:REQUIRED`);
  const long = (c: string, n: number) => v(c).length > n && f.push(`${c}:TOO_LONG`);
  const date = (c: string) => v(c) !== '' && legacyDate(v(c)) === null && f.push(`${c}:DATE_INVALID`);
  const kat = (c: string) => v(c) !== '' && !OBLAST.test(v(c)) && f.push(`${c}:KATOTTG_INVALID`);
  const ref = (c: string, set: Set<string>) => v(c) !== '' && !set.has(`${v('source_system')}|${v(c)}`) && f.push(`${c}:REFERENCE_UNKNOWN`);
  const d = (c: string) => legacyDate(v(c));
  req('source_system');
  if (v('source_system') !== '' && !['asopd', 'komtekh', 'edarp', 'subsidies'].includes(v('source_system')))
    f.push('source_system:ENUM_INVALID');
  req('legacy_id');
  long('legacy_id', 64);
  switch (entity) {
    case 'persons':
      if (v('rnokpp') !== '' && !isValidRnokpp(v('rnokpp'))) f.push('rnokpp:RNOKPP_CHECKSUM');
      if (v('unzr') !== '' && !isValidUnzr(v('unzr'))) f.push('unzr:UNZR_FORMAT');
      if (v('rnokpp') === '' && v('unzr') === '') f.push('rnokpp:REQUIRED');
      for (const c of ['last_name', 'first_name']) req(c);
      for (const c of ['last_name', 'first_name', 'patronymic']) long(c, 100);
      req('birth_date');
      date('birth_date');
      if (d('birth_date') && (d('birth_date')! < '1900-01-01' || d('birth_date')! > TODAY)) f.push('birth_date:DATE_RANGE');
      req('sex');
      if (v('sex') !== '' && !['male', 'female', 'm', 'f', 'ч', 'ж'].includes(v('sex').toLowerCase())) f.push('sex:ENUM_INVALID');
      date('death_date');
      if (d('death_date') && ((d('birth_date') && d('death_date')! < d('birth_date')!) || d('death_date')! > TODAY))
        f.push('death_date:DATE_RANGE');
      if (v('katottg') === '' && v('address_text') === '') f.push('katottg:REQUIRED');
      kat('katottg');
      kat('actual_katottg');
      long('address_text', 500);
      break;
    case 'accounts': {
      req('person_legacy_id');
      const iban = v('iban').replace(/\s+/g, '').toUpperCase();
      if (iban === '') f.push('iban:REQUIRED');
      else if (!isValidUaIban(iban)) f.push('iban:IBAN_CHECKSUM');
      ref('person_legacy_id', known.persons);
      break;
    }
    case 'households':
      req('katottg');
      kat('katottg');
      long('address_text', 500);
      break;
    case 'members':
      for (const c of ['household_legacy_id', 'person_legacy_id', 'role', 'joined_on']) req(c);
      if (v('role') !== '' && !['head', 'recipient', 'dependant'].includes(v('role'))) f.push('role:ENUM_INVALID');
      date('joined_on');
      if (d('joined_on') && d('joined_on')! > TODAY) f.push('joined_on:DATE_RANGE');
      ref('household_legacy_id', known.households);
      ref('person_legacy_id', known.persons);
      break;
    case 'statuses':
      for (const c of ['person_legacy_id', 'type', 'valid_from']) req(c);
      if (v('type') !== '' && !STATUS_TYPES.includes(v('type'))) f.push('type:ENUM_INVALID');
      for (const c of ['valid_from', 'valid_to', 'document_date']) date(c);
      if (d('valid_to') && d('valid_from') && d('valid_to')! < d('valid_from')!) f.push('valid_to:DATE_RANGE');
      if (v('type') === 'idp') {
        for (const c of ['document', 'document_date', 'origin_katottg']) req(c);
        if (d('document_date') && d('valid_from') && d('document_date')! > d('valid_from')!) f.push('document_date:DATE_RANGE');
      }
      kat('origin_katottg');
      if (v('type') === 'disability' && v('group') === '') f.push('group:REQUIRED');
      if (v('group') !== '' && !['I', 'II', 'III'].includes(v('group'))) f.push('group:ENUM_INVALID');
      long('document', 100);
      ref('person_legacy_id', known.persons);
      break;
    case 'assignments':
      for (const c of ['person_legacy_id', 'programme_code', 'period_from', 'period_to', 'monthly_amount']) req(c);
      long('programme_code', 64);
      date('period_from');
      date('period_to');
      if (d('period_from') && !d('period_from')!.endsWith('-01')) f.push('period_from:DATE_RANGE');
      if (d('period_to') && (d('period_to') !== lastOfMonth(d('period_to')!) || (d('period_from') && d('period_to')! < d('period_from')!)))
        f.push('period_to:DATE_RANGE');
      if (v('monthly_amount') !== '' && !amountOk(v('monthly_amount'))) f.push('monthly_amount:AMOUNT_INVALID');
      date('decision_date');
      long('decision_number', 64);
      ref('person_legacy_id', known.persons);
      break;
  }
  return f;
}

function readCsv(dir: string, file: string, encoding: 'cp1251' | 'utf8'): { header: string[]; records: string[][] } {
  let bytes = readFileSync(join(dir, file));
  if (file.endsWith('.gz')) bytes = gunzipSync(bytes);
  const text = encoding === 'cp1251' ? decode(bytes, 'win1251') : bytes.toString('utf8');
  const rows = parse(text, { delimiter: ';', relax_column_count: true }) as string[][];
  return { header: rows[0], records: rows.slice(1) };
}

describe('generateLegacyExtract', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'legacy-extract-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  let dir: string;
  let manifest: LegacyExtractManifest;
  beforeAll(async () => {
    dir = tmp();
    manifest = await generateLegacyExtract({ dir, persons: 2000, seed: 7, today: TODAY });
  });

  it('writes CP1251 that decodes back to Ukrainian text (and is not UTF-8)', () => {
    const bytes = readFileSync(join(dir, 'persons.csv'));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const text = decode(bytes, 'win1251');
    expect(text.split('\r\n')[0]).toBe(
      'source_system;legacy_id;rnokpp;unzr;last_name;first_name;patronymic;birth_date;sex;death_date;katottg;address_text;actual_katottg;phone',
    );
    expect(text).toMatch(/[ІЇЄҐіїєґ]/);
    expect(text).toMatch(/(ович|івна);/);
    expect(text).not.toContain('?');
  });

  it('names every bad line with exactly the fault the rules find, and every other line has none', () => {
    const known = { persons: new Set<string>(), households: new Set<string>() };
    const expected = new Map(manifest.rejects.map((r) => [`${r.entity}:${r.line}`, r]));
    const found: Record<string, number> = {};
    for (const entity of LEGACY_ENTITIES) {
      const { header, records } = readCsv(dir, manifest.files[entity].path, 'cp1251');
      expect(records).toHaveLength(manifest.files[entity].rows);
      const seen = new Set<string>();
      records.forEach((rec, i) => {
        const line = i + 2;
        const want = expected.get(`${entity}:${line}`);
        let got: string[];
        const r = Object.fromEntries(header.map((h, k) => [h, rec[k]]));
        if (rec.length !== header.length) got = ['row:ROW_MALFORMED'];
        else {
          got = faults(entity, r, known);
          const id = `${r.source_system}|${r.legacy_id}`;
          if (seen.has(id)) got.push('legacy_id:DUPLICATE_IN_FILE');
          seen.add(id);
        }
        expect({ entity, line, faults: got }).toEqual({ entity, line, faults: want ? [`${want.field}:${want.code}`] : [] });
        if (want) found[want.code] = (found[want.code] ?? 0) + 1;
        if (!want && entity === 'persons') known.persons.add(`${r.source_system}|${r.legacy_id}`);
        if (!want && entity === 'households') known.households.add(`${r.source_system}|${r.legacy_id}`);
      });
    }
    expect(found).toEqual(manifest.rejectCounts);
    expect(Object.keys(found).sort()).toHaveLength(13);
  });

  it('writes valid identifiers in good rows: РНОКПП with the birth date and sex, IBANs, КАТОТТГ of oblasts', () => {
    const bad = new Set(manifest.rejects.filter((r) => r.entity === 'persons').map((r) => r.line));
    const { header, records } = readCsv(dir, 'persons.csv', 'cp1251');
    let withRnokpp = 0;
    let withUnzr = 0;
    records.forEach((rec, i) => {
      if (bad.has(i + 2)) return;
      const r = Object.fromEntries(header.map((h, k) => [h, rec[k]]));
      if (r.rnokpp) {
        withRnokpp++;
        expect(isValidRnokpp(r.rnokpp)).toBe(true);
        expect(rnokppBirthDate(r.rnokpp)).toBe(legacyDate(r.birth_date));
        expect(Number(r.rnokpp[8]) % 2 === 1).toBe(['male', 'm', 'ч'].includes(r.sex.toLowerCase()));
      }
      if (r.unzr) {
        withUnzr++;
        expect(r.unzr.slice(0, 8)).toBe(legacyDate(r.birth_date)!.replace(/-/g, ''));
      }
      if (r.katottg) expect(r.katottg).toMatch(OBLAST);
      if (r.phone) expect(r.phone).toMatch(/^\+?[0-9]{9,15}$/);
      expect(legacyDate(r.birth_date)! >= '1930-01-01' && legacyDate(r.birth_date)! <= '2024-12-31').toBe(true);
    });
    expect(withRnokpp / records.length).toBeGreaterThan(0.8);
    expect(withUnzr).toBeGreaterThan(20);
    const accounts = readCsv(dir, 'accounts.csv', 'cp1251');
    const badAccounts = new Set(manifest.rejects.filter((r) => r.entity === 'accounts').map((r) => r.line));
    const banks = new Set<string>();
    accounts.records.forEach((rec, i) => {
      if (badAccounts.has(i + 2)) return;
      const iban = rec[3].replace(/\s/g, '');
      expect(isValidUaIban(iban)).toBe(true);
      banks.add(iban.slice(4, 10));
    });
    expect(banks.has('305299')).toBe(true);
    expect(banks.size).toBeGreaterThan(5);
  });

  it('keeps the rates: bad rows per kind, duplicates, statuses, accounts, assignments', () => {
    const good = manifest.persons;
    const persons = manifest.rejects.filter((r) => r.entity === 'persons');
    for (const code of [
      'REQUIRED',
      'RNOKPP_CHECKSUM',
      'UNZR_FORMAT',
      'DATE_INVALID',
      'DATE_RANGE',
      'KATOTTG_INVALID',
      'ENUM_INVALID',
      'TOO_LONG',
      'DUPLICATE_IN_FILE',
      'ROW_MALFORMED',
    ]) {
      const n = persons.filter((r) => r.code === code).length;
      expect({ code, share: n / good > 0.004 && n / good < 0.018 }).toEqual({ code, share: true });
    }
    const dups = manifest.exactDuplicates.length + manifest.probableDuplicates.length + manifest.unmatchedVariants.length;
    expect(dups / good).toBeGreaterThan(0.02);
    expect(dups / good).toBeLessThan(0.04);
    expect(manifest.exactDuplicates.length).toBeGreaterThan(10);
    expect(manifest.probableDuplicates.length).toBeGreaterThan(10);
    const idp = manifest.expected.statusesByType.idp;
    expect(idp / good).toBeGreaterThan(0.2);
    expect(idp / good).toBeLessThan(0.4);
    expect(manifest.expected.accounts / good).toBeGreaterThan(0.6);
    expect(manifest.expected.accounts / good).toBeLessThan(0.8);
    expect(manifest.expected.assignments / idp).toBeGreaterThan(0.3);
    expect(manifest.expected.assignments / idp).toBeLessThan(0.5);
    expect(manifest.expected.persons).toEqual({
      created: good + manifest.probableDuplicates.length + manifest.unmatchedVariants.length,
      linked: manifest.exactDuplicates.length,
      reviews: manifest.probableDuplicates.length,
    });
    for (const e of LEGACY_ENTITIES) expect(manifest.files[e].rejected).toBe(manifest.rejects.filter((r) => r.entity === e).length);
  });

  it('writes duplicates: exact ones with the same РНОКПП, probable ones as a spelling variant born the same day', () => {
    const { header, records } = readCsv(dir, 'persons.csv', 'cp1251');
    const at = (line: number) => Object.fromEntries(header.map((h, k) => [h, records[line - 2][k]]));
    for (const d of manifest.exactDuplicates) {
      const [a, b] = [at(d.line), at(d.ofLine)];
      expect(a.rnokpp).toBe(b.rnokpp);
      expect(a.legacy_id === b.legacy_id && a.source_system === b.source_system).toBe(false);
      expect(legacyDate(a.birth_date)).toBe(legacyDate(b.birth_date));
      expect(a.last_name.toLowerCase()).toBe(b.last_name.toLowerCase());
    }
    for (const d of [...manifest.probableDuplicates, ...manifest.unmatchedVariants]) {
      const [a, b] = [at(d.line), at(d.ofLine)];
      expect(a.rnokpp === b.rnokpp && a.rnokpp !== '').toBe(false);
      expect(legacyDate(a.birth_date)).toBe(legacyDate(b.birth_date));
      expect(`${a.last_name} ${a.first_name} ${a.patronymic}`).not.toBe(`${b.last_name} ${b.first_name} ${b.patronymic}`);
    }
    expect(new Set(manifest.probableDuplicates.map((d) => d.variant)).size).toBeGreaterThanOrEqual(3);
  });

  it('writes a household per group: one head, each person in at most one household, members of known persons', () => {
    const { records } = readCsv(dir, 'members.csv', 'cp1251');
    const bad = new Set(manifest.rejects.filter((r) => r.entity === 'members').map((r) => r.line));
    const heads = new Map<string, number>();
    const persons = new Set<string>();
    records.forEach((rec, i) => {
      if (bad.has(i + 2)) return;
      expect(persons.has(rec[3])).toBe(false);
      persons.add(rec[3]);
      if (rec[4] === 'head') heads.set(rec[2], (heads.get(rec[2]) ?? 0) + 1);
    });
    expect([...heads.values()].every((n) => n === 1)).toBe(true);
    expect(heads.size).toBe(manifest.expected.households);
  });

  it('is deterministic for a seed, and gzip holds the same bytes', async () => {
    const [a, b] = [tmp(), tmp()];
    const opts = { persons: 300, seed: 3, today: TODAY };
    await generateLegacyExtract({ ...opts, dir: a });
    const mz = await generateLegacyExtract({ ...opts, dir: b, gzip: true });
    const other = await generateLegacyExtract({ ...opts, dir: tmp(), seed: 4 });
    for (const e of LEGACY_ENTITIES) {
      const plain = readFileSync(join(a, `${e}.csv`));
      expect(gunzipSync(readFileSync(join(b, `${e}.csv.gz`))).equals(plain)).toBe(true);
      expect(mz.files[e].path).toBe(`${e}.csv.gz`);
    }
    const again = tmp();
    await generateLegacyExtract({ ...opts, dir: again });
    expect(readFileSync(join(again, 'persons.csv')).equals(readFileSync(join(a, 'persons.csv')))).toBe(true);
    expect(readFileSync(join(again, 'manifest.json'), 'utf8')).toBe(readFileSync(join(a, 'manifest.json'), 'utf8'));
    expect(readFileSync(join(b, 'manifest.json'), 'utf8')).toBe(JSON.stringify(mz));
    expect(other.rejects).not.toEqual(mz.rejects);
  });

  it('injects only the kinds of bad rows asked for', async () => {
    const m = await generateLegacyExtract({
      dir: tmp(),
      persons: 500,
      seed: 6,
      today: TODAY,
      badKinds: ['IBAN_CHECKSUM', 'AMOUNT_INVALID'],
      badRate: 0.05,
    });
    expect(Object.keys(m.rejectCounts).sort()).toEqual(['AMOUNT_INVALID', 'IBAN_CHECKSUM']);
    expect(m.files.persons.rejected).toBe(0);
  });

  it('writes UTF-8 on request', async () => {
    const d = tmp();
    const m = await generateLegacyExtract({ dir: d, persons: 300, seed: 5, today: TODAY, encoding: 'utf8' });
    const text = readFileSync(join(d, 'persons.csv'), 'utf8');
    expect(text).toMatch(/[іїєґ]/);
    expect(m.encoding).toBe('utf8');
  });
});
