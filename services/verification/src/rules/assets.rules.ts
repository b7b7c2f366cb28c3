import { addMonths, ageOn, compareDates, type CalendarDate } from '@eisss/platform';
import {
  actionFor,
  evidenceOf,
  hasAnyStatus,
  lookbackWindow,
  stopsFromMonth,
  within,
  type CheckedPerson,
  type CheckMode,
  type Evidence,
  type Fact,
  type FindingDraft,
  type ModeActions,
  type Period,
  type StopsFrom,
  type WithBasis,
} from './rule-model';

/** Property tests refuse or stop the assistance of the whole family (КМУ № 332, п. 7-1): `scope: 'family'` on the summary. */
const familySummary = (personId: string, stopsFrom: StopsFrom, on: CalendarDate) => ({
  personId,
  scope: 'family',
  paymentStopsFrom: stopsFromMonth(on, stopsFrom),
});

// ---------------------------------------------------------------- deposits

export interface DepositParams extends ModeActions {
  thresholdKopiyky: string;
  lookbackMonths: number;
  stopsFrom: StopsFrom;
  /** A person with one of these statuses is exempt (orphans, children deprived of parental care, children placed in families: from 26.08.2025). */
  exemptStatuses: string[];
}

/**
 * The highest total balance of the person's deposit accounts on any day of the look-back (`lookbackMonths` before `asOf`),
 * the total on a day being the sum of each account's latest report up to that day; more than the threshold
 * (strictly) is a finding. A person with an exempt status raises nothing.
 */
export function checkDeposits(
  personId: string,
  facts: Fact[],
  p: WithBasis<DepositParams>,
  mode: CheckMode,
  asOf: CalendarDate,
  person?: CheckedPerson,
): FindingDraft[] {
  const spec = actionFor(mode, p);
  if (!spec || hasAnyStatus(person, p.exemptStatuses)) return [];
  const since = addMonths(asOf, -p.lookbackMonths);
  const reports = facts
    .filter((f) => f.kind === 'deposit' && f.personId === personId && within(f.occurredOn, since, asOf))
    .sort((a, b) => compareDates(a.occurredOn, b.occurredOn) || a.reference.localeCompare(b.reference));
  const account = (f: Fact) => `${String(f.data.bankCode)}/${String(f.data.accountReference)}`;
  const latest = new Map<string, Fact>();
  let max = 0n;
  let atMax: { on: CalendarDate; accounts: Fact[] } | null = null;
  for (let i = 0; i < reports.length; i++) {
    const f = reports[i]!;
    latest.set(account(f), f);
    if (reports[i + 1]?.occurredOn === f.occurredOn) continue; // all reports of the day first
    const total = [...latest.values()].reduce((s, x) => s + BigInt(String(x.data.balanceKopiyky)), 0n);
    if (total > max || atMax === null) {
      max = total;
      atMax = { on: f.occurredOn, accounts: [...latest.values()] };
    }
  }
  const threshold = BigInt(p.thresholdKopiyky);
  if (!atMax || max <= threshold) return [];
  const evidence = atMax.accounts.map((f) =>
    evidenceOf(f, {
      bankCode: f.data.bankCode,
      accountReference: f.data.accountReference,
      balanceKopiyky: String(f.data.balanceKopiyky),
      asOf: f.occurredOn,
    }),
  );
  evidence.push({
    source: 'verification',
    reference: 'deposit-summary',
    facts: {
      ...familySummary(personId, p.stopsFrom, atMax.on),
      totalKopiyky: max.toString(),
      maxBalanceOn: atMax.on,
      reportsInLookback: reports.length,
      thresholdKopiyky: threshold.toString(),
      lookbackFrom: since,
      asOf,
    },
  });
  return [
    {
      personId,
      rule: 'deposit-over-threshold',
      recommendedAction: spec.action,
      discretion: spec.discretion,
      legalBasis: p.legalBasis,
      effectiveDate: atMax.on,
      evidence,
      dedupeRef: atMax.accounts
        .map((f) => f.reference)
        .sort()
        .join(','),
    },
  ];
}

// ---------------------------------------------------------------- vehicles

export interface VehicleParams extends ModeActions {
  /** Bought with fewer than this many years since manufacture. */
  maxAgeYears: number;
  lookbackMonths: number;
  stopsFrom: StopsFrom;
  /** Kinds never counted (moped, trailer). */
  excludedKinds: string[];
  /** Motorcycles with a value at acquisition not above this bar are not counted. */
  motorcycleKinds: string[];
  motorcycleValueBarKopiyky: string | null;
  /** Acquisitions that are not a purchase in the act's sense (free of charge, preferential terms, self-assembled). */
  exemptAcquisitionKinds: string[];
  /** A family with one of these statuses is exempt (group I–II disability, large family, child with disability, parent-educators). */
  exemptFamilyStatuses: string[];
  /** A family with a person of this age or older on the day of the purchase is exempt. */
  exemptAgeYears: number;
}

