import {
  checkAbroad,
  checkDeath,
  checkDeposits,
  checkDuplicateRegistration,
  checkIncome,
  checkVehicles,
  evaluate,
  rulesOn,
  type AbroadParams,
  type DepositParams,
  type Fact,
  type IncomeParams,
  type RecipientAssignment,
  type RuleParameterRow,
  type VehicleParams,
} from './rules';

const P = '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70';
const M = '6b1e2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
const abroad: AbroadParams = { maxConsecutiveDays: 30, maxTotalDays: 60, preventiveAction: 'refuse', currentAction: 'suspend' };
const deposit: DepositParams = { thresholdKopiyky: '10000000', lookbackMonths: 3, preventiveAction: 'refuse', currentAction: 'review' };
const vehicle: VehicleParams = { newVehicleMaxAgeYears: 5, oldVehicleMaxAgeYears: 15, oldVehicleCount: 2, action: 'review' };
const income: IncomeParams = { monthlyThresholdPerPersonKopiyky: '1038000', months: 3, excludedIncomeKinds: ['one-off', 'military'], action: 'review' };
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
const vehicleFact = (manufactureYear: number, deregisteredOn: string | null = null): Fact => ({
  source: 'vehicle-register',
  kind: 'vehicle',
  reference: `v-${++seq}`,
  personId: P,
  occurredOn: '2024-01-10',
  data: { vehicleKind: 'passenger-car', make: 'Skoda', manufactureYear, registeredOn: '2024-01-10', deregisteredOn },
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
  const death = (deathDate: string): Fact => ({ source: 'crvs', kind: 'death', reference: 'death-1', personId: P, occurredOn: deathDate, data: { deathDate, registeredOn: deathDate } });

  it('asks to stop payment from the date of death when a death is registered in a current check', () => {
    const [f] = checkDeath(P, [death('2026-11-10')], { preventiveAction: 'refuse', currentAction: 'stop_payment' }, 'current', period);
    expect(f).toMatchObject({ rule: 'death', recommendedAction: 'stop_payment', effectiveDate: '2026-11-10' });
    expect(f!.evidence[0]).toMatchObject({ source: 'crvs', reference: 'death-1' });
  });

  it('recommends refusal when the applicant is registered dead at application', () => {
    expect(checkDeath(P, [death('2026-11-10')], { preventiveAction: 'refuse', currentAction: 'stop_payment' }, 'preventive', period)[0]?.recommendedAction).toBe('refuse');
  });

  it('finds nothing when the death is after the period or of another person', () => {
    expect(checkDeath(P, [death('2026-12-01')], { preventiveAction: 'refuse', currentAction: 'stop_payment' }, 'current', period)).toEqual([]);
    expect(checkDeath(M, [death('2026-11-10')], { preventiveAction: 'refuse', currentAction: 'stop_payment' }, 'current', period)).toEqual([]);
  });
});

