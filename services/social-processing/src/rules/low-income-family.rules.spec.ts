import { LowIncomeFamily, LOW_INCOME_VERSION, categoryOf, guaranteedLevel, percentOf } from './low-income-family.rules';
import { ParameterTable } from './parameters';
import { evaluateProgramme, ruleSetByVersion } from './programmes';
import type { ApplicationFacts, MemberFact, StatusFact } from './rule-set';

const A = 'a0000000-0000-4000-8000-000000000001';
const disability = (validFrom = '2020-01-01', validTo: string | null = null): StatusFact => ({ type: 'disability', validFrom, validTo, details: { group: 'II' } });
let n = 1;
const member = (birthDate: string, over: Partial<MemberFact> = {}): MemberFact => ({
  personId: `c0000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  role: 'member',
  relation: 'child',
  birthDate,
  deathDate: null,
  statuses: [],
  ...over,
});
const applicant = (over: Partial<MemberFact> = {}): MemberFact => ({ personId: A, role: 'applicant', relation: 'self', birthDate: '1985-04-10', deathDate: null, statuses: [], ...over });
/** Income per person (kopiyky) × the persons listed = the family's income. */
const facts = (applicationDate: string, members: MemberFact[], perPerson: string | null = '0'): ApplicationFacts => ({ applicationDate, applicantPersonId: A, members, averageMonthlyIncomePerPersonKopiyky: perPerson });
const params = new ParameterTable();

describe('percentOf (kopiyky, half up, integers only)', () => {
  it.each([
    [302800n, 55n, 166540n],
    [1n, 55n, 1n],
    [1n, 45n, 0n],
    [3n, 50n, 2n],
    [256301n, 145n, 371636n],
  ])('%s × %s %% = %s', (k, p, out) => expect(percentOf(k, p)).toBe(out));
});

describe('guaranteed level per member, category and year', () => {
  type Row = [name: string, m: MemberFact, month: string, category: string, level: string];
  const rows: Row[] = [
    ['able-bodied 2025: 55 % of 3 028', applicant(), '2025-06', 'able-bodied', '166540'],
    ['able-bodied 2026: 60 % of 3 328', applicant(), '2026-06', 'able-bodied', '199680'],
    ['unable to work (disability) 2025: 100 % of 2 361', applicant({ statuses: [disability()] }), '2025-06', 'unable-to-work', '236100'],
    ['unable to work (disability) 2026: 100 % of 2 595', applicant({ statuses: [disability()] }), '2026-06', 'unable-to-work', '259500'],
    ['aged 60 is unable to work', member('1966-01-15', { relation: 'parent' }), '2026-06', 'unable-to-work', '259500'],
    ['aged 59 is able-bodied', member('1966-07-15', { relation: 'parent' }), '2026-06', 'able-bodied', '199680'],
    ['child under 6, 2025: 140 % of 2 563', member('2022-01-01'), '2025-06', 'child-under-6', '358820'],
    ['child under 6, 2026: 145 % of 2 817', member('2022-01-01'), '2026-06', 'child-under-6', '408465'],
    ['child 6–18, 2025: 140 % of 3 196', member('2015-01-01'), '2025-06', 'child-6-18', '447440'],
    ['child 6–18, 2026: 145 % of 3 512', member('2015-01-01'), '2026-06', 'child-6-18', '509240'],
    ['child with disability is a child', member('2015-01-01', { statuses: [{ type: 'child_with_disability', validFrom: '2020-01-01', validTo: null }] }), '2026-06', 'child-6-18', '509240'],
    ['student of 19, 2025: 140 % of the able-bodied 3 028', member('2006-01-01', { studying: true }), '2025-06', 'student', '423920'],
    ['student of 19, 2026: 145 % of the able-bodied 3 328', member('2006-01-01', { studying: true }), '2026-06', 'student', '482560'],
    ['student of 23 is able-bodied', member('2003-01-01', { studying: true }), '2026-06', 'able-bodied', '199680'],
    ['child turning 6 in the month keeps the younger group that month', member('2020-06-20'), '2026-06', 'child-under-6', '408465'],
    ['child turning 6 on the 1st keeps the younger group that month', member('2020-06-01'), '2026-06', 'child-under-6', '408465'],
    ['child who turned 6 the month before is 6–18', member('2020-05-31'), '2026-06', 'child-6-18', '509240'],
    ['child turning 18 in the month is a child that month', member('2008-06-20'), '2026-06', 'child-6-18', '509240'],
    ['child who turned 18 the month before is able-bodied', member('2008-05-31'), '2026-06', 'able-bodied', '199680'],
  ];
  it.each(rows)('%s', (_name, m, month, category, level) => {
    expect(categoryOf(m, month, params).category).toBe(category);
    expect(guaranteedLevel(facts(`${month}-01`, [m]), month, params).totalKopiyky.toString()).toBe(level);
  });
});

describe(LowIncomeFamily.title, () => {
  type Case = [name: string, f: ApplicationFacts, expected: { eligible: boolean; reason?: string; months?: Record<string, string>; periodFrom?: string; periodTo?: string }];
  // A 2026 family of two able-bodied adults and two children (4 and 10): 2 × 1 996.80 + 4 084.65 + 5 092.40 = 13 170.65 UAH.
  const family = () => [applicant(), member('1986-02-02', { relation: 'spouse' }), member('2022-01-01'), member('2016-01-01')];
  const cases: Case[] = [
    ['income below the level: amount = level − income, six months', facts('2026-03-10', family(), '200000'), { eligible: true, months: { '2026-03': '517065', '2026-08': '517065' }, periodFrom: '2026-03', periodTo: '2026-08' }],
    ['no income: the whole level', facts('2026-03-10', family()), { eligible: true, months: { '2026-03': '1317065' } }],
    ['income one kopiyka below the level: 1 kopiyka', facts('2026-03-10', [applicant()], '199679'), { eligible: true, months: { '2026-03': '1' } }],
    ['income at the level: nothing, refused', facts('2026-03-10', [applicant()], '199680'), { eligible: false, reason: 'INCOME_NOT_BELOW_GUARANTEED_LEVEL' }],
    ['income one kopiyka above the level: refused', facts('2026-03-10', [applicant()], '199681'), { eligible: false, reason: 'INCOME_NOT_BELOW_GUARANTEED_LEVEL' }],
    ['2025 application uses the 2025 percentages', facts('2025-03-10', [applicant()], '100000'), { eligible: true, months: { '2025-03': '66540' }, periodTo: '2025-08' }],
    ['term crossing the year: the 2026 level from January', facts('2025-10-15', [applicant()], '100000'), { eligible: true, months: { '2025-12': '66540', '2026-01': '99680' }, periodFrom: '2025-10', periodTo: '2026-03' }],
    ['application on the last day of December starts in December', facts('2025-12-31', [applicant()], '0'), { eligible: true, periodFrom: '2025-12', periodTo: '2026-05' }],
    ['child turning 18 mid-period: a child that month, able-bodied from the next', facts('2026-03-10', [applicant(), member('2008-05-20')], '0'), { eligible: true, months: { '2026-05': String(199680 + 509240), '2026-06': String(199680 * 2) } }],
    ['member on full state support is not in the family', facts('2026-03-10', [applicant(), member('2016-01-01', { fullStateSupport: true })], '0'), { eligible: true, months: { '2026-03': '199680' } }],
    ['child born during the period counts from the month of birth', facts('2026-03-10', [applicant(), member('2026-05-03')], '0'), { eligible: true, months: { '2026-04': '199680', '2026-05': String(199680 + 408465) } }],
    ['no income fact: refused', facts('2026-03-10', [applicant()], null), { eligible: false, reason: 'FAMILY_INCOME_MISSING' }],
    ['deceased applicant: refused', facts('2026-03-10', [applicant({ deathDate: '2026-03-01' })]), { eligible: false, reason: 'APPLICANT_DECEASED' }],
    ['before the rule set: refused', facts('2024-12-31', [applicant()]), { eligible: false, reason: 'NO_RULE_SET_IN_FORCE' }],
  ];
  it.each(cases)('%s', (_name, f, expected) => {
    const e = evaluateProgramme('low-income-family', f);
    expect(e.eligible).toBe(expected.eligible);
    if (expected.reason) expect(e.reasons.map((r) => r.code)).toContain(expected.reason);
    if (!expected.eligible) expect(e.months).toEqual([]);
    else expect(e.ruleSetVersion).toBe(LOW_INCOME_VERSION);
    for (const [month, amount] of Object.entries(expected.months ?? {})) expect(e.months.find((m) => m.month === month)?.amountKopiyky.toString()).toBe(amount);
    if (expected.periodFrom) expect(e.periodFrom).toBe(expected.periodFrom);
    if (expected.periodTo) expect(e.periodTo).toBe(expected.periodTo);
    if (expected.eligible) expect(e.months).toHaveLength(6);
  });

  it('explains the level member by member with the parameters used', () => {
    const e = evaluateProgramme('low-income-family', facts('2026-03-10', family(), '200000'));
    const level = e.explanation.children!.find((c) => c.rule === 'low-income.guaranteed-level')!;
    expect(level.amountKopiyky).toBe('1317065');
    expect(level.children!.map((c) => c.facts.category)).toEqual(['able-bodied', 'able-bodied', 'child-under-6', 'child-6-18']);
    expect(level.children![0]!.parameters.map((p) => `${p.key}=${p.value}@${p.effectiveFrom}`)).toEqual(expect.arrayContaining(['subsistence-minimum.able-bodied=332800@2026-01-01', 'low-income.level.able-bodied.percent=60@2026-01-01']));
    const amount = e.explanation.children!.find((c) => c.rule === 'low-income.amount')!;
    expect(amount.facts).toMatchObject({ levelKopiyky: '1317065', incomeKopiyky: '800000', differenceKopiyky: '517065' });
  });

  it('a refusal at the level explains a zero amount', () => {
    const e = evaluateProgramme('low-income-family', facts('2026-03-10', [applicant()], '199680'));
    expect(e.explanation.children!.find((c) => c.rule === 'low-income.amount')).toMatchObject({ outcome: 'failed', amountKopiyky: '0', facts: { differenceKopiyky: '0' } });
  });

  it('recalculates from the month a new parameter row takes effect (a correction wins over the row of the same date)', () => {
    const f = facts('2026-03-10', [applicant()], '100000');
    const rs = ruleSetByVersion('low-income-family', LOW_INCOME_VERSION)!;
    const changed = params.with([
      { key: 'low-income.level.able-bodied.percent', from: '2026-06-01', value: 70n, source: 'test' },
      { key: 'low-income.level.able-bodied.percent', from: '2026-06-01', value: 65n, source: 'test correction' },
    ]);
    const r = rs.recalculate(f, { from: '2026-03', to: '2026-08' }, changed);
    expect(r.months.map((m) => m.amountKopiyky.toString())).toEqual(['99680', '99680', '99680', '116320', '116320', '116320']);
  });

  it('recalculates to nothing when the income rises above the level', () => {
    const rs = ruleSetByVersion('low-income-family', LOW_INCOME_VERSION)!;
    const r = rs.recalculate(facts('2026-03-10', [applicant()], '250000'), { from: '2026-03', to: '2026-08' }, params);
    expect(r.months.every((m) => m.amountKopiyky === 0n)).toBe(true);
  });
});
