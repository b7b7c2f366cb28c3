import {
  checkDeposits,
  checkHousing,
  checkPurchases,
  checkVehicles,
  underAge,
  type CheckedPerson,
  type DepositParams,
  type Fact,
  type HousingParams,
  type PurchaseParams,
  type VehicleParams,
  type WithBasis,
} from './rules';

const P = '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70';
const M = '6b1e2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
const actions = {
  preventive: { action: 'refuse', discretion: 'none' },
  current: { action: 'stop_payment', discretion: 'officer' },
} as const;
const deposit: WithBasis<DepositParams> = {
  ...actions,
  thresholdKopiyky: '10000000',
  lookbackMonths: 3,
  stopsFrom: 'next-month',
  exemptStatuses: ['orphan', 'child_deprived_of_parental_care', 'child_placed_in_family'],
  legalBasis: 'КМУ № 332, п. 7-1',
};
const vehicle: WithBasis<VehicleParams> = {
  ...actions,
  maxAgeYears: 5,
  lookbackMonths: 3,
  stopsFrom: 'next-month',
  excludedKinds: ['moped', 'trailer'],
  motorcycleKinds: ['motorcycle'],
  motorcycleValueBarKopiyky: '3069300',
  exemptAcquisitionKinds: ['free-of-charge', 'preferential-terms', 'self-assembled'],
  exemptFamilyStatuses: ['disability:I', 'disability:II', 'large_family', 'child_with_disability', 'parent_educator'],
  exemptAgeYears: 80,
  legalBasis: 'КМУ № 332, п. 7-1 (транспортний засіб)',
};
const purchase: WithBasis<PurchaseParams> = {
  ...actions,
  thresholdKopiyky: '10000000',
  lookbackMonths: 3,
  stopsFrom: 'next-month',
  summedKinds: ['currency', 'bank-metal'],
  perPurchaseKinds: ['apartment', 'house', 'land', 'other-real-estate'],
  exemptPurposes: ['donation', 'social-services'],
  legalBasis: 'КМУ № 332, п. 7-1 пп. 2, 5',
};
const housing: WithBasis<HousingParams> = {
  ...actions,
  maxAreaPerMemberSquareDecimetres: 1365,
  residentialKinds: ['apartment', 'house'],
  stopsFrom: 'next-month',
  legalBasis: 'КМУ № 332, п. 7-1 (житло)',
};
const ASOF = '2026-11-23'; // application date; the look-back starts on 23.08.2026
const period = { from: '2026-08-23', to: ASOF };

let seq = 0;
const depositFact = (balance: string, asOf: string, account = 'dep-1', personId = P): Fact => ({
  source: 'bank-deposits',
  kind: 'deposit',
  reference: `d-${++seq}`,
  personId,
  occurredOn: asOf,
  data: { bankCode: '322313', accountReference: account, balanceKopiyky: balance, asOf },
});
const car = (data: Record<string, unknown> = {}): Fact => {
  const d = {
    vehicleKind: 'passenger-car',
    make: 'Skoda',
    manufactureYear: 2024,
    manufactureDate: null,
    registeredOn: '2026-10-01',
    acquiredOn: null,
    deregisteredOn: null,
    ...data,
  };
  return { source: 'vehicle-register', kind: 'vehicle', reference: `v-${++seq}`, personId: P, occurredOn: String(d.registeredOn), data: d };
};
const bought = (assetKind: string, amount: string, on: string, extra: Record<string, unknown> = {}): Fact => ({
  source: ['currency', 'bank-metal'].includes(assetKind) ? 'bank-operations' : 'notary',
  kind: 'purchase',
  reference: `p-${++seq}`,
  personId: P,
  occurredOn: on,
  data: { assetKind, amountKopiyky: amount, purchasedOn: on, fundedByBudget: false, purpose: null, ...extra },
});
const home = (area: number | null, share = '1/1', extra: Record<string, unknown> = {}, personId = P): Fact => ({
  source: 'property-register',
  kind: 'property',
  reference: `h-${++seq}`,
  personId,
  occurredOn: '2020-06-01',
  data: {
    propertyKind: 'apartment',
    katottg: 'UA46060250010015970',
    areaSquareDecimetres: area,
    share,
    acquiredOn: '2020-06-01',
    disposedOn: null,
    inListedTerritory: false,
    damage: null,
    ...extra,
  },
});
const summary = (f: { evidence: { facts: Record<string, unknown> }[] }) => f.evidence.at(-1)!.facts;

