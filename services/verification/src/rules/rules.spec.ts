import { WorkingCalendar } from '@eisss/platform';
import {
  checkDeath,
  checkDuplicateRegistration,
  checkIncome,
  evaluate,
  rulesOn,
  type AbroadAtApplicationParams,
  type AbroadParams,
  type DeathParams,
  type DepositParams,
  type Fact,
  type IncomeParams,
  type RecipientAssignment,
  type RuleParameterRow,
  type VehicleParams,
  type WithBasis,
} from './rules';

const P = '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70';
const M = '6b1e2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
const refuse = { action: 'refuse', discretion: 'none' } as const;
const review = { action: 'review', discretion: 'officer' } as const;
const death: WithBasis<DeathParams> = {
  preventive: refuse,
  current: { action: 'stop_payment', discretion: 'none' },
  legalBasis: 'КМУ № 332 (смерть)',
};
const abroad: WithBasis<AbroadParams> = {
  preventive: null,
  current: { action: 'stop_payment', discretion: 'none' },
  maxConsecutiveDays: 30,
  maxTotalDays: 60,
  validReasons: ['treatment'],
  stopsFrom: 'next-month',
  restorable: false,
  legalBasis: 'п. 8',
};
const atApplication: WithBasis<AbroadAtApplicationParams> = {
  preventive: refuse,
  current: null,
  waitWorkingDays: 15,
  waitAfterStayOverDays: 30,
  validReasons: ['treatment'],
  legalBasis: '15 робочих днів',
};
const deposit: WithBasis<DepositParams> = {
  preventive: refuse,
  current: { action: 'stop_payment', discretion: 'officer' },
  thresholdKopiyky: '10000000',
  lookbackMonths: 3,
  stopsFrom: 'next-month',
  exemptStatuses: ['orphan'],
  legalBasis: 'п. 7-1',
};
const vehicle: WithBasis<VehicleParams> = {
  preventive: refuse,
  current: { action: 'stop_payment', discretion: 'officer' },
  maxAgeYears: 5,
  lookbackMonths: 3,
  stopsFrom: 'next-month',
  excludedKinds: ['moped', 'trailer'],
  motorcycleKinds: ['motorcycle'],
  motorcycleValueBarKopiyky: '3069300',
  exemptAcquisitionKinds: ['free-of-charge'],
  exemptFamilyStatuses: ['large_family'],
  exemptAgeYears: 80,
  legalBasis: 'п. 7-1',
};
const income: WithBasis<IncomeParams> = {
  preventive: review,
  current: review,
  monthlyThresholdPerPersonKopiyky: '1038000',
  months: 3,
  excludedIncomeKinds: ['one-off', 'military'],
  legalBasis: '4 ПМ',
};
const duplicate = { preventive: review, current: review, legalBasis: 'one assignment per person' };
const period = { from: '2026-06-01', to: '2026-11-30' };

let seq = 0;
const crossing = (direction: 'exit' | 'entry', on: string, personId = P): Fact => ({
  source: 'border-guard',
  kind: 'border-crossing',
  reference: `x-${++seq}`,
  personId,
  occurredOn: on,
  data: { direction, crossedOn: on },
});
const trip = (exit: string, entry: string | null) => [crossing('exit', exit), ...(entry ? [crossing('entry', entry)] : [])];
const depositFact = (balance: string, asOf: string, account = 'dep-1'): Fact => ({
  source: 'bank-deposits',
  kind: 'deposit',
  reference: `d-${++seq}`,
  personId: P,
  occurredOn: asOf,
  data: { bankCode: '322313', accountReference: account, balanceKopiyky: balance, asOf },
});
const vehicleFact = (manufactureYear: number, registeredOn: string): Fact => ({
  source: 'vehicle-register',
  kind: 'vehicle',
  reference: `v-${++seq}`,
  personId: P,
  occurredOn: registeredOn,
  data: { vehicleKind: 'passenger-car', make: 'Skoda', manufactureYear, registeredOn, deregisteredOn: null },
});
const incomeFact = (personId: string, month: string, amount: string, incomeKind = 'salary'): Fact => ({
  source: 'tax-income',
  kind: 'income',
  reference: `i-${++seq}`,
  personId,
  occurredOn: `${month}-01`,
  data: { month, incomeKind, amountKopiyky: amount },
});

