import { ParameterTable } from '../rules/parameters';
import { ruleSetByVersion } from '../rules/programmes';
import type { IdpFacts, IdpMemberFact } from '../rules/idp-living-allowance.rules';
import type { MemberFact, StatusFact } from '../rules/rule-set';
import {
  employmentDuty,
  seventhPayment,
  stoppedInMonth,
  workedThrough,
  type EngagementFact,
  type EmploymentStop,
} from './employment-rules';

const params = new ParameterTable();
const idp = (): StatusFact => ({ type: 'idp', validFrom: '2024-01-01', validTo: null, details: {} });
const st = (type: string, details: Record<string, unknown> = {}, validFrom = '2020-01-01', validTo: string | null = null): StatusFact => ({
  type,
  validFrom,
  validTo,
  details,
});
const A = 'a0000000-0000-4000-8000-000000000001';
const C = 'c0000000-0000-4000-8000-000000000002';
const adult = (over: Partial<MemberFact> = {}): MemberFact => ({
  personId: A,
  role: 'applicant',
  relation: 'self',
  birthDate: '1985-04-10',
  deathDate: null,
  statuses: [idp()],
  ...over,
});
const child = (birthDate = '2015-06-01', over: Partial<MemberFact> = {}): MemberFact => ({
  personId: C,
  role: 'member',
  relation: 'child',
  birthDate,
  deathDate: null,
  statuses: [idp()],
  ...over,
});
const reg = (from: string, to: string | null = null): EngagementFact => ({
  kind: 'registration',
  source: 'employment-centre:r1',
  from,
  to,
});
const job = (from: string, to: string | null = null): EngagementFact => ({ kind: 'employment', source: 'tax:e1', from, to });
const fop = (from: string, to: string | null = null): EngagementFact => ({ kind: 'sole-proprietor', source: 'tax:f1', from, to });

function duty(
  engagements: EngagementFact[],
  on: string,
  over: { member?: MemberFact; family?: MemberFact[]; termStart?: string; termEndMonth?: string; extended?: boolean } = {},
) {
  const member = over.member ?? adult();
  return employmentDuty({
    member,
    family: over.family ?? [member, child()],
    applicantPersonId: A,
    termStart: over.termStart ?? '2026-03-10',
    termEndMonth: over.termEndMonth ?? '2026-08',
    extended: over.extended ?? false,
    engagements,
    on,
  });
}

