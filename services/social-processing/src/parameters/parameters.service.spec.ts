import { PARAMETERS, ParameterTable, type ParameterRow } from '../rules/parameters';
import { mergeWithSeed, programmesReading } from './parameters.service';

/** The values the rules had in code before parameters became data (src/rules/parameters.ts at issue 8). */
const BEFORE: [key: string, from: string, value: bigint][] = [
  ['subsistence-minimum.general', '2025-01-01', 292000n],
  ['subsistence-minimum.child-under-6', '2025-01-01', 256300n],
  ['subsistence-minimum.child-6-18', '2025-01-01', 319600n],
  ['subsistence-minimum.able-bodied', '2025-01-01', 302800n],
  ['subsistence-minimum.unable-to-work', '2025-01-01', 236100n],
  ['subsistence-minimum.general', '2026-01-01', 320900n],
  ['subsistence-minimum.child-under-6', '2026-01-01', 281700n],
  ['subsistence-minimum.child-6-18', '2026-01-01', 351200n],
  ['subsistence-minimum.able-bodied', '2026-01-01', 332800n],
  ['subsistence-minimum.unable-to-work', '2026-01-01', 259500n],
  ['idp.amount.child-or-disability', '2022-03-20', 300000n],
  ['idp.amount.other', '2022-03-20', 200000n],
  ['idp.term-months', '2023-08-01', 6n],
  ['idp.extension.income-multiplier', '2024-03-01', 4n],
  ['birth.legacy.lump-sum', '2014-07-01', 1032000n],
  ['birth.legacy.monthly', '2014-07-01', 86000n],
  ['birth.legacy.months', '2014-07-01', 36n],
  ['birth.one-time', '2026-01-01', 5000000n],
];

describe('ParameterTable from the seeded table', () => {
  it.each(BEFORE)('gives %s from %s the value the code held (%s)', (key, from, value) => {
    const t = new ParameterTable();
    expect(t.row(key, from)).toMatchObject({ key, from, value });
  });

  it('lets a later row of the same key and date win (a correction), whatever the order of dates', () => {
    const rows: ParameterRow[] = [
      { key: 'k', from: '2026-06-01', value: 2n, source: 'first' },
      { key: 'k', from: '2025-01-01', value: 1n, source: 'seed' },
      { key: 'k', from: '2026-06-01', value: 3n, source: 'correction' },
    ];
    const t = new ParameterTable(rows);
    expect(t.row('k', '2026-05-31').value).toBe(1n);
    expect(t.row('k', '2026-06-01')).toMatchObject({ value: 3n, source: 'correction' });
    t.replace(rows.slice(0, 2));
    expect(t.row('k', '2026-06-01').value).toBe(2n);
  });

  it('takes a key from code only when the table does not hold it at all', () => {
    const stored: ParameterRow[] = [{ key: 'idp.amount.other', from: '2022-03-20', value: 1n, source: 'table' }];
    const { rows, fromCode } = mergeWithSeed(stored, [...PARAMETERS, { key: 'new.key', from: '2026-01-01', value: 7n, source: 'code' }]);
    const t = new ParameterTable(rows);
    expect(t.row('idp.amount.other', '2026-01-01').value).toBe(1n);
    expect(rows.filter((r) => r.key === 'idp.amount.other')).toHaveLength(1);
    expect(fromCode).toContain('new.key');
    expect(fromCode).not.toContain('idp.amount.other');
  });
});

describe(programmesReading.name, () => {
  it.each([
    ['low-income.level.child.percent', ['low-income-family']],
    ['idp.amount.other', ['idp-living-allowance']],
    ['birth.one-time', ['birth-assistance']],
  ])('recalculates only the programme of %s', (key, codes) => expect(programmesReading(key)).toEqual(codes));

  it('recalculates every programme for the subsistence minimum', () => {
    expect(programmesReading('subsistence-minimum.able-bodied')).toEqual(
      expect.arrayContaining(['idp-living-allowance', 'birth-assistance', 'low-income-family']),
    );
  });
});