/** Whole years and months from manufacture to purchase: fewer than `years` years? (only the year known: the difference of years). */
export function underAge(manufactureYear: number, manufactureDate: CalendarDate | null, purchasedOn: CalendarDate, years: number): boolean {
  if (manufactureDate) return compareDates(addMonths(manufactureDate, years * 12), purchasedOn) > 0;
  return Number(purchasedOn.slice(0, 4)) - manufactureYear < years;
}

/**
 * A vehicle bought (registered to the person) within the look-back with fewer than `maxAgeYears` since manufacture is a
 * finding, unless the act excepts it: the kind (moped, trailer; a motorcycle under the value bar), the way it was
 * acquired (free of charge, preferential terms, self-assembled), its state (wanted, destroyed, handed over for defence),
 * or the family (group I–II disability, large family, a child with disability, a person aged 80+).
 */
export function checkVehicles(
  personId: string,
  facts: Fact[],
  p: WithBasis<VehicleParams>,
  mode: CheckMode,
  period: Period,
  asOf: CalendarDate,
  family: CheckedPerson[] = [],
): FindingDraft[] {
  const spec = actionFor(mode, p);
  if (!spec) return [];
  const window = lookbackWindow(mode, period, asOf, p.lookbackMonths);
  if (family.some((m) => hasAnyStatus(m, p.exemptFamilyStatuses))) return [];
  const bar = p.motorcycleValueBarKopiyky === null ? null : BigInt(p.motorcycleValueBarKopiyky);
  const counted = facts.filter((f) => {
    if (f.kind !== 'vehicle' || f.personId !== personId) return false;
    const d = f.data;
    const purchasedOn = String(d.acquiredOn ?? d.registeredOn);
    if (!within(purchasedOn, window.from, window.to)) return false;
    if (!underAge(Number(d.manufactureYear), (d.manufactureDate as string | null | undefined) ?? null, purchasedOn, p.maxAgeYears))
      return false;
    const kind = String(d.vehicleKind);
    if (p.excludedKinds.includes(kind)) return false;
    if (p.motorcycleKinds.includes(kind) && bar !== null && d.valueKopiyky != null && BigInt(String(d.valueKopiyky)) <= bar) return false;
    if (d.acquisitionKind != null && p.exemptAcquisitionKinds.includes(String(d.acquisitionKind))) return false;
    if (d.wanted === true || d.destroyed === true || d.transferredForDefence === true) return false;
    if (family.some((m) => m.birthDate && ageOn(m.birthDate, purchasedOn) >= p.exemptAgeYears)) return false;
    return true;
  });
  if (counted.length === 0) return [];
  const purchasedOn = (f: Fact) => String(f.data.acquiredOn ?? f.data.registeredOn);
  const first = counted.map(purchasedOn).sort()[0]!;
  const evidence: Evidence[] = counted.map((f) =>
    evidenceOf(f, {
      vehicleKind: f.data.vehicleKind,
      make: f.data.make,
      manufactureYear: f.data.manufactureYear,
      manufactureDate: f.data.manufactureDate ?? null,
      purchasedOn: purchasedOn(f),
      acquisitionKind: f.data.acquisitionKind ?? null,
    }),
  );
  evidence.push({
    source: 'verification',
    reference: 'vehicle-summary',
    facts: { ...familySummary(personId, p.stopsFrom, first), maxAgeYears: p.maxAgeYears, lookbackFrom: window.from, asOf },
  });
  return [
    {
      personId,
      rule: 'vehicle',
      recommendedAction: spec.action,
      discretion: spec.discretion,
      legalBasis: p.legalBasis,
      effectiveDate: first,
      evidence,
      dedupeRef: counted
        .map((f) => f.reference)
        .sort()
        .join(','),
    },
  ];
}

// ---------------------------------------------------------------- purchases

export interface PurchaseParams extends ModeActions {
  thresholdKopiyky: string;
  lookbackMonths: number;
  stopsFrom: StopsFrom;
  /** Asset kinds whose purchases are summed within the look-back (currency, bank metals). */
  summedKinds: string[];
  /** Asset kinds where each purchase is compared on its own (real estate, land). */
  perPurchaseKinds: string[];
  /** Declared purposes that are exceptions (donation, social services). */
  exemptPurposes: string[];
}

/**
 * Purchases within the look-back over the threshold (strictly): each real-estate or land deal on its own (housing paid
 * from the state or local budget not counted); currency and bank metals summed over the look-back (purchases for an
 * exempt purpose not counted).
 */