describe(checkAbroad.name, () => {
  it('finds nothing when a stay is exactly 30 days', () => {
    expect(checkAbroad(P, trip('2026-09-01', '2026-10-01'), abroad, 'current', period)).toEqual([]);
  });

  it('suspends from the 31st day when a stay is 31 days', () => {
    const [f] = checkAbroad(P, trip('2026-09-01', '2026-10-02'), abroad, 'current', period);
    expect(f).toMatchObject({ rule: 'abroad', recommendedAction: 'suspend', effectiveDate: '2026-10-01' });
    expect(f!.evidence.at(-1)!.facts).toMatchObject({ limitsExceeded: ['consecutive'], longestStayDays: 31, totalDaysInPeriod: 31 });
  });

  it('recommends refusal when the applicant was abroad too long at application', () => {
    expect(checkAbroad(P, trip('2026-09-01', '2026-10-02'), abroad, 'preventive', period)[0]?.recommendedAction).toBe('refuse');
  });

  it('finds nothing when stays total exactly 60 days in the period', () => {
    const facts = [...trip('2026-06-01', '2026-07-01'), ...trip('2026-08-01', '2026-08-31')]; // 30 + 30
    expect(checkAbroad(P, facts, abroad, 'current', period)).toEqual([]);
  });

  it('finds the total limit exceeded on the 61st day when stays total 61 days', () => {
    const facts = [...trip('2026-06-01', '2026-07-01'), ...trip('2026-08-01', '2026-09-01')]; // 30 + 31
    const [f] = checkAbroad(P, facts, abroad, 'current', period);
    expect(f!.evidence.at(-1)!.facts).toMatchObject({ limitsExceeded: ['consecutive', 'total'], totalDaysInPeriod: 61 });
    expect(f!.effectiveDate).toBe('2026-08-31');
  });

  it('finds the total exceeded without a long stay when three short stays exceed 60 days', () => {
    const facts = [...trip('2026-06-01', '2026-06-21'), ...trip('2026-07-01', '2026-07-21'), ...trip('2026-08-01', '2026-08-22')]; // 20 + 20 + 21
    const [f] = checkAbroad(P, facts, abroad, 'current', period);
    expect(f!.evidence.at(-1)!.facts).toMatchObject({ limitsExceeded: ['total'], totalDaysInPeriod: 61 });
    expect(f!.effectiveDate).toBe('2026-08-21');
  });

  it('counts a stay not yet ended to the end of the period when the person has not returned', () => {
    const [f] = checkAbroad(P, trip('2026-11-01', null), abroad, 'current', period); // 01.11..30.11 = 30 days
    expect(f).toBeUndefined();
    expect(checkAbroad(P, trip('2026-10-31', null), abroad, 'current', period)).toHaveLength(1); // 31 days
  });

  it('counts only days inside the period towards the total when a stay starts before it', () => {
    const facts = [...trip('2026-05-01', '2026-06-11')]; // 41 days in one stay (consecutive), 10 in the period
    const [f] = checkAbroad(P, facts, abroad, 'current', period);
    expect(f!.evidence.at(-1)!.facts).toMatchObject({ limitsExceeded: ['consecutive'], longestStayDays: 41, totalDaysInPeriod: 10 });
  });

  it('ignores stays outside the period', () => {
    expect(checkAbroad(P, trip('2026-01-01', '2026-05-01'), abroad, 'current', period)).toEqual([]);
  });
});

describe(checkDeposits.name, () => {
  it('finds nothing when deposits are exactly 100 000 UAH', () => {
    expect(checkDeposits(P, [depositFact('10000000', '2026-11-01')], deposit, 'current', '2026-11-23')).toEqual([]);
  });

  it('asks for review when deposits are one kopiyka above 100 000 UAH', () => {
    const [f] = checkDeposits(P, [depositFact('10000001', '2026-11-01')], deposit, 'current', '2026-11-23');
    expect(f).toMatchObject({ rule: 'deposit-over-threshold', recommendedAction: 'review' });
    expect(f!.evidence.at(-1)!.facts).toMatchObject({ totalKopiyky: '10000001', thresholdKopiyky: '10000000' });
  });

  it('recommends refusal at application and sums the latest balance of each account', () => {
    const facts = [depositFact('9000000', '2026-09-01', 'a'), depositFact('6000000', '2026-11-01', 'a'), depositFact('4000001', '2026-10-15', 'b')];
    const [f] = checkDeposits(P, facts, deposit, 'preventive', '2026-11-23');
    expect(f).toMatchObject({ recommendedAction: 'refuse' });
    expect(f!.evidence.at(-1)!.facts).toMatchObject({ totalKopiyky: '10000001' });
  });

  it('ignores balances reported before the look-back', () => {
    expect(checkDeposits(P, [depositFact('20000000', '2026-08-22')], deposit, 'current', '2026-11-23')).toEqual([]);
    expect(checkDeposits(P, [depositFact('20000000', '2026-08-23')], deposit, 'current', '2026-11-23')).toHaveLength(1);
  });
});