describe(checkDeath.name, () => {
  const deathFact = (deathDate: string): Fact => ({
    source: 'crvs',
    kind: 'death',
    reference: 'death-1',
    personId: P,
    occurredOn: deathDate,
    data: { deathDate, registeredOn: deathDate },
  });

  it('asks to stop payment from the date of death when a death is registered in a current check', () => {
    const [f] = checkDeath(P, [deathFact('2026-11-10')], death, 'current', period);
    expect(f).toMatchObject({
      rule: 'death',
      recommendedAction: 'stop_payment',
      discretion: 'none',
      legalBasis: 'КМУ № 332 (смерть)',
      effectiveDate: '2026-11-10',
    });
    expect(f!.evidence[0]).toMatchObject({ source: 'crvs', reference: 'death-1' });
  });

  it('recommends refusal when the applicant is registered dead at application', () => {
    expect(checkDeath(P, [deathFact('2026-11-10')], death, 'preventive', period)[0]?.recommendedAction).toBe('refuse');
  });

  it('finds nothing when the death is after the period or of another person', () => {
    expect(checkDeath(P, [deathFact('2026-12-01')], death, 'current', period)).toEqual([]);
    expect(checkDeath(M, [deathFact('2026-11-10')], death, 'current', period)).toEqual([]);
  });
});

describe(checkIncome.name, () => {
  it('finds nothing when the average is exactly the threshold per person', () => {
    const facts = ['2026-08', '2026-09', '2026-10'].flatMap((m) => [incomeFact(P, m, '1038000'), incomeFact(M, m, '1038000')]);
    expect(checkIncome(P, [P, M], facts, income, '2026-11-23')).toEqual([]);
  });

  it('asks for review when the average monthly income per person is above the threshold', () => {
    const facts = ['2026-08', '2026-09', '2026-10'].map((m) => incomeFact(P, m, '2076001'));
    const [f] = checkIncome(P, [P, M], facts, income, '2026-11-23');
    expect(f).toMatchObject({
      rule: 'income-over-threshold',
      recommendedAction: 'review',
      discretion: 'officer',
      legalBasis: '4 ПМ',
      personId: P,
    });
    expect(f!.evidence.at(-1)!.facts).toMatchObject({ months: '2026-08..2026-10', persons: 2, averageMonthlyPerPersonKopiyky: '1038000' });
  });

  it('does not count one-off and military income or months outside the window', () => {
    const facts = [
      ...['2026-08', '2026-09', '2026-10'].map((m) => incomeFact(P, m, '9000000', 'military')),
      incomeFact(P, '2026-09', '9000000', 'one-off'),
      incomeFact(P, '2026-11', '9000000'),
      incomeFact(P, '2026-07', '9000000'),
    ];
    expect(checkIncome(P, [P], facts, income, '2026-11-23')).toEqual([]);
  });
});