describe(checkDeposits.name, () => {
  it.each([
    ['the highest of three monthly reports is exactly 100 000.00 UAH', ['5000000', '10000000', '3000000'], null],
    ['the highest of three monthly reports is 99 999.99 UAH', ['5000000', '9999999', '3000000'], null],
    ['the middle report is 100 000.01 UAH, the latest far below', ['5000000', '10000001', '3000000'], '2026-10-31'],
    ['the first report is over, the later ones below', ['12000000', '9000000', '1000'], '2026-09-30'],
  ])('%s', (_name, balances, effectiveDate) => {
    const facts = ['2026-09-30', '2026-10-31', '2026-11-20'].map((on, i) => depositFact(balances[i]!, on));
    const found = checkDeposits(P, facts, deposit, 'preventive', ASOF);
    if (effectiveDate === null) expect(found).toEqual([]);
    else {
      expect(found).toEqual([
        expect.objectContaining({
          rule: 'deposit-over-threshold',
          recommendedAction: 'refuse',
          discretion: 'none',
          effectiveDate,
          legalBasis: 'КМУ № 332, п. 7-1',
        }),
      ]);
      expect(summary(found[0]!)).toMatchObject({
        maxBalanceOn: effectiveDate,
        reportsInLookback: 3,
        scope: 'family',
        thresholdKopiyky: '10000000',
      });
    }
  });

  it('sums the accounts as reported on the day of the highest total', () => {
    const facts = [
      depositFact('9000000', '2026-09-01', 'a'),
      depositFact('4000001', '2026-10-15', 'b'),
      depositFact('6000000', '2026-11-01', 'a'),
    ];
    const [f] = checkDeposits(P, facts, deposit, 'preventive', ASOF);
    expect(summary(f!)).toMatchObject({ totalKopiyky: '13000001', maxBalanceOn: '2026-10-15' });
    expect(
      f!.evidence
        .filter((e) => e.source === 'bank-deposits')
        .map((e) => e.facts.balanceKopiyky)
        .sort(),
    ).toEqual(['4000001', '9000000']);
  });

  it('ignores balances reported before the look-back', () => {
    expect(checkDeposits(P, [depositFact('20000000', '2026-08-22')], deposit, 'current', ASOF)).toEqual([]);
    expect(checkDeposits(P, [depositFact('20000000', '2026-08-23')], deposit, 'current', ASOF)).toEqual([
      expect.objectContaining({ recommendedAction: 'stop_payment', discretion: 'officer' }),
    ]);
  });

  it.each([
    ['an orphan', ['orphan'], 0],
    ['a child deprived of parental care', ['child_deprived_of_parental_care'], 0],
    ['a child placed in a family', ['child_placed_in_family'], 0],
    ['a person with another status', ['large_family'], 1],
    ['a person with no statuses in the request', undefined, 1],
  ])('exempts by status: %s', (_name, statuses, n) => {
    const person: CheckedPerson = { personId: P, statuses };
    expect(checkDeposits(P, [depositFact('20000000', '2026-10-01')], deposit, 'preventive', ASOF, person)).toHaveLength(n);
  });
});

describe(underAge.name, () => {
  it.each([
    ['4 years 11 months', '2021-12-01', '2026-11-01', true],
    ['exactly 5 years', '2021-11-01', '2026-11-01', false],
    ['5 years 1 month', '2021-10-01', '2026-11-01', false],
  ])('%s since manufacture', (_name, made, purchased, under) => {
    expect(underAge(2021, made, purchased, 5)).toBe(under);
  });

  it('counts years of manufacture when only the year is known', () => {
    expect(underAge(2022, null, '2026-01-10', 5)).toBe(true);
    expect(underAge(2021, null, '2026-12-31', 5)).toBe(false);
  });
});

