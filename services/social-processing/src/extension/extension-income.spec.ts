import type { MemberFact } from '../rules/rule-set';
import { incomeFromFacts, type IncomeLine } from './extension-income';

const A = 'a0000000-0000-4000-8000-000000000001';
const B = 'b0000000-0000-4000-8000-000000000002';
const m = (personId: string, birthDate = '1985-01-01'): MemberFact => ({
  personId,
  role: 'member',
  relation: 'self',
  birthDate,
  deathDate: null,
  statuses: [],
});
let n = 0;
const line = (personId: string, month: string, incomeKind: string, amountKopiyky: string): IncomeLine => ({
  reportId: `r${++n}`,
  personId,
  month,
  incomeKind,
  amountKopiyky,
});
const months = ['2026-06', '2026-07', '2026-08'];

describe('income of the last 3 months from the tax facts (extension test)', () => {
  it('divides the counted income by 3 months and the persons, rounding down', () => {
    const out = incomeFromFacts({
      members: [m(A), m(B)],
      months,
      on: '2026-09-01',
      lines: [line(A, '2026-06', 'salary', '3000000'), line(A, '2026-07', 'salary', '3000000'), line(A, '2026-08', 'salary', '3000001')],
    });
    expect(out).toMatchObject({ persons: 2, countedKopiyky: '9000001', averageMonthlyIncomePerPersonKopiyky: '1500000' });
  });

  it.each([
    ['one-off payments are not counted', 'one-off'],
    ['military pay is not counted', 'military'],
  ])('%s', (_n, kind) => {
    const out = incomeFromFacts({
      members: [m(A)],
      months,
      on: '2026-09-01',
      lines: [line(A, '2026-07', 'salary', '300000'), line(A, '2026-07', kind, '9000000')],
    });
    expect(out).toMatchObject({ countedKopiyky: '300000', excludedKopiyky: '9000000', averageMonthlyIncomePerPersonKopiyky: '100000' });
  });

  it('ignores months outside the 3 and persons outside the family', () => {
    const out = incomeFromFacts({
      members: [m(A)],
      months,
      on: '2026-09-01',
      lines: [line(A, '2026-05', 'salary', '9999999'), line(B, '2026-07', 'salary', '9999999'), line(A, '2026-08', 'pension', '1038000')],
    });
    expect(out).toMatchObject({ countedKopiyky: '1038000', averageMonthlyIncomePerPersonKopiyky: '346000', pensions: { [A]: '1038000' } });
  });

  it.each<[string, string, boolean]>([
    ['at 4 × 2 595 UAH per person a month', '3114000', true],
    ['one kopiyka above (over 3 months)', '3114003', false],
    ['below', '3113997', true],
  ])('income %s: tested against 10 380 UAH', (_n, total, passes) => {
    const out = incomeFromFacts({ members: [m(A)], months, on: '2026-09-01', lines: [line(A, '2026-08', 'salary', total)] });
    expect(BigInt(out.averageMonthlyIncomePerPersonKopiyky) <= 1038000n).toBe(passes);
  });
});