describe('IDP employment duty (КМУ № 332 from 01.12.2023; restoration from 26.08.2025)', () => {
  type Row = [
    name: string,
    engagements: EngagementFact[],
    on: string,
    kind: string,
    extra?: { fromMonth?: string; restoredFromMonth?: string | null; deadline?: string },
    over?: Parameters<typeof duty>[2],
  ];
  const rows: Row[] = [
    [
      'registration on the last day of the 3 months (to the day) complies',
      [reg('2026-06-10')],
      '2026-07-01',
      'complied',
      { deadline: '2026-06-10' },
    ],
    [
      'registration one day after the 3 months does not comply: stop from the next month, restored from the month of registration (same month → no loss)',
      [reg('2026-06-11')],
      '2026-07-01',
      'stop',
      { fromMonth: '2026-07', restoredFromMonth: '2026-07', deadline: '2026-06-10' },
    ],
    ['registration one day before the deadline complies', [reg('2026-06-09')], '2026-07-01', 'complied'],
    ['a job started within the 3 months complies', [job('2026-04-01')], '2026-07-01', 'complied'],
    ['sole-proprietor registration within the 3 months complies', [fop('2026-05-20')], '2026-07-01', 'complied'],
    ['employed before the assignment and still working: not unemployed', [job('2024-01-01')], '2026-07-01', 'complied'],
    [
      'a job that ended before the term does not count',
      [job('2024-01-01', '2026-03-09')],
      '2026-07-01',
      'stop',
      { fromMonth: '2026-07', restoredFromMonth: null },
    ],
    ['no step, checked on the deadline day: not yet', [], '2026-06-10', 'before-deadline'],
    [
      'no step, checked the day after the deadline: stop from the month after the deadline',
      [],
      '2026-06-11',
      'stop',
      { fromMonth: '2026-07', restoredFromMonth: null },
    ],
    [
      'registered after the stop within the term (from 26.08.2025): restored from the month of registration',
      [reg('2026-08-03')],
      '2026-08-05',
      'stop',
      { fromMonth: '2026-07', restoredFromMonth: '2026-08' },
    ],
    [
      'registered after the end of the term: not restored',
      [reg('2026-09-01')],
      '2026-09-02',
      'stop',
      { fromMonth: '2026-07', restoredFromMonth: null },
    ],
    [
      'a registration not yet known on the check day is not counted',
      [reg('2026-08-03')],
      '2026-08-02',
      'stop',
      { fromMonth: '2026-07', restoredFromMonth: null },
    ],
    [
      'extended term: 2 months from its first day; registration on the last day complies',
      [reg('2026-11-01')],
      '2026-11-02',
      'complied',
      { deadline: '2026-11-01' },
      { termStart: '2026-09-01', termEndMonth: '2027-02', extended: true },
    ],
    [
      'extended term: a day after the 2 months, no step → stop from the next month',
      [],
      '2026-11-02',
      'stop',
      { fromMonth: '2026-12', deadline: '2026-11-01' },
      { termStart: '2026-09-01', termEndMonth: '2027-02', extended: true },
    ],
    [
      'extended term: the 3-month window of a first term does not apply',
      [reg('2026-11-15')],
      '2026-11-20',
      'stop',
      { fromMonth: '2026-12', restoredFromMonth: '2026-12' },
      { termStart: '2026-09-01', termEndMonth: '2027-02', extended: true },
    ],
    [
      'a step taken before 26.08.2025 restores nothing',
      [reg('2025-08-25')],
      '2025-08-30',
      'stop',
      { fromMonth: '2025-08', restoredFromMonth: null, deadline: '2025-07-10' },
      { termStart: '2025-04-10', termEndMonth: '2025-09' },
    ],
    [
      'a step taken on 26.08.2025 restores',
      [reg('2025-08-26')],
      '2025-08-30',
      'stop',
      { fromMonth: '2025-08', restoredFromMonth: '2025-08' },
      { termStart: '2025-04-10', termEndMonth: '2025-09' },
    ],
    [
      'a term starting before 01.12.2023: no duty',
      [],
      '2024-03-01',
      'no-rule',
      undefined,
      { termStart: '2023-11-30', termEndMonth: '2024-04' },
    ],
    [
      'a term starting on 01.12.2023: the duty applies',
      [],
      '2024-03-02',
      'stop',
      { fromMonth: '2024-04' },
      { termStart: '2023-12-01', termEndMonth: '2024-05' },
    ],
    [
      'deadline in the last month of the term: nothing left to stop',
      [],
      '2026-09-01',
      'after-term',
      undefined,
      { termStart: '2026-05-10', termEndMonth: '2026-08' },
    ],
    ['aged 17 on the term start: exempt', [], '2026-07-01', 'not-subject', undefined, { member: adult({ birthDate: '2008-03-11' }) }],
    [
      'aged 18 on the term start (birthday that day): subject',
      [],
      '2026-07-01',
      'stop',
      undefined,
      { member: adult({ birthDate: '2008-03-10' }) },
    ],
    ['aged 59: subject', [], '2026-07-01', 'stop', undefined, { member: adult({ birthDate: '1966-03-11' }) }],
    ['aged 60 on the term start: exempt', [], '2026-07-01', 'not-subject', undefined, { member: adult({ birthDate: '1966-03-10' }) }],
    [
      'person with disability: exempt',
      [],
      '2026-07-01',
      'not-subject',
      undefined,
      { member: adult({ statuses: [idp(), st('disability', { group: 'III' })] }) },
    ],
    ['pensioner: exempt', [], '2026-07-01', 'not-subject', undefined, { member: adult({ statuses: [idp(), st('pensioner')] }) }],
    ['studying full-time: exempt', [], '2026-07-01', 'not-subject', undefined, { member: adult({ studying: true }) }],
    [
      'on full state support: exempt',
      [],
      '2026-07-01',
      'not-subject',
      undefined,
      { member: adult({ statuses: [idp(), st('full_state_care')] }) },
    ],
    [
      'caring for a child under 6: the applicant is exempt',
      [],
      '2026-07-01',
      'not-subject',
      undefined,
      { family: [adult(), child('2021-01-01')] },
    ],
    ['with a child of 6 (on the term start): subject', [], '2026-07-01', 'stop', undefined, { family: [adult(), child('2020-03-10')] }],
    [
      'caring for a child with disability: exempt',
      [],
      '2026-07-01',
      'not-subject',
      undefined,
      { family: [adult(), child('2015-01-01', { statuses: [idp(), st('child_with_disability')] })] },
    ],
    [
      'a member with disability of group II does not exempt the carer',
      [],
      '2026-07-01',
      'stop',
      undefined,
      { family: [adult(), child('2015-01-01', { statuses: [idp(), st('disability', { group: 'II' })] })] },
    ],
  ];
  it.each(rows)('%s', (...row: Row) => {
    const [, engagements, on, kind, extra, over] = row;
    const out = duty(engagements, on, over);
    expect(out.kind).toBe(kind);
    if (extra?.deadline) expect(out.deadline).toBe(extra.deadline);
    if (out.kind === 'stop' && extra) {
      if (extra.fromMonth) expect(out.stop.fromMonth).toBe(extra.fromMonth);
      if (extra.restoredFromMonth !== undefined) expect(out.stop.restoredFromMonth).toBe(extra.restoredFromMonth);
    }
  });

  it('in a family with a child under 6, only one adult (the applicant) is exempt as carer', () => {
    const spouse: MemberFact = {
      ...adult(),
      personId: 'd0000000-0000-4000-8000-000000000003',
      role: 'member',
      relation: 'spouse',
      birthDate: '1984-01-01',
    };
    const family = [adult(), spouse, child('2022-01-01')];
    expect(duty([], '2026-07-01', { member: adult(), family }).kind).toBe('not-subject');
    expect(duty([], '2026-07-01', { member: spouse, family }).kind).toBe('stop');
  });

  it('a stop takes the share out from its month to the month before the restoration, within its term', () => {
    const stop: EmploymentStop = {
      termStart: '2026-03-10',
      termEndMonth: '2026-08',
      extended: false,
      deadline: '2026-06-10',
      fromMonth: '2026-07',
      restoredFromMonth: '2026-08',
      restoredBy: 'x',
      ruleId: 'idp.employment-duty',
      legalRef: 'x',
    };
    expect(['2026-06', '2026-07', '2026-08', '2026-09'].map((m) => !!stoppedInMonth([stop], m))).toEqual([false, true, false, false]);
    expect(!!stoppedInMonth([{ ...stop, restoredFromMonth: null }], '2026-08')).toBe(true);
    expect(!!stoppedInMonth([{ ...stop, restoredFromMonth: null }], '2026-09')).toBe(false);
  });
});

