import { ParameterTable } from './parameters';
import { IdpFindingRules, IdpLivingAllowance, type IdpApplicationFacts, type IdpMemberFact } from './idp-living-allowance.rules';
import type { TerritoryRow } from '../territories/territory-list';
import { evaluateProgramme, ruleSetByVersion } from './programmes';
import type { ApplicationFacts, MemberFact, StatusFact } from './rule-set';

const A = 'a0000000-0000-4000-8000-000000000001';
const idp = (validFrom = '2024-01-01', validTo: string | null = null, details: Record<string, unknown> = {}): StatusFact => ({
  type: 'idp',
  validFrom,
  validTo,
  details,
});
const disability = (validFrom = '2020-01-01', validTo: string | null = null): StatusFact => ({
  type: 'disability',
  validFrom,
  validTo,
  details: { group: 'II' },
});
let n = 1;
const member = (birthDate: string, over: Partial<MemberFact> = {}): MemberFact => ({
  personId: `b0000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  role: 'member',
  relation: 'child',
  birthDate,
  deathDate: null,
  statuses: [idp()],
  ...over,
});
const applicant = (over: Partial<MemberFact> = {}): MemberFact => ({
  personId: A,
  role: 'applicant',
  relation: 'self',
  birthDate: '1985-04-10',
  deathDate: null,
  statuses: [idp()],
  ...over,
});
const facts = (applicationDate: string, members: MemberFact[], over: Partial<ApplicationFacts> = {}): ApplicationFacts => ({
  applicationDate,
  applicantPersonId: A,
  members,
  ...over,
});

type Case = [
  name: string,
  f: ApplicationFacts,
  expected: {
    eligible: boolean;
    reason?: string;
    first?: string;
    months?: Record<string, string>;
    periodFrom?: string;
    periodTo?: string;
    version?: string;
  },
];

const cases: Case[] = [
  [
    'single adult IDP gets 2 000 UAH for six months',
    facts('2026-03-10', [applicant()]),
    { eligible: true, first: '200000', periodFrom: '2026-03', periodTo: '2026-08' },
  ],
  [
    'adult with disability gets 3 000 UAH',
    facts('2026-03-10', [applicant({ statuses: [idp(), disability()] })]),
    { eligible: true, first: '300000' },
  ],
  [
    'adult with one child gets 2 000 + 3 000',
    facts('2026-03-10', [applicant(), member('2015-06-01')]),
    { eligible: true, first: '500000' },
  ],
  [
    'family of two adults and two children gets 10 000',
    facts('2026-03-10', [applicant(), member('1984-01-01', { relation: 'spouse' }), member('2012-02-02'), member('2019-09-09')]),
    { eligible: true, first: '1000000' },
  ],
  [
    'family with a disabled adult member gets 3 000 for them',
    facts('2026-03-10', [applicant(), member('1960-01-01', { relation: 'parent', statuses: [idp(), disability()] })]),
    { eligible: true, first: '500000' },
  ],
  [
    'child with disability counts 3 000 once, not twice',
    facts('2026-03-10', [applicant(), member('2016-01-01', { statuses: [idp(), disability()] })]),
    { eligible: true, first: '500000' },
  ],
  [
    'application on the last day of the month starts in that month',
    facts('2026-03-31', [applicant()]),
    { eligible: true, periodFrom: '2026-03', periodTo: '2026-08' },
  ],
  [
    'application on the first day of the month starts in that month',
    facts('2026-04-01', [applicant()]),
    { eligible: true, periodFrom: '2026-04', periodTo: '2026-09' },
  ],
  ['term crosses the year end', facts('2025-10-15', [applicant()]), { eligible: true, periodFrom: '2025-10', periodTo: '2026-03' }],
  [
    'child turning 18 mid-period is a child in the birthday month and an adult from the next month',
    facts('2026-03-10', [applicant(), member('2008-05-20')]),
    { eligible: true, months: { '2026-05': '500000', '2026-06': '400000' } },
  ],
  [
    'child turning 18 on the 1st of a month is a child that month',
    facts('2026-03-10', [applicant(), member('2008-04-01')]),
    { eligible: true, months: { '2026-04': '500000', '2026-05': '400000' } },
  ],
  [
    'a person who turned 18 before the application is an adult',
    facts('2026-03-10', [applicant(), member('2008-02-28')]),
    { eligible: true, first: '400000' },
  ],
  [
    'applicant without an IDP certificate is refused',
    facts('2026-03-10', [applicant({ statuses: [] })]),
    { eligible: false, reason: 'IDP_STATUS_MISSING' },
  ],
  [
    'applicant whose IDP status ended before the application is refused',
    facts('2026-03-10', [applicant({ statuses: [idp('2024-01-01', '2026-02-28')] })]),
    { eligible: false, reason: 'IDP_STATUS_MISSING' },
  ],
  [
    'applicant whose IDP status starts after the application date is refused',
    facts('2026-03-10', [applicant({ statuses: [idp('2026-03-11')] })]),
    { eligible: false, reason: 'IDP_STATUS_MISSING' },
  ],
  [
    'deceased applicant is refused',
    facts('2026-03-10', [applicant({ deathDate: '2026-03-05' })]),
    { eligible: false, reason: 'APPLICANT_DECEASED' },
  ],
  [
    'origin not on the list and housing intact is refused',
    facts('2026-03-10', [applicant({ statuses: [idp('2024-01-01', null, { originEligible: false })] })]),
    { eligible: false, reason: 'ORIGIN_NOT_ELIGIBLE' },
  ],
  [
    'origin not on the list but housing destroyed is granted',
    facts('2026-03-10', [applicant({ statuses: [idp('2024-01-01', null, { originEligible: false, housingDestroyed: true })] })]),
    { eligible: true, first: '200000' },
  ],
  [
    'mobilised member is not counted',
    facts('2026-03-10', [applicant(), member('1983-01-01', { relation: 'spouse', mobilised: true })]),
    { eligible: true, first: '200000' },
  ],
  [
    'member on full state support is not counted',
    facts('2026-03-10', [applicant(), member('2010-01-01', { fullStateSupport: true })]),
    { eligible: true, first: '200000' },
  ],
  [
    'member without IDP status is not counted',
    facts('2026-03-10', [applicant(), member('2010-01-01', { statuses: [] })]),
    { eligible: true, first: '200000' },
  ],
  [
    'only member on full state support and applicant mobilised: refused',
    facts('2026-03-10', [applicant({ mobilised: true })]),
    { eligible: false, reason: 'NO_ELIGIBLE_MEMBERS' },
  ],
  [
    'member who died in the period is counted in the month of death and not after',
    facts('2026-03-10', [applicant(), member('1950-01-01', { relation: 'parent', deathDate: '2026-05-17' })]),
    { eligible: true, months: { '2026-05': '400000', '2026-06': '200000' } },
  ],
  [
    'child born during the period is counted from the month of birth',
    facts('2026-03-10', [applicant(), member('2026-05-03')]),
    { eligible: true, months: { '2026-04': '200000', '2026-05': '500000' } },
  ],
  [
    'member whose disability ends mid-period gets 2 000 from the next month',
    facts('2026-03-10', [applicant({ statuses: [idp(), disability('2020-01-01', '2026-04-15')] })]),
    { eligible: true, months: { '2026-04': '300000', '2026-05': '200000' } },
  ],
  [
    'application before 26.08.2025 uses the 2024 rule set',
    facts('2025-08-25', [applicant()]),
    { eligible: true, version: 'idp-living-allowance@2024-03-01' },
  ],
  [
    'application from 26.08.2025 uses the 2025 rule set',
    facts('2025-08-26', [applicant()]),
    { eligible: true, version: 'idp-living-allowance@2025-08-26' },
  ],
  ['application before any rule set is refused', facts('2023-01-10', [applicant()]), { eligible: false, reason: 'NO_RULE_SET_IN_FORCE' }],
];

describe(IdpLivingAllowance.title, () => {
  it.each(cases)('%s', (_name, f, expected) => {
    const e = evaluateProgramme('idp-living-allowance', f);
    expect(e.eligible).toBe(expected.eligible);
    if (expected.reason) expect(e.reasons.map((r) => r.code)).toContain(expected.reason);
    if (!expected.eligible) expect(e.months).toEqual([]);
    if (expected.first) expect(e.months[0]?.amountKopiyky.toString()).toBe(expected.first);
    if (expected.periodFrom) expect(e.periodFrom).toBe(expected.periodFrom);
    if (expected.periodTo) expect(e.periodTo).toBe(expected.periodTo);
    if (expected.version) expect(e.ruleSetVersion).toBe(expected.version);
    for (const [month, amount] of Object.entries(expected.months ?? {}))
      expect(e.months.find((m) => m.month === month)?.amountKopiyky.toString()).toBe(amount);
    if (expected.eligible) expect(e.months).toHaveLength(6);
  });

  it('explains every month with the rule, the parameters and the members when granted', () => {
    const e = evaluateProgramme('idp-living-allowance', facts('2026-03-10', [applicant(), member('2015-06-01')]));
    expect(e.months[0]!.explanation).toContain('№ 332, п. 4');
    const monthly = e.explanation.children!.find((c) => c.rule === 'idp.monthly-amount')!;
    const march = monthly.children![0]!;
    expect(march.period).toBe('2026-03');
    expect(march.parameters.map((p) => p.key)).toEqual(['idp.amount.child-or-disability', 'idp.amount.other']);
    expect(march.children!.map((c) => c.amountKopiyky)).toEqual(['200000', '300000']);
  });

  it('marks a family with children as eligible for extension with the income test using the subsistence minimum when income is given', () => {
    const e = evaluateProgramme(
      'idp-living-allowance',
      facts('2026-03-10', [applicant(), member('2015-06-01')], { averageMonthlyIncomePerPersonKopiyky: '1038000' }),
    );
    const ext = e.explanation.children!.find((c) => c.rule === 'idp.extension-eligibility')!;
    expect(ext.facts.extensionEligible).toBe(true);
    expect(ext.parameters.find((p) => p.key === 'subsistence-minimum.unable-to-work')!.value).toBe('259500');
    const over = evaluateProgramme(
      'idp-living-allowance',
      facts('2026-03-10', [applicant(), member('2015-06-01')], { averageMonthlyIncomePerPersonKopiyky: '1038001' }),
    );
    expect(over.explanation.children!.find((c) => c.rule === 'idp.extension-eligibility')!.facts.extensionEligible).toBe(false);
  });

  it('applies a parameter change from its month when recalculating', () => {
    const f = facts('2026-03-10', [applicant()]);
    const params = new ParameterTable().with([{ key: 'idp.amount.other', from: '2026-06-01', value: 250000n, source: 'test change' }]);
    const r = ruleSetByVersion('idp-living-allowance', 'idp-living-allowance@2025-08-26')!.recalculate(
      f,
      { from: '2026-03', to: '2026-08' },
      params,
    );
    expect(r.months.map((m) => m.amountKopiyky.toString())).toEqual(['200000', '200000', '200000', '250000', '250000', '250000']);
  });

  it('extends a family with a child for six more months and refuses a single able-bodied adult when the term ends', () => {
    const rs = ruleSetByVersion('idp-living-allowance', 'idp-living-allowance@2025-08-26')!;
    const withChild = rs.extend!(facts('2026-03-10', [applicant(), member('2015-06-01')]), '2026-08', new ParameterTable());
    expect(withChild).toMatchObject({ eligible: true, newPeriodTo: '2027-02' });
    expect(rs.extend!(facts('2026-03-10', [applicant()]), '2026-08', new ParameterTable()).eligible).toBe(false);
  });

  describe('a share stopped by a finding', () => {
    const rs = () => ruleSetByVersion('idp-living-allowance', 'idp-living-allowance@2025-08-26')!;
    const stopped = (fromMonth: string): IdpMemberFact => ({
      ...member('2015-06-01'),
      shareStops: [
        {
          fromMonth,
          findingId: 'f0000000-0000-4000-8000-000000000001',
          rule: 'abroad-over-30-days',
          ruleRowId: 'idp.finding.abroad-30-60',
          legalRef: 'КМУ № 332, п. 8',
        },
      ],
    });

    it.each([
      ['the first month of the term', '2026-03', ['200000', '200000', '200000', '200000', '200000', '200000']],
      ['a month inside the term (one before: still counted)', '2026-06', ['500000', '500000', '500000', '200000', '200000', '200000']],
      ['the last month of the term', '2026-08', ['500000', '500000', '500000', '500000', '500000', '200000']],
      ['the month after the term (nothing changes)', '2026-09', ['500000', '500000', '500000', '500000', '500000', '500000']],
    ])('stopped from %s: the family amount without the member from that month', (_n, fromMonth, amounts) => {
      const r = rs().recalculate(
        facts('2026-03-10', [applicant(), stopped(fromMonth)]),
        { from: '2026-03', to: '2026-08' },
        new ParameterTable(),
      );
      expect(r.months.map((m) => m.amountKopiyky.toString())).toEqual(amounts);
    });

    it('explains the stopped share with the finding and the clause', () => {
      const r = rs().recalculate(
        facts('2026-03-10', [applicant(), stopped('2026-06')]),
        { from: '2026-03', to: '2026-08' },
        new ParameterTable(),
      );
      const june = r.explanation.children![0]!.children!.find((c) => c.period === '2026-06')!;
      expect(june.children!.find((c) => c.outcome === 'not_applicable')!.facts.reason).toBe(
        'share stopped from 2026-06: finding f0000000-0000-4000-8000-000000000001 (abroad-over-30-days; КМУ № 332, п. 8)',
      );
    });

    it("lists the source note of every row of the finding table among the rule set's notes", () => {
      for (const row of IdpFindingRules) expect(rs().sourceNotes).toContain(row.sourceNote);
    });
  });
});

// --- The official list of territories (helper "territories"): the community of origin decides at application and every month.
describe('IDP origin on the list of territories', () => {
  const ORIGIN = 'UA14020010000090276';
  const row = (over: Partial<TerritoryRow> = {}): TerritoryRow => ({
    entryId: 'e1',
    importId: 'i1',
    listVersion: 2,
    katottg: ORIGIN,
    name: 'Громада',
    kind: 'active_hostilities',
    startedOn: '2022-02-24',
    endedOn: null,
    includedOn: '2022-12-22',
    source: { order: 'наказ Мінрозвитку № 376', orderDate: '2025-02-28', version: null },
    ...over,
  });
  const withOrigin = (applicationDate: string, rows: TerritoryRow[], details: Record<string, unknown> = {}): IdpApplicationFacts => ({
    ...facts(applicationDate, [applicant({ statuses: [idp('2024-01-01', null, { originKatottg: ORIGIN, ...details })] })]),
    originTerritory: { katottg: ORIGIN, rows, listVersion: 2, asOf: '2026-03-10T10:00:00.000Z' },
  });
  const amounts = (f: IdpApplicationFacts) =>
    Object.fromEntries(evaluateProgramme('idp-living-allowance', f).months.map((m) => [m.month, m.amountKopiyky.toString()]));

  it.each([
    ['listed without an end date: granted', withOrigin('2026-03-10', [row()]), true, null],
    ['listed by its oblast (prefix): granted', withOrigin('2026-03-10', [row({ katottg: 'UA14000000000000000' })]), true, null],
    ['end date on the application date: granted', withOrigin('2026-03-10', [row({ endedOn: '2026-03-10' })]), true, null],
    [
      'end date the day before the application: refused',
      withOrigin('2026-03-10', [row({ endedOn: '2026-03-09' })]),
      false,
      'ORIGIN_HOSTILITIES_ENDED',
    ],
    [
      'included the day after the application: refused',
      withOrigin('2026-03-10', [row({ includedOn: '2026-03-11' })]),
      false,
      'ORIGIN_NOT_YET_LISTED',
    ],
    ['not on the list: refused', withOrigin('2026-03-10', []), false, 'ORIGIN_NOT_ELIGIBLE'],
    ['not on the list but housing destroyed: granted', withOrigin('2026-03-10', [], { housingDestroyed: true }), true, null],
    ['the status details do not override the list', withOrigin('2026-03-10', [], { originEligible: true }), false, 'ORIGIN_NOT_ELIGIBLE'],
  ])('%s', (_n, f, eligible, reason) => {
    const e = evaluateProgramme('idp-living-allowance', f);
    expect(e.eligible).toBe(eligible);
    if (reason) expect(e.reasons.map((r) => r.code)).toEqual([reason]);
    const origin = e.explanation.children!.find((c) => c.rule === 'idp.origin-eligible')!;
    expect(origin.facts).toMatchObject({ originKatottg: ORIGIN });
  });

  it('included in the month of application: nothing for that month, paid from the month after', () => {
    expect(amounts(withOrigin('2026-03-10', [row({ includedOn: '2026-03-02', startedOn: '2026-03-01' })]))).toEqual({
      '2026-03': '0',
      '2026-04': '200000',
      '2026-05': '200000',
      '2026-06': '200000',
      '2026-07': '200000',
      '2026-08': '200000',
    });
  });

  it.each([
    [
      'end date in the first month (M=03): paid through 06, not 07–08',
      '2026-03-20',
      { '2026-06': '200000', '2026-07': '0', '2026-08': '0' },
    ],
    ['end date in M=04: paid through 07 (M+3), not 08 (M+4)', '2026-04-30', { '2026-07': '200000', '2026-08': '0' }],
    ['end date in M=05: M+3 = 08 is the last month of the term, all paid', '2026-05-01', { '2026-08': '200000' }],
  ])('recalculation after %s', (_n, endedOn, expected) => {
    const granted = evaluateProgramme('idp-living-allowance', withOrigin('2026-03-10', [row()]));
    const rs = ruleSetByVersion('idp-living-allowance', granted.ruleSetVersion)!;
    const after = rs.recalculate(
      withOrigin('2026-03-10', [row({ endedOn, listVersion: 3 })]),
      { from: granted.periodFrom!, to: granted.periodTo! },
      new ParameterTable(),
    );
    const got = Object.fromEntries(after.months.map((m) => [m.month, m.amountKopiyky.toString()]));
    expect(got).toMatchObject(expected);
    const stopped = after.months.find((m) => m.amountKopiyky === 0n);
    if (stopped) expect(stopped.explanation).toContain('наказ Мінрозвитку № 376');
  });

  it('the source notes record what was confirmed of the list and the 3 months', () => {
    const notes = ruleSetByVersion('idp-living-allowance', 'idp-living-allowance@2025-08-26')!.sourceNotes;
    expect(notes.find((x) => x.act.includes('№ 309'))?.status).toBe('confirmed by secondary sources, not the act text');
    expect(notes.find((x) => x.note.includes('3 more months'))?.status).toBe('as stated in RULES.md, not confirmed');
  });
});
