import {
  checkAbroad,
  checkAbroadAtApplication,
  checkAbroadOver90,
  type AbroadAtApplicationParams,
  type AbroadOver90Params,
  type AbroadParams,
  type Fact,
  type WithBasis,
} from './rules';
import { WorkingCalendar } from '@eisss/platform';

const calendar = new WorkingCalendar();

const P = '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70';
const REASONS = [
  'business-trip',
  'internship',
  'treatment',
  'rehabilitation',
  'children-recreation',
  'study',
  'care-of-sick-child',
  'care-of-relative',
  'death-of-relative',
];
const abroad: WithBasis<AbroadParams> = {
  preventive: null,
  current: { action: 'stop_payment', discretion: 'none' },
  maxConsecutiveDays: 30,
  maxTotalDays: 60,
  validReasons: REASONS,
  stopsFrom: 'next-month',
  restorable: false,
  legalBasis: 'КМУ № 332, Порядок, п. 8',
};
const atApplication: WithBasis<AbroadAtApplicationParams> = {
  preventive: { action: 'refuse', discretion: 'none' },
  current: null,
  waitWorkingDays: 15,
  waitAfterStayOverDays: 30,
  validReasons: REASONS,
  legalBasis: 'КМУ № 332 (15 робочих днів)',
};
const over90: WithBasis<AbroadOver90Params> = {
  preventive: { action: 'review', discretion: 'officer' },
  current: { action: 'stop_payment', discretion: 'officer' },
  maxConsecutiveDays: 90,
  validReasons: REASONS,
  stopsFrom: 'next-month',
  restorable: false,
  legalBasis: 'КМУ № 509 в ред. № 376',
};
const period = { from: '2026-06-01', to: '2026-11-30' };

let seq = 0;
type Reason = { reason: string; documentReference: string; from?: string; to?: string };
const crossing = (direction: 'exit' | 'entry', on: string, stayReason: Reason | null = null): Fact => ({
  source: 'border-guard',
  kind: 'border-crossing',
  reference: `x-${++seq}`,
  personId: P,
  occurredOn: on,
  data: { direction, crossedOn: on, stayReason },
});
const trip = (exit: string, entry: string | null, reason: Reason | null = null) => [
  crossing('exit', exit, reason),
  ...(entry ? [crossing('entry', entry)] : []),
];
const summary = (f: { evidence: { facts: Record<string, unknown> }[] }) => f.evidence.at(-1)!.facts;

