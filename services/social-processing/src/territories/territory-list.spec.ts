import { parseTerritoryCsv } from './territory-csv';
import {
  covers,
  firstPaidMonth,
  katottgPrefix,
  lastPaidMonth,
  originPaidInMonth,
  originStatusOn,
  type TerritoryRow,
} from './territory-list';

const BAKHMUT = 'UA14020010000090276'; // a community of the Bakhmut district, Donetsk oblast (illustrative code)
const SETTLEMENT = 'UA14020010010012345';
let n = 0;
const row = (over: Partial<TerritoryRow> = {}): TerritoryRow => ({
  entryId: `e${++n}`,
  importId: 'i1',
  listVersion: 2,
  katottg: BAKHMUT,
  name: 'Громада',
  kind: 'active_hostilities',
  startedOn: '2022-02-24',
  endedOn: null,
  includedOn: '2022-12-22',
  source: { order: 'наказ Мінрозвитку № 376', orderDate: '2025-02-28', version: null },
  ...over,
});

describe('territory list', () => {
  describe(katottgPrefix.name, () => {
    it.each([
      ['UA14000000000000000', 'UA14'],
      ['UA14000000000019266', 'UA14'],
      ['UA14020000000012345', 'UA1402'],
      [BAKHMUT, 'UA1402001'],
      [SETTLEMENT, 'UA1402001001'],
    ])('%s → %s', (code, prefix) => expect(katottgPrefix(code)).toBe(prefix));
  });

  describe(covers.name, () => {
    it.each([
      ['an oblast covers its community', 'UA14000000000000000', BAKHMUT, true],
      ['a district covers its community', 'UA14020000000012345', BAKHMUT, true],
      ['a community covers itself', BAKHMUT, BAKHMUT, true],
      ['a community covers its settlement', BAKHMUT, SETTLEMENT, true],
      ['a community does not cover its neighbour', BAKHMUT, 'UA14020030000012345', false],
      ['an oblast does not cover another oblast', 'UA14000000000000000', 'UA44020010000012345', false],
      ['a settlement does not cover its community', SETTLEMENT, BAKHMUT, false],
    ])('%s', (_n, rowCode, code, expected) => expect(covers(rowCode, code)).toBe(expected));
  });

  describe('end date in month M: paid through M+3, stopped from M+4', () => {
    const ended = row({ endedOn: '2026-06-15' });
    it.each([
      ['the month of the end date (M)', '2026-06', true],
      ['M+1', '2026-07', true],
      ['M+3 (the last month paid)', '2026-09', true],
      ['M+4 (the first month not paid)', '2026-10', false],
      ['M+5', '2026-11', false],
    ])('%s', (_n, month, paid) => expect(originPaidInMonth([ended], BAKHMUT, month, 3).paid).toBe(paid));
    it.each([
      ['an end date on the 1st of the month', '2026-06-01', '2026-09'],
      ['an end date on the last day of the month', '2026-06-30', '2026-09'],
      ['an end date in November crosses the year', '2026-11-10', '2027-02'],
    ])('%s', (_n, endedOn, last) => expect(lastPaidMonth(row({ endedOn }), 3)).toBe(last));
    it('explains the stop with the row and the act', () => {
      const r = originPaidInMonth([ended], BAKHMUT, '2026-10', 3);
      expect(r.row?.entryId).toBe(ended.entryId);
      expect(r.why).toContain('paid through 2026-09');
      expect(r.why).toContain('наказ Мінрозвитку № 376');
    });
  });

  describe('included on date D: paid from the month after D', () => {
    it.each([
      ['included on the 1st', '2026-03-01', '2026-04'],
      ['included mid-month', '2026-03-17', '2026-04'],
      ['included on the last day', '2026-03-31', '2026-04'],
      ['included in December', '2026-12-05', '2027-01'],
    ])('%s', (_n, includedOn, first) => expect(firstPaidMonth(row({ includedOn, startedOn: '2026-02-01' }))).toBe(first));
    it.each([
      ['the month of inclusion', '2026-03', false],
      ['the month after', '2026-04', true],
      ['the month before', '2026-02', false],
    ])('%s', (_n, month, paid) =>
      expect(originPaidInMonth([row({ includedOn: '2026-03-17', startedOn: '2026-02-01' })], BAKHMUT, month, 3).paid).toBe(paid),
    );
  });

  describe(originStatusOn.name, () => {
    it.each([
      ['listed without an end date', [row()], '2026-03-10', 'listed'],
      ['listed, end date after the date', [row({ endedOn: '2026-03-11' })], '2026-03-10', 'listed'],
      ['listed, end date on the date', [row({ endedOn: '2026-03-10' })], '2026-03-10', 'listed'],
      ['end date the day before', [row({ endedOn: '2026-03-09' })], '2026-03-10', 'ended'],
      ['included the day after', [row({ includedOn: '2026-03-11' })], '2026-03-10', 'not_yet_included'],
      ['included on the date', [row({ includedOn: '2026-03-10' })], '2026-03-10', 'listed'],
      ['only a neighbour listed', [row({ katottg: 'UA14020030000012345' })], '2026-03-10', 'not_listed'],
      ['no rows', [], '2026-03-10', 'not_listed'],
      ['covered by its oblast', [row({ katottg: 'UA14000000000000000' })], '2026-03-10', 'listed'],
      [
        'its own ended row overrides its oblast without an end date',
        [row({ katottg: 'UA14000000000000000' }), row({ endedOn: '2026-01-31' })],
        '2026-03-10',
        'ended',
      ],
      [
        'its oblast ended but its own row has no end date',
        [row({ katottg: 'UA14000000000000000', endedOn: '2026-01-31' }), row()],
        '2026-03-10',
        'listed',
      ],
      [
        'occupation ended, then active hostilities without end',
        [row({ kind: 'occupation', endedOn: '2022-11-11' }), row({ startedOn: '2022-11-11' })],
        '2026-03-10',
        'listed',
      ],
    ] as [string, TerritoryRow[], string, string][])('%s', (_n, rows, on, status) =>
      expect(originStatusOn(rows, BAKHMUT, on).status).toBe(status),
    );
  });

  describe('history: a later import changes the answer for later dates only', () => {
    const v1 = row({ listVersion: 1 });
    const v2 = row({ listVersion: 2, endedOn: '2026-06-15' });
    it.each([
      ['before the end date', '2026-05-20', 'listed', 'listed'],
      ['on the end date', '2026-06-15', 'listed', 'listed'],
      ['after the end date', '2026-06-16', 'listed', 'ended'],
    ])('%s', (_n, on, before, after) => {
      expect(originStatusOn([v1], BAKHMUT, on).status).toBe(before);
      expect(originStatusOn([v2], BAKHMUT, on).status).toBe(after);
    });
    it.each([
      ['2026-09', true, true],
      ['2026-10', true, false],
    ])('month %s paid: v1 %s, v2 %s', (month, before, after) => {
      expect(originPaidInMonth([v1], BAKHMUT, month, 3).paid).toBe(before);
      expect(originPaidInMonth([v2], BAKHMUT, month, 3).paid).toBe(after);
    });
  });

  describe(parseTerritoryCsv.name, () => {
    it('reads the ministry columns with Ukrainian sections and dates', () => {
      const csv = [
        'Код КАТОТТГ;Найменування;Розділ;Дата виникнення;Дата завершення;Дата включення',
        `${BAKHMUT};"Громада; міська";активних бойових дій;24.02.2022;15.06.2026;`,
        'UA44000000000000000;Луганська область;Тимчасово окуповані;2022-02-24;;22.12.2022',
      ].join('\n');
      const out = parseTerritoryCsv(csv);
      expect(out.error).toBeNull();
      expect(out.rows).toEqual([
        {
          line: 2,
          katottg: BAKHMUT,
          name: 'Громада; міська',
          kind: 'active_hostilities',
          startedOn: '2022-02-24',
          endedOn: '2026-06-15',
          includedOn: null,
        },
        {
          line: 3,
          katottg: 'UA44000000000000000',
          name: 'Луганська область',
          kind: 'occupation',
          startedOn: '2022-02-24',
          endedOn: null,
          includedOn: '2022-12-22',
        },
      ]);
    });
    it('refuses a file without the header', () => expect(parseTerritoryCsv(`${BAKHMUT};x;occupation;2022-02-24;`).error?.line).toBe(1));
    it('refuses a row with too few fields, naming its line', () =>
      expect(parseTerritoryCsv(`Код КАТОТТГ;Найменування;Розділ;Дата виникнення\n${BAKHMUT};x`).error).toEqual({
        line: 2,
        message: 'expected 4 to 6 fields, found 2',
      }));
  });
});
