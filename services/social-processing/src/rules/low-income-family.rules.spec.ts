import {
  LowIncomeFamily,
  LOW_INCOME_VERSION,
  categoryOf,
  familyIncomeFromTax,
  guaranteedLevel,
  incomeLookBack,
  percentOf,
  type IncomeFactLine,
} from './low-income-family.rules';
import { ParameterTable } from './parameters';
import { evaluateProgramme, ruleSetByVersion } from './programmes';
import type { ApplicationFacts, MemberFact, StatusFact } from './rule-set';

const A = 'a0000000-0000-4000-8000-000000000001';
const disability = (validFrom = '2020-01-01', validTo: string | null = null): StatusFact => ({
  type: 'disability',
  validFrom,
  validTo,
  details: { group: 'II' },
});
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
const applicant = (over: Partial<MemberFact> = {}): MemberFact => ({
  personId: A,
  role: 'applicant',
  relation: 'self',
  birthDate: '1985-04-10',
  deathDate: null,
  statuses: [],
  ...over,
});
/** Income per person (kopiyky) × the persons listed = the family's income. */
const facts = (applicationDate: string, members: MemberFact[], perPerson: string | null = '0'): ApplicationFacts => ({
  applicationDate,
  applicantPersonId: A,
  members,
  averageMonthlyIncomePerPersonKopiyky: perPerson,
});
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
    [
      'child with disability is a child',
      member('2015-01-01', { statuses: [{ type: 'child_with_disability', validFrom: '2020-01-01', validTo: null }] }),
      '2026-06',
      'child-6-18',
      '509240',
    ],
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
  type Case = [
    name: string,
    f: ApplicationFacts,
    expected: { eligible: boolean; reason?: string; months?: Record<string, string>; periodFrom?: string; periodTo?: string },
  ];
  // A 2026 family of two able-bodied adults and two children (4 and 10): 2 × 1 996.80 + 4 084.65 + 5 092.40 = 13 170.65 UAH.
  const family = () => [applicant(), member('1986-02-02', { relation: 'spouse' }), member('2022-01-01'), member('2016-01-01')];
  const cases: Case[] = [
    [
      'income below the level: amount = level − income, six months',
      facts('2026-03-10', family(), '200000'),
      { eligible: true, months: { '2026-03': '517065', '2026-08': '517065' }, periodFrom: '2026-03', periodTo: '2026-08' },
    ],
    ['no income: the whole level', facts('2026-03-10', family()), { eligible: true, months: { '2026-03': '1317065' } }],
    [
      'income one kopiyka below the level: 1 kopiyka',
      facts('2026-03-10', [applicant()], '199679'),
      { eligible: true, months: { '2026-03': '1' } },
    ],
    [
      'income at the level: nothing, refused',
      facts('2026-03-10', [applicant()], '199680'),
      { eligible: false, reason: 'INCOME_NOT_BELOW_GUARANTEED_LEVEL' },
    ],
    [
      'income one kopiyka above the level: refused',
      facts('2026-03-10', [applicant()], '199681'),
      { eligible: false, reason: 'INCOME_NOT_BELOW_GUARANTEED_LEVEL' },
    ],
    [
      '2025 application uses the 2025 percentages',
      facts('2025-03-10', [applicant()], '100000'),
      { eligible: true, months: { '2025-03': '66540' }, periodTo: '2025-08' },
    ],
    [
      'term crossing the year: the 2026 level from January',
      facts('2025-10-15', [applicant()], '100000'),
      { eligible: true, months: { '2025-12': '66540', '2026-01': '99680' }, periodFrom: '2025-10', periodTo: '2026-03' },
    ],
    [
      'application on the last day of December starts in December',
      facts('2025-12-31', [applicant()], '0'),
      { eligible: true, periodFrom: '2025-12', periodTo: '2026-05' },
    ],
    [
      'child turning 18 mid-period: a child that month, able-bodied from the next',
      facts('2026-03-10', [applicant(), member('2008-05-20')], '0'),
      { eligible: true, months: { '2026-05': String(199680 + 509240), '2026-06': String(199680 * 2) } },
    ],
    [
      'member on full state support is not in the family',
      facts('2026-03-10', [applicant(), member('2016-01-01', { fullStateSupport: true })], '0'),
      { eligible: true, months: { '2026-03': '199680' } },
    ],
    [
      'child born during the period counts from the month of birth',
      facts('2026-03-10', [applicant(), member('2026-05-03')], '0'),
      { eligible: true, months: { '2026-04': '199680', '2026-05': String(199680 + 408465) } },
    ],
    ['no income fact: refused', facts('2026-03-10', [applicant()], null), { eligible: false, reason: 'FAMILY_INCOME_MISSING' }],
    [
      'deceased applicant: refused',
      facts('2026-03-10', [applicant({ deathDate: '2026-03-01' })]),
      { eligible: false, reason: 'APPLICANT_DECEASED' },
    ],
    ['before the rule set: refused', facts('2024-12-31', [applicant()]), { eligible: false, reason: 'NO_RULE_SET_IN_FORCE' }],
  ];
  it.each(cases)('%s', (_name, f, expected) => {
    const e = evaluateProgramme('low-income-family', f);
    expect(e.eligible).toBe(expected.eligible);
    if (expected.reason) expect(e.reasons.map((r) => r.code)).toContain(expected.reason);
    if (!expected.eligible) expect(e.months).toEqual([]);
    else expect(e.ruleSetVersion).toBe(LOW_INCOME_VERSION);
    for (const [month, amount] of Object.entries(expected.months ?? {}))
      expect(e.months.find((m) => m.month === month)?.amountKopiyky.toString()).toBe(amount);
    if (expected.periodFrom) expect(e.periodFrom).toBe(expected.periodFrom);
    if (expected.periodTo) expect(e.periodTo).toBe(expected.periodTo);
    if (expected.eligible) expect(e.months).toHaveLength(6);
  });

  it('explains the level member by member with the parameters used', () => {
    const e = evaluateProgramme('low-income-family', facts('2026-03-10', family(), '200000'));
    const level = e.explanation.children!.find((c) => c.rule === 'low-income.guaranteed-level')!;
    expect(level.amountKopiyky).toBe('1317065');
    expect(level.children!.map((c) => c.facts.category)).toEqual(['able-bodied', 'able-bodied', 'child-under-6', 'child-6-18']);
    expect(level.children![0]!.parameters.map((p) => `${p.key}=${p.value}@${p.effectiveFrom}`)).toEqual(
      expect.arrayContaining(['subsistence-minimum.able-bodied=332800@2026-01-01', 'low-income.level.able-bodied.percent=60@2026-01-01']),
    );
    const amount = e.explanation.children!.find((c) => c.rule === 'low-income.amount')!;
    expect(amount.facts).toMatchObject({ levelKopiyky: '1317065', incomeKopiyky: '800000', differenceKopiyky: '517065' });
  });

  it('a refusal at the level explains a zero amount', () => {
    const e = evaluateProgramme('low-income-family', facts('2026-03-10', [applicant()], '199680'));
    expect(e.explanation.children!.find((c) => c.rule === 'low-income.amount')).toMatchObject({
      outcome: 'failed',
      amountKopiyky: '0',
      facts: { differenceKopiyky: '0' },
    });
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

describe("family income from the tax service's income facts", () => {
  // Application 2026-03-10: the look-back is 2025-08 … 2026-01 (the six months before February, the month preceding March).
  const LOOK_BACK = ['2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01'];
  let r = 0;
  const line = (personId: string, month: string, incomeKind: string, amountKopiyky: string): IncomeFactLine => ({
    reportId: `r-${++r}`,
    personId,
    month,
    incomeKind,
    amountKopiyky,
  });
  /** Six equal monthly lines of a person. */
  const monthly = (personId: string, amount: string, kind = 'salary') => LOOK_BACK.map((m) => line(personId, m, kind, amount));
  const withTax = (
    applicationDate: string,
    members: MemberFact[],
    lines: IncomeFactLine[],
    declared: string | null = null,
  ): ApplicationFacts => {
    const f = facts(applicationDate, members, declared);
    return { ...f, familyIncomeFacts: familyIncomeFromTax({ applicationDate, members, lines }) };
  };
  const amount = (e: ReturnType<typeof evaluateProgramme>) => e.explanation.children!.find((c) => c.rule === 'low-income.amount')!;
  const income = (e: ReturnType<typeof evaluateProgramme>) =>
    e.explanation.children!.find((c) => c.rule === 'low-income.average-monthly-income')!;

  it.each([
    ['2026-03-10', '2025-08', '2026-01'],
    ['2026-03-01', '2025-08', '2026-01'],
    ['2026-03-31', '2025-08', '2026-01'],
    ['2026-01-15', '2025-06', '2025-11'],
    ['2026-02-15', '2025-07', '2025-12'],
  ])('an application on %s looks back over %s … %s', (on, from, to) => {
    const months = incomeLookBack(on);
    expect(months).toHaveLength(6);
    expect([months[0], months[5]]).toEqual([from, to]);
  });

  // One able-bodied applicant in 2026: level 1 996.80 UAH.
  it.each([
    ['one kopiyka below the level: 1 kopiyka', '199679', true, '1'],
    ['at the level: refused', '199680', false, '0'],
    ['one kopiyka above the level: refused', '199681', false, '0'],
  ])('income from tax facts %s', (_name, perMonth, eligible, paid) => {
    const e = evaluateProgramme('low-income-family', withTax('2026-03-10', [applicant()], monthly(A, perMonth), '0'));
    expect(e.eligible).toBe(eligible);
    expect(amount(e)).toMatchObject({ amountKopiyky: paid, facts: { incomeKopiyky: perMonth, incomeSource: 'tax-income-facts' } });
    if (eligible) expect(e.months.every((m) => m.amountKopiyky.toString() === paid)).toBe(true);
    else expect(e.reasons.map((x) => x.code)).toEqual(['INCOME_NOT_BELOW_GUARANTEED_LEVEL']);
  });

  it('sums all members over the six months, divides by 6 and rounds down; prefers the facts to the declared income', () => {
    const spouse = member('1986-02-02', { relation: 'spouse' });
    // applicant 6 × 1 000.00 + 0.05 once; spouse 300.00 in two months only → (600 005 + 60 000) / 6 = 110 000.83 → 110 000 kopiyky.
    const lines = [
      ...monthly(A, '100000'),
      line(A, '2025-10', 'rent', '5'),
      line(spouse.personId, '2025-09', 'pension', '30000'),
      line(spouse.personId, '2026-01', 'social-benefit', '30000'),
    ];
    const e = evaluateProgramme('low-income-family', withTax('2026-03-10', [applicant(), spouse], lines, '999999'));
    expect(e.eligible).toBe(true);
    expect(amount(e).facts).toMatchObject({ levelKopiyky: '399360', incomeKopiyky: '110000', differenceKopiyky: '289360' });
    expect(income(e)).toMatchObject({
      amountKopiyky: '110000',
      facts: {
        months: LOOK_BACK,
        persons: [A, spouse.personId],
        countedKopiyky: '660005',
        divisorMonths: 6,
        rounding: 'down to a kopiyka',
        excludedKinds: ['one-off', 'military'],
      },
    });
    expect((income(e).facts.byPerson as { personId: string; countedKopiyky: string }[]).map((p) => [p.personId, p.countedKopiyky])).toEqual(
      [
        [A, '600005'],
        [spouse.personId, '60000'],
      ],
    );
  });

  it.each(['one-off', 'military'])('%s income is shown but not counted', (kind) => {
    const e = evaluateProgramme(
      'low-income-family',
      withTax('2026-03-10', [applicant()], [...monthly(A, '60000'), line(A, '2025-12', kind, '9000000')]),
    );
    expect(e.eligible).toBe(true);
    expect(e.months[0]!.amountKopiyky).toBe(199680n - 60000n);
    expect(income(e).facts).toMatchObject({ countedKopiyky: '360000', excludedKopiyky: '9000000', excludedKinds: ['one-off', 'military'] });
    expect((income(e).facts.byPerson as { byKind: Record<string, string> }[])[0]!.byKind).toEqual({ salary: '360000', [kind]: '9000000' });
  });

  it('months outside the look-back and persons outside the family are ignored', () => {
    const onSupport = member('2016-01-01', { fullStateSupport: true });
    const stranger = 'd0000000-0000-4000-8000-000000000099';
    const lines = [
      line(A, '2025-12', 'salary', '600000'),
      line(A, '2025-07', 'salary', '99999999'),
      line(A, '2026-02', 'salary', '99999999'),
      line(A, '2026-03', 'salary', '99999999'),
      line(onSupport.personId, '2025-12', 'salary', '99999999'),
      line(stranger, '2025-12', 'salary', '99999999'),
    ];
    const t = familyIncomeFromTax({ applicationDate: '2026-03-10', members: [applicant(), onSupport], lines });
    expect(t).toMatchObject({
      months: LOOK_BACK,
      monthlyAverageKopiyky: '100000',
      countedKopiyky: '600000',
      reportIds: [lines[0]!.reportId],
    });
    expect(t!.byPerson.map((p) => p.personId)).toEqual([A]);
  });

  it('only facts outside the look-back: none (null), the declared income is used and the explanation says so', () => {
    const lines = [line(A, '2026-02', 'salary', '99999999')];
    const f = withTax('2026-03-10', [applicant()], lines, '100000');
    expect(f.familyIncomeFacts).toBeNull();
    const e = evaluateProgramme('low-income-family', f);
    expect(e.months[0]!.amountKopiyky).toBe(99680n);
    expect(amount(e).facts).toMatchObject({ incomeKopiyky: '100000', incomeSource: 'declared' });
    expect(String(income(e).facts.source)).toMatch(/declared on the application.*no tax income fact/);
  });

  it('neither tax facts nor a declared income: refused FAMILY_INCOME_MISSING', () => {
    const e = evaluateProgramme('low-income-family', withTax('2026-03-10', [applicant()], [], null));
    expect(e.reasons.map((x) => x.code)).toEqual(['FAMILY_INCOME_MISSING']);
  });

  it('only excluded kinds in the look-back: facts exist, the counted income is zero (the whole level)', () => {
    const e = evaluateProgramme(
      'low-income-family',
      withTax('2026-03-10', [applicant()], [line(A, '2025-09', 'military', '5000000')], '199680'),
    );
    expect(e.eligible).toBe(true);
    expect(e.months[0]!.amountKopiyky).toBe(199680n);
    expect(amount(e).facts).toMatchObject({ incomeSource: 'tax-income-facts', incomeKopiyky: '0' });
  });

  it('recalculation keeps the income of the tax facts stored with the assignment', () => {
    const rs = ruleSetByVersion('low-income-family', LOW_INCOME_VERSION)!;
    const r = rs.recalculate(withTax('2026-03-10', [applicant()], monthly(A, '100000'), '0'), { from: '2026-03', to: '2026-08' }, params);
    expect(r.months.map((m) => m.amountKopiyky.toString())).toEqual(Array(6).fill('99680'));
    expect(r.explanation.facts).toMatchObject({ incomeKopiyky: '100000', incomeSource: 'tax-income-facts', income: { months: LOOK_BACK } });
  });
});