describe(checkAbroad.name, () => {
  it.each([
    ['30 days (01.09–01.10): within the limit', trip('2026-09-01', '2026-10-01'), null],
    ['31 days: over from the 31st day', trip('2026-09-01', '2026-10-02'), '2026-10-01'],
    ['29 + 30 = 59 days in the period', [...trip('2026-06-01', '2026-06-30'), ...trip('2026-08-01', '2026-08-31')], null],
    ['30 + 30 = 60 days in the period', [...trip('2026-06-01', '2026-07-01'), ...trip('2026-08-01', '2026-08-31')], null],
    [
      '20 + 20 + 21 = 61 days in the period: over on the 61st day',
      [...trip('2026-06-01', '2026-06-21'), ...trip('2026-07-01', '2026-07-21'), ...trip('2026-08-01', '2026-08-22')],
      '2026-08-21',
    ],
    ['a 40-day stay documented as treatment', trip('2026-09-01', '2026-10-11', { reason: 'treatment', documentReference: 'med-1' }), null],
    [
      'a 40-day stay, 10 days documented (30 counted)',
      trip('2026-09-01', '2026-10-11', { reason: 'rehabilitation', documentReference: 'r-1', from: '2026-09-01', to: '2026-09-10' }),
      null,
    ],
    [
      'a 40-day stay, 9 days documented (31 counted)',
      trip('2026-09-01', '2026-10-11', { reason: 'rehabilitation', documentReference: 'r-1', from: '2026-09-01', to: '2026-09-09' }),
      '2026-10-10',
    ],
    ['a stay not yet ended runs to the end of the period (30 days)', trip('2026-11-01', null), null],
    ['a stay not yet ended runs to the end of the period (31 days)', trip('2026-10-31', null), '2026-11-30'],
    ['stays outside the period', trip('2026-01-01', '2026-05-01'), null],
  ])('%s', (_name, facts, effectiveDate) => {
    const found = checkAbroad(P, facts, abroad, 'current', period);
    if (effectiveDate === null) expect(found).toEqual([]);
    else
      expect(found).toEqual([
        expect.objectContaining({
          rule: 'abroad',
          recommendedAction: 'stop_payment',
          discretion: 'none',
          effectiveDate,
          legalBasis: 'КМУ № 332, Порядок, п. 8',
        }),
      ]);
  });

  it('stops the share of the person abroad without restoration from the month after the 31st day', () => {
    const [f] = checkAbroad(P, trip('2026-09-01', '2026-10-02'), abroad, 'current', period);
    expect(summary(f!)).toMatchObject({
      personId: P,
      stopsShareOf: P,
      scope: 'person',
      restorable: false,
      paymentStopsFrom: '2026-11',
      limitsExceeded: ['consecutive'],
      longestStayDays: 31,
    });
  });

  it('reports both limits and the documented days left out when a long stay also exceeds the total', () => {
    const facts = [
      ...trip('2026-06-01', '2026-07-01'),
      ...trip('2026-08-01', '2026-09-01'),
      ...trip('2026-10-01', '2026-10-21', { reason: 'study', documentReference: 'uni-1' }),
    ];
    const [f] = checkAbroad(P, facts, abroad, 'current', period);
    expect(summary(f!)).toMatchObject({ limitsExceeded: ['consecutive', 'total'], totalDaysInPeriod: 61, documentedDaysExcluded: 20 });
    expect(f!.effectiveDate).toBe('2026-08-31');
    expect(f!.evidence.find((e) => e.facts.stayReason)?.facts.stayReason).toMatchObject({ reason: 'study', documentReference: 'uni-1' });
  });

  it('counts a documented 40-day treatment stay towards nothing, so 30 + 40 documented days stay within 60', () => {
    const facts = [
      ...trip('2026-06-01', '2026-07-01'),
      ...trip('2026-08-01', '2026-09-10', { reason: 'treatment', documentReference: 'med-2' }),
    ];
    expect(checkAbroad(P, facts, abroad, 'current', period)).toEqual([]);
  });

  it('counts the days of a reason the rule does not list', () => {
    expect(
      checkAbroad(P, trip('2026-09-01', '2026-10-11', { reason: 'tourism', documentReference: 't-1' }), abroad, 'current', period),
    ).toHaveLength(1);
  });

  it('takes the reason given on the entry crossing', () => {
    const facts = [
      crossing('exit', '2026-09-01'),
      crossing('entry', '2026-10-11', { reason: 'children-recreation', documentReference: 'camp-1' }),
    ];
    expect(checkAbroad(P, facts, abroad, 'current', period)).toEqual([]);
  });

  it('is not checked at application (the application rules apply instead)', () => {
    expect(checkAbroad(P, trip('2026-09-01', '2026-10-02'), abroad, 'preventive', period)).toEqual([]);
  });

  it('counts only days inside the period towards the total when a stay starts before it', () => {
    const [f] = checkAbroad(P, trip('2026-05-01', '2026-06-11'), abroad, 'current', period); // 41 days, 10 in the period
    expect(summary(f!)).toMatchObject({ limitsExceeded: ['consecutive'], longestStayDays: 41, totalDaysInPeriod: 10 });
  });
});