describe('IDP 7th payment (from September 2025)', () => {
  const base = { member: adult(), termFromMonth: '2026-03', termEndMonth: '2026-08', on: '2026-09-01', monthlyAmountKopiyky: 200000n };
  it.each<[string, EngagementFact[], Partial<typeof base>, string, string?]>([
    ['employed through the whole term', [job('2025-01-01')], {}, 'grant', '200000'],
    ['employed from the 1st day of the first month to the last day of the last month', [job('2026-03-01', '2026-08-31')], {}, 'grant'],
    ['one day short at the start', [job('2026-03-02')], {}, 'none'],
    ['one day short at the end', [job('2026-03-01', '2026-08-30')], {}, 'none'],
    ['job changed without a gap (next starts the day after)', [job('2026-01-01', '2026-05-15'), job('2026-05-16')], {}, 'grant'],
    ['job changed with a one-day gap', [job('2026-01-01', '2026-05-15'), job('2026-05-17')], {}, 'none'],
    ['sole proprietor through the term', [fop('2024-06-01')], {}, 'grant'],
    ['employment-centre registration is not employment', [reg('2025-01-01')], {}, 'none'],
    ['checked on the last day of the term: not yet', [job('2025-01-01')], { on: '2026-08-31' }, 'none'],
    ['a person with disability: 3 000 UAH', [job('2025-01-01')], { monthlyAmountKopiyky: 300000n }, 'grant', '300000'],
    [
      'a term ending in August 2025: before the rule',
      [job('2025-01-01')],
      { termFromMonth: '2025-03', termEndMonth: '2025-08', on: '2025-09-02' },
      'none',
    ],
    [
      'a term ending in September 2025: the rule applies',
      [job('2025-01-01')],
      { termFromMonth: '2025-04', termEndMonth: '2025-09', on: '2025-10-02' },
      'grant',
    ],
    ['not counted in the last month: nothing', [job('2025-01-01')], { monthlyAmountKopiyky: 0n }, 'none'],
  ])('%s', (...row: [string, EngagementFact[], Partial<typeof base>, string, string?]) => {
    const [, engagements, over, kind, amount] = row;
    const out = seventhPayment({ ...base, ...over, engagements });
    expect(out.kind).toBe(kind);
    if (amount && out.kind === 'grant') expect(out.payment.amountKopiyky).toBe(amount);
  });

  it('workedThrough ignores intervals that ended before the period', () => {
    expect(workedThrough([job('2020-01-01', '2020-12-31'), job('2026-03-01')], '2026-03-01', '2026-08-31')).toBe(true);
  });
});