describe(checkVehicles.name, () => {
  const found = (f: Fact, family: CheckedPerson[] = [], mode: 'preventive' | 'current' = 'preventive') =>
    checkVehicles(P, [f], vehicle, mode, period, ASOF, family);

  it.each([
    [
      '4y11m since manufacture, bought in the look-back',
      { manufactureDate: '2021-12-01', acquiredOn: '2026-11-01', manufactureYear: 2021 },
      1,
    ],
    ['exactly 5y since manufacture', { manufactureDate: '2021-11-01', acquiredOn: '2026-11-01', manufactureYear: 2021 }, 0],
    ['5y1m since manufacture', { manufactureDate: '2021-10-01', acquiredOn: '2026-11-01', manufactureYear: 2021 }, 0],
    ['bought on the first day of the look-back', { acquiredOn: '2026-08-23' }, 1],
    ['bought the day before the look-back', { acquiredOn: '2026-08-22' }, 0],
    ['registered (no acquisition date) within the look-back', { registeredOn: '2026-09-15' }, 1],
    ['owned for years, not bought in the look-back', { registeredOn: '2024-01-10', manufactureYear: 2023 }, 0],
  ])('%s', (_name, data, n) => {
    expect(found(car(data))).toHaveLength(n);
  });

  it.each([
    ['a moped', { vehicleKind: 'moped' }],
    ['a trailer', { vehicleKind: 'trailer' }],
    ['a motorcycle at the value bar', { vehicleKind: 'motorcycle', valueKopiyky: '3069300' }],
    ['received free of charge', { acquisitionKind: 'free-of-charge' }],
    ['bought on preferential terms', { acquisitionKind: 'preferential-terms' }],
    ['self-assembled', { acquisitionKind: 'self-assembled' }],
    ['wanted', { wanted: true }],
    ['destroyed', { destroyed: true }],
    ['handed over for defence needs', { transferredForDefence: true }],
  ])('excepts the vehicle: %s', (_name, data) => {
    expect(found(car(data))).toEqual([]);
  });

  it.each([
    ['a motorcycle one kopiyka over the bar', { vehicleKind: 'motorcycle', valueKopiyky: '3069301' }],
    ['a motorcycle of unknown value', { vehicleKind: 'motorcycle' }],
    ['a purchase', { acquisitionKind: 'purchase' }],
  ])('counts the vehicle: %s', (_name, data) => {
    expect(found(car(data))).toHaveLength(1);
  });

  it.each([
    ['group I disability', 'disability:I', 0],
    ['group II disability', 'disability:II', 0],
    ['a large family', 'large_family', 0],
    ['a child with disability', 'child_with_disability', 0],
    ['a parent-educator', 'parent_educator', 0],
    ['group III disability', 'disability:III', 1],
  ])('excepts the family by status: %s', (_name, status, n) => {
    expect(found(car(), [{ personId: P }, { personId: M, statuses: [status] }])).toHaveLength(n);
  });

  it('excepts a family with a person aged 80 on the day of purchase, not 79', () => {
    expect(found(car({ acquiredOn: '2026-10-01' }), [{ personId: P, birthDate: '1946-10-01' }])).toEqual([]);
    expect(found(car({ acquiredOn: '2026-10-01' }), [{ personId: P, birthDate: '1946-10-02' }])).toHaveLength(1);
  });

  it('stops on the officer’s decision while receiving, for a vehicle bought during the period', () => {
    const during = checkVehicles(
      P,
      [car({ acquiredOn: '2026-10-01' })],
      vehicle,
      'current',
      { from: '2026-09-01', to: '2026-11-30' },
      '2026-11-30',
    );
    expect(during).toEqual([
      expect.objectContaining({ rule: 'vehicle', recommendedAction: 'stop_payment', discretion: 'officer', effectiveDate: '2026-10-01' }),
    ]);
    expect(summary(during[0]!)).toMatchObject({ scope: 'family', paymentStopsFrom: '2026-11' });
    expect(
      checkVehicles(P, [car({ acquiredOn: '2026-08-15' })], vehicle, 'current', { from: '2026-09-01', to: '2026-11-30' }, '2026-11-30'),
    ).toEqual([]);
  });
});