describe(checkAbroadAtApplication.name, () => {
  // Returned on Monday 05.10.2026 after 31 days abroad: the 15th working day after it is Monday 26.10.2026.
  const back = () => trip('2026-09-04', '2026-10-05');

  it.each([
    ['14 working days after the return (23.10)', back(), '2026-10-23', 'too-soon-after-return'],
    ['15 working days after the return (26.10)', back(), '2026-10-26', null],
    ['16 working days after the return (27.10)', back(), '2026-10-27', null],
    ['abroad on the application date', trip('2026-10-20', null), '2026-10-26', 'abroad-on-application-date'],
    ['returned after the application date', trip('2026-10-20', '2026-10-28'), '2026-10-26', 'abroad-on-application-date'],
    ['left on the application date', trip('2026-10-26', null), '2026-10-26', 'abroad-on-application-date'],
    ['back the day before from a 30-day stay (no wait)', trip('2026-09-25', '2026-10-25'), '2026-10-26', null],
    [
      'back two days before from a 40-day documented treatment stay',
      trip('2026-09-14', '2026-10-24', { reason: 'treatment', documentReference: 'med-3' }),
      '2026-10-26',
      null,
    ],
    ['a 31-day stay a year before', trip('2025-09-01', '2025-10-02'), '2026-10-26', null],
  ])('%s', (_name, facts, applicationDate, ground) => {
    const found = checkAbroadAtApplication(P, facts, atApplication, 'preventive', applicationDate, calendar);
    if (ground === null) expect(found).toEqual([]);
    else {
      expect(found).toEqual([
        expect.objectContaining({
          rule: 'abroad-at-application',
          recommendedAction: 'refuse',
          discretion: 'none',
          effectiveDate: applicationDate,
        }),
      ]);
      expect(summary(found[0]!)).toMatchObject({ ground, applicationDate });
    }
  });

  it('tells the earliest day an application is possible when it came too soon', () => {
    const [f] = checkAbroadAtApplication(P, back(), atApplication, 'preventive', '2026-10-23', calendar);
    expect(summary(f!)).toMatchObject({
      returnedOn: '2026-10-05',
      stayDays: 31,
      workingDaysSinceReturn: 14,
      earliestApplicationOn: '2026-10-26',
    });
  });

  it('is not checked while receiving', () => {
    expect(checkAbroadAtApplication(P, trip('2026-10-20', null), atApplication, 'current', '2026-10-26', calendar)).toEqual([]);
  });

  it('refuses only for being abroad on the day when the row has no waiting period', () => {
    expect(checkAbroadAtApplication(P, back(), { ...atApplication, waitWorkingDays: 0 }, 'preventive', '2026-10-06', calendar)).toEqual([]);
    expect(
      checkAbroadAtApplication(P, trip('2026-10-01', null), { ...atApplication, waitWorkingDays: 0 }, 'preventive', '2026-10-06', calendar),
    ).toHaveLength(1);
  });
});

describe(checkAbroadOver90.name, () => {
  it.each([
    ['89 days', trip('2026-06-01', '2026-08-29'), null],
    ['90 days', trip('2026-06-01', '2026-08-30'), null],
    ['91 days: over on the 91st day', trip('2026-06-01', '2026-08-31'), '2026-08-30'],
    [
      '100 days with 10 documented (90 counted)',
      trip('2026-06-01', '2026-09-09', { reason: 'business-trip', documentReference: 'order-7', from: '2026-07-01', to: '2026-07-10' }),
      null,
    ],
    ['still abroad at the end of the period (92 days)', trip('2026-08-31', null), '2026-11-29'],
  ])('%s', (_name, facts, effectiveDate) => {
    const found = checkAbroadOver90(P, facts, over90, 'current', period);
    if (effectiveDate === null) expect(found).toEqual([]);
    else
      expect(found).toEqual([
        expect.objectContaining({
          rule: 'abroad-over-90-days',
          recommendedAction: 'stop_payment',
          discretion: 'officer',
          effectiveDate,
          legalBasis: 'КМУ № 509 в ред. № 376',
        }),
      ]);
  });

  it('names the person and the consequence (cancellation of the IDP status) in the summary', () => {
    const [f] = checkAbroadOver90(P, trip('2026-06-01', '2026-08-31'), over90, 'current', period);
    expect(summary(f!)).toMatchObject({
      personId: P,
      scope: 'person',
      consequence: 'idp-status-cancellation',
      consecutiveDays: 91,
      restorable: false,
      stillAbroad: false,
      paymentStopsFrom: '2026-09',
    });
  });

  it('holds for review at application', () => {
    expect(checkAbroadOver90(P, trip('2026-06-01', '2026-08-31'), over90, 'preventive', period)).toEqual([
      expect.objectContaining({ recommendedAction: 'review', discretion: 'officer' }),
    ]);
  });
});