describe(checkVehicles.name, () => {
  it('finds nothing when the only vehicle is exactly 5 years old', () => {
    expect(checkVehicles(P, [vehicleFact(2021)], vehicle, '2026-11-23')).toEqual([]);
  });

  it('asks for review when a vehicle is under 5 years old', () => {
    const [f] = checkVehicles(P, [vehicleFact(2022)], vehicle, '2026-11-23');
    expect(f).toMatchObject({ rule: 'vehicle', recommendedAction: 'review' });
    expect(f!.evidence.at(-1)!.facts).toMatchObject({ signals: ['vehicle-under-5-years'] });
  });

  it('asks for review when two vehicles are under 15 years old', () => {
    const [f] = checkVehicles(P, [vehicleFact(2013), vehicleFact(2015)], vehicle, '2026-11-23');
    expect(f!.evidence.at(-1)!.facts).toMatchObject({ signals: ['vehicles-under-15-years'] });
    expect(f!.evidence).toHaveLength(3);
  });

  it('finds nothing when one of two vehicles is exactly 15 years old or one was deregistered', () => {
    expect(checkVehicles(P, [vehicleFact(2011), vehicleFact(2015)], vehicle, '2026-11-23')).toEqual([]);
    expect(checkVehicles(P, [vehicleFact(2013, '2026-05-01'), vehicleFact(2015)], vehicle, '2026-11-23')).toEqual([]);
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
    expect(f).toMatchObject({ rule: 'income-over-threshold', recommendedAction: 'review', personId: P });
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
  const a = (id: string, katottg: string, programmeCode = 'idp-living-allowance', status: RecipientAssignment['status'] = 'active'): RecipientAssignment => ({
    assignmentId: id,
    programmeCode,
    recipientPersonId: P,
    memberPersonIds: [P],
    katottg,
    status,
  });

  it('asks for review when the person is active in two communities of the same programme', () => {
    const [f] = checkDuplicateRegistration(P, [a('a1', 'UA80000000000093317'), a('a2', 'UA46060250010015970')], { action: 'review' });
    expect(f).toMatchObject({ rule: 'duplicate-registration', recommendedAction: 'review' });
    expect(f!.evidence.map((e) => e.reference).sort()).toEqual(['a1', 'a2']);
  });

  it('finds nothing for one community, different programmes, or a terminated assignment', () => {
    expect(checkDuplicateRegistration(P, [a('a1', 'UA80000000000093317'), a('a2', 'UA80000000000093317')], { action: 'review' })).toEqual([]);
    expect(checkDuplicateRegistration(P, [a('a1', 'UA80000000000093317'), a('a2', 'UA46060250010015970', 'birth-assistance')], { action: 'review' })).toEqual([]);
    expect(checkDuplicateRegistration(P, [a('a1', 'UA80000000000093317'), a('a2', 'UA46060250010015970', 'idp-living-allowance', 'terminated')], { action: 'review' })).toEqual([]);
  });

  it('counts the application as one registration when checking at application', () => {
    const found = checkDuplicateRegistration(P, [a('a1', 'UA80000000000093317')], { action: 'review' }, { programmeCode: 'idp-living-allowance', katottg: 'UA46060250010015970', reference: 'app-1' });
    expect(found).toHaveLength(1);
  });
});

describe(rulesOn.name, () => {
  const rows: RuleParameterRow[] = [
    { ruleId: 'income-over-threshold', effectiveFrom: '2025-01-01', effectiveTo: '2026-01-01', parameters: { ...income, monthlyThresholdPerPersonKopiyky: '944400' }, legalBasis: '2025' },
    { ruleId: 'income-over-threshold', effectiveFrom: '2026-01-01', effectiveTo: null, parameters: { ...income }, legalBasis: '2026' },
  ];

  it('picks the parameters in force on the date when the rule changes at a year boundary', () => {
    expect(rulesOn(rows, '2025-12-31')['income-over-threshold']?.monthlyThresholdPerPersonKopiyky).toBe('944400');
    expect(rulesOn(rows, '2026-01-01')['income-over-threshold']?.monthlyThresholdPerPersonKopiyky).toBe('1038000');
    expect(rulesOn(rows, '2024-12-31')['income-over-threshold']).toBeUndefined();
  });
});

describe(evaluate.name, () => {
  it('returns one finding per rule that fires when several facts are present', () => {
    const found = evaluate({
      mode: 'current',
      subjectPersonId: P,
      personIds: [P],
      period,
      asOf: '2026-11-30',
      facts: [...trip('2026-09-01', '2026-10-15'), depositFact('20000000', '2026-11-01'), vehicleFact(2024)],
      assignments: [],
      rules: { abroad: { ...abroad, legalBasis: '' }, 'deposit-over-threshold': { ...deposit, legalBasis: '' }, vehicle: { ...vehicle, legalBasis: '' } },
    });
    expect(found.map((f) => f.rule).sort()).toEqual(['abroad', 'deposit-over-threshold', 'vehicle']);
  });
});