describe('IDP rule set: employment stops, the 7th payment, child with disability, full state support', () => {
  const rs = ruleSetByVersion('idp-living-allowance', 'idp-living-allowance@2025-08-26')!;
  const period = { from: '2026-03', to: '2026-08' };
  const base = (members: MemberFact[], over: Partial<IdpFacts> = {}): IdpFacts => ({
    applicationDate: '2026-03-10',
    applicantPersonId: A,
    members,
    ...over,
  });
  const amounts = (f: IdpFacts) =>
    Object.fromEntries(rs.recalculate(f, period, params).months.map((m) => [m.month, m.amountKopiyky.toString()]));

  it('an employment stop takes the member out from its month until the restoration', () => {
    const stop: EmploymentStop = {
      termStart: '2026-03-10',
      termEndMonth: '2026-08',
      extended: false,
      deadline: '2026-06-10',
      fromMonth: '2026-07',
      restoredFromMonth: '2026-08',
      restoredBy: 'employment-centre:r1',
      ruleId: 'idp.employment-duty',
      legalRef: 'КМУ № 332',
    };
    const m: IdpMemberFact = { ...adult(), employmentStops: [stop] };
    expect(amounts(base([m, child()]))).toMatchObject({ '2026-06': '500000', '2026-07': '300000', '2026-08': '500000' });
    const months = rs.recalculate(base([m, child()]), period, params).months;
    expect(months.find((x) => x.month === '2026-07')!.explanation).toContain('no step into employment by 2026-06-10');
  });

  it('the 7th payment adds one month amount to its month', () => {
    const f = base([adult(), child()], {
      extraPayments: [
        {
          id: 'x',
          personId: A,
          month: '2026-08',
          amountKopiyky: '200000',
          ruleId: 'idp.seventh-payment',
          legalRef: 'КМУ № 332',
          text: '7th payment',
        },
      ],
    });
    expect(amounts(f)).toMatchObject({ '2026-07': '500000', '2026-08': '700000' });
  });

  it.each<[string, MemberFact[], string]>([
    [
      'a child with disability (no group) counts 3 000 UAH',
      [adult(), child('2015-06-01', { statuses: [idp(), st('child_with_disability')] })],
      '500000',
    ],
    [
      'an adult with the child_with_disability status (a child until 18) counts 3 000 UAH',
      [adult({ statuses: [idp(), st('child_with_disability')] })],
      '300000',
    ],
    [
      'a member on full state support (full_state_care) is not counted',
      [adult(), child('2015-06-01', { statuses: [idp(), st('full_state_care', {}, '2026-01-01')] })],
      '200000',
    ],
  ])('%s', (_n, members, first) => {
    const e = rs.decide(base(members), params);
    expect(e.eligible).toBe(true);
    expect(e.months[0]!.amountKopiyky.toString()).toBe(first);
  });

  it('full state care from mid-month: counted that month, not from the next', () => {
    const e = rs.decide(base([adult(), child('2015-06-01', { statuses: [idp(), st('full_state_care', {}, '2026-04-15')] })]), params);
    expect(e.months.slice(0, 3).map((m) => m.amountKopiyky.toString())).toEqual(['500000', '500000', '200000']);
  });

  it.each<[string, StatusFact, boolean]>([
    [
      'an applicant on full state support on the day of application is refused with APPLICANT_FULL_STATE_SUPPORT',
      st('full_state_care', {}, '2026-03-10'),
      true,
    ],
    ['full state support from the next day does not refuse', st('full_state_care', {}, '2026-03-11'), false],
    ['full state support that ended the day before does not refuse', st('full_state_care', {}, '2025-01-01', '2026-03-09'), false],
  ])('%s', (_n, status, refused) => {
    const e = rs.decide(base([adult({ statuses: [idp(), status] }), child()]), params);
    expect(e.reasons.some((r) => r.code === 'APPLICANT_FULL_STATE_SUPPORT')).toBe(refused);
  });
});