export function checkPurchases(
  personId: string,
  facts: Fact[],
  p: WithBasis<PurchaseParams>,
  mode: CheckMode,
  period: Period,
  asOf: CalendarDate,
): FindingDraft[] {
  const spec = actionFor(mode, p);
  if (!spec) return [];
  const window = lookbackWindow(mode, period, asOf, p.lookbackMonths);
  const threshold = BigInt(p.thresholdKopiyky);
  const inWindow = facts.filter(
    (f) =>
      f.kind === 'purchase' &&
      f.personId === personId &&
      within(f.occurredOn, window.from, window.to) &&
      f.data.fundedByBudget !== true &&
      !(f.data.purpose != null && p.exemptPurposes.includes(String(f.data.purpose))),
  );
  const amount = (f: Fact) => BigInt(String(f.data.amountKopiyky));
  const single = inWindow.filter((f) => p.perPurchaseKinds.includes(String(f.data.assetKind)) && amount(f) > threshold);
  const summed = inWindow.filter((f) => p.summedKinds.includes(String(f.data.assetKind)));
  const summedTotal = summed.reduce((s, f) => s + amount(f), 0n);
  const counted = [...single, ...(summedTotal > threshold ? summed : [])].sort((a, b) => compareDates(a.occurredOn, b.occurredOn));
  if (counted.length === 0) return [];
  const effectiveDate = counted[0]!.occurredOn;
  const evidence: Evidence[] = counted.map((f) =>
    evidenceOf(f, { assetKind: f.data.assetKind, amountKopiyky: String(f.data.amountKopiyky), purchasedOn: f.occurredOn }),
  );
  evidence.push({
    source: 'verification',
    reference: 'purchase-summary',
    facts: {
      ...familySummary(personId, p.stopsFrom, effectiveDate),
      thresholdKopiyky: threshold.toString(),
      currencyAndMetalsTotalKopiyky: summedTotal.toString(),
      realEstateOverThreshold: single.length,
      lookbackFrom: window.from,
      asOf,
    },
  });
  return [
    {
      personId,
      rule: 'purchase-over-threshold',
      recommendedAction: spec.action,
      discretion: spec.discretion,
      legalBasis: p.legalBasis,
      effectiveDate,
      evidence,
      dedupeRef: counted
        .map((f) => f.reference)
        .sort()
        .join(','),
    },
  ];
}

// ---------------------------------------------------------------- housing

export interface HousingParams extends ModeActions {
  /** Area per family member allowed, dm² (13.65 m² = 1365 dm²). */
  maxAreaPerMemberSquareDecimetres: number;
  residentialKinds: string[];
  stopsFrom: StopsFrom;
}

function share(s: unknown): [bigint, bigint] {
  const m = /^([0-9]+)\/([0-9]+)$/.exec(String(s));
  if (!m || BigInt(m[2]!) === 0n) return [1n, 1n];
  return [BigInt(m[1]!), BigInt(m[2]!)];
}

/**
 * Housing the family owns on `asOf` in a safe territory (a property fact with `inListedTerritory: false`; unknown is not
 * counted), not destroyed or unfit: the owned area (area × share, summed over the members) above
 * `maxAreaPerMemberSquareDecimetres` × members (strictly) is a finding on the applicant or recipient.
 * Compared without division: Σ area·num·(D/den) > limit·members·D.
 */
export function checkHousing(
  subjectPersonId: string,
  familyPersonIds: string[],
  facts: Fact[],
  p: WithBasis<HousingParams>,
  mode: CheckMode,
  asOf: CalendarDate,
): FindingDraft[] {
  const spec = actionFor(mode, p);
  if (!spec) return [];
  const members = new Set(familyPersonIds);
  const owned = facts.filter(
    (f) =>
      f.kind === 'property' &&
      members.has(f.personId) &&
      p.residentialKinds.includes(String(f.data.propertyKind)) &&
      f.data.inListedTerritory === false &&
      f.data.damage == null &&
      f.data.areaSquareDecimetres != null &&
      compareDates(String(f.data.acquiredOn), asOf) <= 0 &&
      (f.data.disposedOn == null || compareDates(String(f.data.disposedOn), asOf) > 0),
  );
  if (owned.length === 0) return [];
  const parts = owned.map((f) => ({ f, area: BigInt(Number(f.data.areaSquareDecimetres)), share: share(f.data.share) }));
  const D = parts.reduce((d, x) => d * x.share[1], 1n);
  const ownedScaled = parts.reduce((s, x) => s + (x.area * x.share[0] * D) / x.share[1], 0n);
  const limitScaled = BigInt(p.maxAreaPerMemberSquareDecimetres) * BigInt(members.size) * D;
  if (ownedScaled <= limitScaled) return [];
  const perMemberDm2 = ownedScaled / (D * BigInt(members.size)); // rounded down, for the explanation only
  const evidence: Evidence[] = parts.map((x) =>
    evidenceOf(x.f, {
      propertyKind: x.f.data.propertyKind,
      katottg: x.f.data.katottg,
      areaSquareDecimetres: x.f.data.areaSquareDecimetres,
      share: x.f.data.share,
    }),
  );
  evidence.push({
    source: 'verification',
    reference: 'housing-summary',
    facts: {
      ...familySummary(subjectPersonId, p.stopsFrom, asOf),
      members: members.size,
      ownedAreaPerMemberSquareDecimetres: perMemberDm2.toString(),
      maxAreaPerMemberSquareDecimetres: p.maxAreaPerMemberSquareDecimetres,
      asOf,
    },
  });
  return [
    {
      personId: subjectPersonId,
      rule: 'housing-area',
      recommendedAction: spec.action,
      discretion: spec.discretion,
      legalBasis: p.legalBasis,
      effectiveDate: asOf,
      evidence,
      dedupeRef: `${members.size}:${owned
        .map((f) => f.reference)
        .sort()
        .join(',')}`,
    },
  ];
}