describe(checkDuplicateRegistration.name, () => {
  const a = (
    id: string,
    katottg: string,
    programmeCode = 'idp-living-allowance',
    status: RecipientAssignment['status'] = 'active',
  ): RecipientAssignment => ({
    assignmentId: id,
    programmeCode,
    recipientPersonId: P,
    memberPersonIds: [P],
    katottg,
    status,
  });

  it('asks for review when the person is active in two communities of the same programme', () => {
    const [f] = checkDuplicateRegistration(P, [a('a1', 'UA80000000000093317'), a('a2', 'UA46060250010015970')], duplicate);
    expect(f).toMatchObject({ rule: 'duplicate-registration', recommendedAction: 'review' });
    expect(f!.evidence.map((e) => e.reference).sort()).toEqual(['a1', 'a2']);
  });

  it('finds nothing for one community, different programmes, or a terminated assignment', () => {
    expect(checkDuplicateRegistration(P, [a('a1', 'UA80000000000093317'), a('a2', 'UA80000000000093317')], duplicate)).toEqual([]);
    expect(
      checkDuplicateRegistration(P, [a('a1', 'UA80000000000093317'), a('a2', 'UA46060250010015970', 'birth-assistance')], duplicate),
    ).toEqual([]);
    expect(
      checkDuplicateRegistration(
        P,
        [a('a1', 'UA80000000000093317'), a('a2', 'UA46060250010015970', 'idp-living-allowance', 'terminated')],
        duplicate,
      ),
    ).toEqual([]);
  });

  it('counts the application as one registration when checking at application', () => {
    const found = checkDuplicateRegistration(P, [a('a1', 'UA80000000000093317')], duplicate, {
      programmeCode: 'idp-living-allowance',
      katottg: 'UA46060250010015970',
      reference: 'app-1',
    });
    expect(found).toHaveLength(1);
  });
});

describe(rulesOn.name, () => {
  const rows: RuleParameterRow[] = [
    {
      ruleId: 'income-over-threshold',
      effectiveFrom: '2025-01-01',
      effectiveTo: '2026-01-01',
      parameters: { ...income, monthlyThresholdPerPersonKopiyky: '944400' },
      legalBasis: '2025',
    },
    { ruleId: 'income-over-threshold', effectiveFrom: '2026-01-01', effectiveTo: null, parameters: { ...income }, legalBasis: '2026' },
  ];

  it('picks the parameters in force on the date when the rule changes at a year boundary', () => {
    expect(rulesOn(rows, '2025-12-31')['income-over-threshold']?.monthlyThresholdPerPersonKopiyky).toBe('944400');
    expect(rulesOn(rows, '2026-01-01')['income-over-threshold']?.monthlyThresholdPerPersonKopiyky).toBe('1038000');
    expect(rulesOn(rows, '2024-12-31')['income-over-threshold']).toBeUndefined();
  });
});

describe(evaluate.name, () => {
  const calendar = new WorkingCalendar();
  const rules = { abroad, 'abroad-at-application': atApplication, 'deposit-over-threshold': deposit, vehicle };

  it('returns one finding per rule that fires while receiving', () => {
    const found = evaluate({
      mode: 'current',
      subjectPersonId: P,
      personIds: [P],
      period,
      asOf: '2026-11-30',
      facts: [...trip('2026-09-01', '2026-10-15'), depositFact('20000000', '2026-11-01'), vehicleFact(2024, '2026-10-20')],
      assignments: [],
      rules,
      calendar,
    });
    expect(found.map((f) => [f.rule, f.recommendedAction, f.discretion]).sort()).toEqual([
      ['abroad', 'stop_payment', 'none'],
      ['deposit-over-threshold', 'stop_payment', 'officer'],
      ['vehicle', 'stop_payment', 'officer'],
    ]);
  });

  it('applies the application rules at application and the statuses of the request', () => {
    const found = evaluate({
      mode: 'preventive',
      subjectPersonId: P,
      personIds: [P, M],
      persons: [
        { personId: P, statuses: ['orphan'] },
        { personId: M, statuses: ['large_family'], birthDate: '1990-01-01' },
      ],
      period: { from: '2026-08-23', to: '2026-11-23' },
      asOf: '2026-11-23',
      facts: [
        ...trip('2026-09-01', '2026-10-15'),
        ...trip('2026-11-20', null),
        depositFact('20000000', '2026-11-01'),
        vehicleFact(2024, '2026-10-20'),
      ],
      assignments: [],
      rules,
      calendar,
    });
    // abroad on the application date refuses; the 44-day stay itself is not a ground at application; the orphan's
    // deposit and the large family's car are exempt.
    expect(found.map((f) => [f.rule, f.recommendedAction])).toEqual([['abroad-at-application', 'refuse']]);
  });
});