describe('IDP extension: automatic categories (2026 list) and the income test with current facts', () => {
  const rs = ruleSetByVersion('idp-living-allowance', 'idp-living-allowance@2025-08-26')!;
  const ext = (members: MemberFact[], income: string | null = null) =>
    rs.extend!(
      { applicationDate: '2026-03-10', applicantPersonId: A, members, averageMonthlyIncomePerPersonKopiyky: income },
      '2026-08',
      params,
    );
  const pensioner = (pension: string) =>
    adult({ birthDate: '1960-01-01', statuses: [idp(), st('pensioner')], ...({ pensionMonthlyKopiyky: pension } as object) });

  it.each<[string, MemberFact[], string[]]>([
    ['pensioner with a pension at 10 380 UAH (4 × 2 595)', [pensioner('1038000')], ['pensioner with a pension not above 10 380.00 UAH']],
    ['pensioner with a pension one kopiyka above', [pensioner('1038001')], []],
    ['pensioner with a pension one kopiyka below', [pensioner('1037999')], ['pensioner with a pension not above 10 380.00 UAH']],
    [
      'person with disability of group I',
      [adult({ statuses: [idp(), st('disability', { group: 'I' })] })],
      ['person with disability of group I–II'],
    ],
    [
      'person with disability of group II',
      [adult({ statuses: [idp(), st('disability', { group: 'II' })] })],
      ['person with disability of group I–II'],
    ],
    ['group III is not automatic', [adult({ statuses: [idp(), st('disability', { group: 'III' })] })], []],
    [
      'child with disability',
      [adult(), child('2015-06-01', { statuses: [idp(), st('child_with_disability')] })],
      ['child with disability'],
    ],
    [
      'orphan aged 22',
      [adult({ birthDate: '2004-09-02', statuses: [idp(), st('child_deprived_of_parental_care')] })],
      ['orphan or child deprived of parental care (up to 23)'],
    ],
    [
      'orphan aged 23 on the 1st day of the extension',
      [adult({ birthDate: '2003-09-01', statuses: [idp(), st('child_deprived_of_parental_care')] })],
      [],
    ],
    [
      'guardian / foster parent / parent-educator',
      [adult(), { ...child(), relation: 'guardian' }],
      ['guardian, foster parent or parent-educator'],
    ],
    ['an able-bodied adult alone', [adult()], []],
  ])('%s', (_n, members, categories) => {
    const out = ext(members);
    expect(out.explanation.facts.automaticCategories).toEqual(categories);
    expect(out.explanation.facts.automaticallyExtended).toBe(categories.length > 0);
  });

  it.each<[string, string, boolean]>([
    ['income at 4 × subsistence minimum (10 380 UAH in 2026) passes', '1038000', true],
    ['one kopiyka above fails', '1038001', false],
    ['one kopiyka below passes', '1037999', true],
  ])('a family with children (not automatic): %s', (_n, income, eligible) => {
    const out = ext([adult(), child()], income);
    expect(out.explanation.facts.incomeTestPassed).toBe(eligible);
    expect(out.eligible).toBe(eligible);
  });

  it('an automatic category extends even when the income is over the bar (checked within a month)', () => {
    const out = ext([adult(), child('2015-06-01', { statuses: [idp(), st('child_with_disability')] })], '2000000');
    expect(out.eligible).toBe(true);
    expect(out.explanation.facts.incomeTestPassed).toBe(false);
  });
});