describe(checkPurchases.name, () => {
  const found = (facts: Fact[]) => checkPurchases(P, facts, purchase, 'preventive', period, ASOF);

  it.each([
    ['an apartment for 100 000.00 UAH', [bought('apartment', '10000000', '2026-10-01')], 0],
    ['an apartment for 100 000.01 UAH', [bought('apartment', '10000001', '2026-10-01')], 1],
    ['land for 100 000.01 UAH', [bought('land', '10000001', '2026-10-01')], 1],
    [
      'two apartments of 60 000 each (each deal on its own)',
      [bought('apartment', '6000000', '2026-09-01'), bought('apartment', '6000000', '2026-10-01')],
      0,
    ],
    ['currency 60 000.00 + 40 000.00 UAH', [bought('currency', '6000000', '2026-09-01'), bought('currency', '4000000', '2026-10-01')], 0],
    [
      'currency 60 000.00 + bank metal 40 000.01 UAH',
      [bought('currency', '6000000', '2026-09-01'), bought('bank-metal', '4000001', '2026-10-01')],
      1,
    ],
    ['housing bought with budget funds', [bought('apartment', '50000000', '2026-10-01', { fundedByBudget: true })], 0],
    ['currency bought for a donation', [bought('currency', '50000000', '2026-10-01', { purpose: 'donation' })], 0],
    ['an apartment bought before the look-back', [bought('apartment', '50000000', '2026-08-22')], 0],
  ])('%s', (_name, facts, n) => {
    const f = found(facts);
    expect(f).toHaveLength(n);
    if (n)
      expect(f[0]).toMatchObject({
        rule: 'purchase-over-threshold',
        recommendedAction: 'refuse',
        discretion: 'none',
        legalBasis: 'КМУ № 332, п. 7-1 пп. 2, 5',
      });
  });

  it('cites every counted purchase and dates the finding by the first', () => {
    const [f] = found([
      bought('currency', '6000000', '2026-09-01'),
      bought('currency', '4000001', '2026-10-01'),
      bought('house', '20000000', '2026-11-01'),
    ]);
    expect(f!.effectiveDate).toBe('2026-09-01');
    expect(f!.evidence.filter((e) => e.source !== 'verification')).toHaveLength(3);
    expect(summary(f!)).toMatchObject({ currencyAndMetalsTotalKopiyky: '10000001', realEstateOverThreshold: 1, scope: 'family' });
  });
});

describe(checkHousing.name, () => {
  const found = (facts: Fact[], members = [P, M]) => checkHousing(P, members, facts, housing, 'preventive', ASOF);

  it.each([
    ['27.30 m² for two members (13.65 each)', [home(2730)], 0],
    ['27.31 m² for two members', [home(2731)], 1],
    ['a half share of 54.60 m² for two members', [home(5460, '1/2')], 0],
    ['a half share of 54.62 m² for two members', [home(5462, '1/2')], 1],
    ['shares of two members summed: 1/3 of 60 m² and 1/3 of 60 m² (40 m² for two)', [home(6000, '1/3'), home(6000, '1/3', {}, M)], 1],
    ['13.65 m² for one member', [home(1365)], 0],
  ])('%s', (_name, facts, n) => {
    const members = facts.length === 1 && facts[0]!.data.areaSquareDecimetres === 1365 ? [P] : [P, M];
    expect(found(facts, members)).toHaveLength(n);
  });

  it.each([
    ['in a listed territory', { inListedTerritory: true }],
    ['territory not known', { inListedTerritory: null }],
    ['destroyed', { damage: 'destroyed' }],
    ['unfit for living', { damage: 'unfit' }],
    ['sold before the check', { disposedOn: '2026-01-01' }],
    ['land, not housing', { propertyKind: 'land' }],
  ])('does not count housing %s', (_name, extra) => {
    expect(found([home(9000, '1/1', extra)])).toEqual([]);
  });

  it('raises one family finding on the applicant with the area per member', () => {
    const [f] = found([home(4000)]);
    expect(f).toMatchObject({
      personId: P,
      rule: 'housing-area',
      recommendedAction: 'refuse',
      discretion: 'none',
      legalBasis: 'КМУ № 332, п. 7-1 (житло)',
    });
    expect(summary(f!)).toMatchObject({
      scope: 'family',
      members: 2,
      ownedAreaPerMemberSquareDecimetres: '2000',
      maxAreaPerMemberSquareDecimetres: 1365,
    });
  });
});
