import { addDays, addMonths, addMonthsToMonth, compareDates, monthOf, parseDate, type CalendarDate } from '@eisss/platform';

/** Kinds of facts kept from other registers (one row each in verification.fact). */
export type FactKind = 'death' | 'birth' | 'border-crossing' | 'income' | 'deposit' | 'vehicle' | 'property';
export type CheckMode = 'preventive' | 'current' | 'retrospective';
export type RecommendedAction = 'none' | 'review' | 'refuse' | 'suspend' | 'stop_payment';

export interface Fact<D = Record<string, unknown>> {
  source: string;
  kind: FactKind;
  reference: string;
  personId: string;
  occurredOn: CalendarDate;
  data: D;
}

export interface Evidence {
  source: string;
  reference: string;
  facts: Record<string, unknown>;
}

/** A finding before it is stored: `dedupeRef` identifies the evidence, so a rerun finds it again and raises nothing new. */
export interface FindingDraft {
  personId: string;
  rule: RuleId;
  recommendedAction: RecommendedAction;
  effectiveDate: CalendarDate | null;
  evidence: Evidence[];
  dedupeRef: string;
}

export interface Period {
  from: CalendarDate;
  to: CalendarDate;
}

export interface RecipientAssignment {
  assignmentId: string;
  programmeCode: string;
  recipientPersonId: string;
  memberPersonIds: string[];
  katottg: string;
  status: 'active' | 'suspended' | 'terminated';
}

export const RuleIds = ['death', 'abroad', 'deposit-over-threshold', 'vehicle', 'income-over-threshold', 'duplicate-registration'] as const;
export type RuleId = (typeof RuleIds)[number];

/** One row of the rule table: the parameters of a rule from a date (to a date, exclusive). */
export interface RuleParameterRow {
  ruleId: string;
  effectiveFrom: CalendarDate;
  effectiveTo: CalendarDate | null;
  parameters: Record<string, unknown>;
  legalBasis: string;
}

export interface DeathParams { preventiveAction: RecommendedAction; currentAction: RecommendedAction }
export interface AbroadParams { maxConsecutiveDays: number; maxTotalDays: number; preventiveAction: RecommendedAction; currentAction: RecommendedAction }
export interface DepositParams { thresholdKopiyky: string; lookbackMonths: number; preventiveAction: RecommendedAction; currentAction: RecommendedAction }
export interface VehicleParams { newVehicleMaxAgeYears: number; oldVehicleMaxAgeYears: number; oldVehicleCount: number; action: RecommendedAction }
export interface IncomeParams { monthlyThresholdPerPersonKopiyky: string; months: number; excludedIncomeKinds: string[]; action: RecommendedAction }
export interface DuplicateParams { action: RecommendedAction }

export interface RuleSet {
  death?: DeathParams & { legalBasis: string };
  abroad?: AbroadParams & { legalBasis: string };
  'deposit-over-threshold'?: DepositParams & { legalBasis: string };
  vehicle?: VehicleParams & { legalBasis: string };
  'income-over-threshold'?: IncomeParams & { legalBasis: string };
  'duplicate-registration'?: DuplicateParams & { legalBasis: string };
}

/** The parameters of each rule in force on a date (a rule with no row in force is not checked). */
export function rulesOn(rows: RuleParameterRow[], on: CalendarDate): RuleSet {
  const set: Record<string, unknown> = {};
  for (const r of rows) {
    if (compareDates(r.effectiveFrom, on) > 0) continue;
    if (r.effectiveTo !== null && compareDates(on, r.effectiveTo) >= 0) continue;
    set[r.ruleId] = { ...r.parameters, legalBasis: r.legalBasis };
  }
  return set as RuleSet;
}

const DAY_MS = 86_400_000;
/** Days from `a` to `b` (b − a). */
export function daysBetween(a: CalendarDate, b: CalendarDate): number {
  return Math.round((parseDate(b).getTime() - parseDate(a).getTime()) / DAY_MS);
}
const minDate = (a: CalendarDate, b: CalendarDate) => (compareDates(a, b) <= 0 ? a : b);
const maxDate = (a: CalendarDate, b: CalendarDate) => (compareDates(a, b) >= 0 ? a : b);

function actionFor(mode: CheckMode, p: { preventiveAction: RecommendedAction; currentAction: RecommendedAction }): RecommendedAction {
  return mode === 'preventive' ? p.preventiveAction : p.currentAction;
}

function evidenceOf(f: Fact, facts: Record<string, unknown> = f.data): Evidence {
  return { source: f.source, reference: f.reference, facts };
}

// ---------------------------------------------------------------- death

/** A registered death on or before the end of the period: stop payment from the date of death (refuse at application). */
export function checkDeath(personId: string, facts: Fact[], p: DeathParams, mode: CheckMode, period: Period): FindingDraft[] {
  const deaths = facts
    .filter((f) => f.kind === 'death' && f.personId === personId)
    .filter((f) => compareDates(String(f.data.deathDate), period.to) <= 0)
    .sort((a, b) => compareDates(String(a.data.deathDate), String(b.data.deathDate)));
  const d = deaths[0];
  if (!d) return [];
  const deathDate = String(d.data.deathDate);
  return [
    {
      personId,
      rule: 'death',
      recommendedAction: actionFor(mode, p),
      effectiveDate: deathDate,
      evidence: [evidenceOf(d, { deathDate, registeredOn: d.data.registeredOn, referenceId: d.reference })],
      dedupeRef: d.reference,
    },
  ];
}

// ---------------------------------------------------------------- abroad

export interface StayAbroad {
  exitOn: CalendarDate;
  /** Day of return; null while still abroad. */
  entryOn: CalendarDate | null;
  exitReference: string;
  entryReference: string | null;
  source: string;
}

/** Pairs exits with the next entry. An entry with no exit before it is ignored (the exit is not known). */
export function staysAbroad(crossings: Fact[]): StayAbroad[] {
  const sorted = [...crossings].sort((a, b) => compareDates(a.occurredOn, b.occurredOn) || (a.data.direction === 'entry' ? -1 : 1));
  const stays: StayAbroad[] = [];
  let open: StayAbroad | null = null;
  for (const c of sorted) {
    if (c.data.direction === 'exit') {
      if (!open) open = { exitOn: c.occurredOn, entryOn: null, exitReference: c.reference, entryReference: null, source: c.source };
    } else if (open) {
      open.entryOn = c.occurredOn;
      open.entryReference = c.reference;
      stays.push(open);
      open = null;
    }
  }
  if (open) stays.push(open);
  return stays;
}

/**
 * Days abroad of a stay are counted from the day of exit to the day before the return (a stay from
 * 01.09 to 01.10 is 30 days); a stay not yet ended runs to the end of the period inclusive.
 * More than `maxConsecutiveDays` in one stay, or more than `maxTotalDays` in total within the period,
 * is a finding (suspend; refuse at application). The effective date is the first day over the limit.
 */
export function checkAbroad(personId: string, facts: Fact[], p: AbroadParams, mode: CheckMode, period: Period): FindingDraft[] {
  const stays = staysAbroad(facts.filter((f) => f.kind === 'border-crossing' && f.personId === personId));
  const periodEnd = addDays(period.to, 1); // exclusive
  let longest: { stay: StayAbroad; days: number } | null = null;
  let consecutiveEffective: CalendarDate | null = null;
  let total = 0;
  let totalEffective: CalendarDate | null = null;
  const involved: StayAbroad[] = [];
  for (const s of stays) {
    const end = minDate(s.entryOn ?? periodEnd, periodEnd);
    if (compareDates(end, period.from) <= 0 || compareDates(s.exitOn, periodEnd) >= 0) continue; // outside the period
    involved.push(s);
    const consecutive = daysBetween(s.exitOn, end);
    if (!longest || consecutive > longest.days) longest = { stay: s, days: consecutive };
    if (consecutive > p.maxConsecutiveDays && !consecutiveEffective) consecutiveEffective = addDays(s.exitOn, p.maxConsecutiveDays);
    const start = maxDate(s.exitOn, period.from);
    const inPeriod = daysBetween(start, end);
    if (!totalEffective && total + inPeriod > p.maxTotalDays) totalEffective = addDays(start, p.maxTotalDays - total);
    total += inPeriod;
  }
  const overConsecutive = consecutiveEffective !== null;
  const overTotal = total > p.maxTotalDays;
  if (!overConsecutive && !overTotal) return [];
  const effectiveDate = [consecutiveEffective, totalEffective].filter((d): d is string => d !== null).sort()[0] ?? null;
  const limitsExceeded = [...(overConsecutive ? ['consecutive'] : []), ...(overTotal ? ['total'] : [])];
  const evidence: Evidence[] = [];
  for (const s of involved) {
    evidence.push({ source: s.source, reference: s.exitReference, facts: { direction: 'exit', crossedOn: s.exitOn } });
    if (s.entryReference) evidence.push({ source: s.source, reference: s.entryReference, facts: { direction: 'entry', crossedOn: s.entryOn } });
  }
  evidence.push({
    source: 'verification',
    reference: 'abroad-summary',
    facts: {
      limitsExceeded,
      longestStayDays: longest?.days ?? 0,
      totalDaysInPeriod: total,
      maxConsecutiveDays: p.maxConsecutiveDays,
      maxTotalDays: p.maxTotalDays,
      periodFrom: period.from,
      periodTo: period.to,
    },
  });
  const refs = involved.map((s) => s.exitReference).join(',');
  return [{ personId, rule: 'abroad', recommendedAction: actionFor(mode, p), effectiveDate, evidence, dedupeRef: `${limitsExceeded.join('+')}:${refs}` }];
}

// ---------------------------------------------------------------- deposits

/**
 * The latest reported balance of each deposit account within the look-back (months before `asOf`),
 * summed per person; more than the threshold (strictly) is a finding.
 */
export function checkDeposits(personId: string, facts: Fact[], p: DepositParams, mode: CheckMode, asOf: CalendarDate): FindingDraft[] {
  const since = addMonths(asOf, -p.lookbackMonths);
  const latest = new Map<string, Fact>();
  for (const f of facts) {
    if (f.kind !== 'deposit' || f.personId !== personId) continue;
    if (compareDates(f.occurredOn, since) < 0 || compareDates(f.occurredOn, asOf) > 0) continue;
    const account = `${String(f.data.bankCode)}/${String(f.data.accountReference)}`;
    const prev = latest.get(account);
    if (!prev || compareDates(prev.occurredOn, f.occurredOn) < 0) latest.set(account, f);
  }
  const accounts = [...latest.values()];
  const total = accounts.reduce((s, f) => s + BigInt(String(f.data.balanceKopiyky)), 0n);
  const threshold = BigInt(p.thresholdKopiyky);
  if (total <= threshold) return [];
  const evidence = accounts.map((f) => evidenceOf(f, { bankCode: f.data.bankCode, accountReference: f.data.accountReference, balanceKopiyky: String(f.data.balanceKopiyky), asOf: f.occurredOn }));
  evidence.push({ source: 'verification', reference: 'deposit-summary', facts: { totalKopiyky: total.toString(), thresholdKopiyky: threshold.toString(), lookbackFrom: since, asOf } });
  return [
    {
      personId,
      rule: 'deposit-over-threshold',
      recommendedAction: actionFor(mode, p),
      effectiveDate: accounts.map((f) => f.occurredOn).sort()[0] ?? asOf,
      evidence,
      dedupeRef: accounts.map((f) => f.reference).sort().join(','),
    },
  ];
}

// ---------------------------------------------------------------- vehicles

/**
 * Vehicles owned on `asOf` (registered, not deregistered). Age in years = year of `asOf` − year of
 * manufacture. A vehicle under 5 years old, or two (or more) vehicles under 15, is a finding (review).
 */
export function checkVehicles(personId: string, facts: Fact[], p: VehicleParams, asOf: CalendarDate): FindingDraft[] {
  const year = Number(asOf.slice(0, 4));
  const owned = facts.filter(
    (f) =>
      f.kind === 'vehicle' &&
      f.personId === personId &&
      compareDates(String(f.data.registeredOn), asOf) <= 0 &&
      (f.data.deregisteredOn === null || f.data.deregisteredOn === undefined || compareDates(String(f.data.deregisteredOn), asOf) > 0),
  );
  const aged = owned.map((f) => ({ f, age: year - Number(f.data.manufactureYear) }));
  const newer = aged.filter((v) => v.age < p.newVehicleMaxAgeYears);
  const younger = aged.filter((v) => v.age < p.oldVehicleMaxAgeYears);
  const signals = [...(newer.length > 0 ? ['vehicle-under-5-years'] : []), ...(younger.length >= p.oldVehicleCount ? ['vehicles-under-15-years'] : [])];
  if (signals.length === 0) return [];
  const involved = newer.length > 0 && younger.length < p.oldVehicleCount ? newer : younger;
  const evidence = involved.map((v) =>
    evidenceOf(v.f, { vehicleKind: v.f.data.vehicleKind, make: v.f.data.make, manufactureYear: v.f.data.manufactureYear, ageYears: v.age, registeredOn: v.f.data.registeredOn }),
  );
  evidence.push({ source: 'verification', reference: 'vehicle-summary', facts: { signals, asOf, newVehicleMaxAgeYears: p.newVehicleMaxAgeYears, oldVehicleMaxAgeYears: p.oldVehicleMaxAgeYears } });
  return [
    {
      personId,
      rule: 'vehicle',
      recommendedAction: p.action,
      effectiveDate: involved.map((v) => String(v.f.data.registeredOn)).sort().at(-1) ?? asOf,
      evidence,
      dedupeRef: `${signals.join('+')}:${involved.map((v) => v.f.reference).sort().join(',')}`,
    },
  ];
}

// ---------------------------------------------------------------- income

/**
 * Average monthly income per person over the `months` full months before the month of `asOf`
 * (one-off and military income not counted) above the threshold is a finding on the applicant or
 * recipient. Compared without division: total > threshold × months × persons.
 */
export function checkIncome(subjectPersonId: string, householdPersonIds: string[], facts: Fact[], p: IncomeParams, asOf: CalendarDate): FindingDraft[] {
  const lastMonth = addMonthsToMonth(monthOf(asOf), -1);
  const firstMonth = addMonthsToMonth(lastMonth, -(p.months - 1));
  const members = new Set(householdPersonIds);
  const counted = facts.filter(
    (f) =>
      f.kind === 'income' &&
      members.has(f.personId) &&
      String(f.data.month) >= firstMonth &&
      String(f.data.month) <= lastMonth &&
      !p.excludedIncomeKinds.includes(String(f.data.incomeKind)),
  );
  const total = counted.reduce((s, f) => s + BigInt(String(f.data.amountKopiyky)), 0n);
  const persons = BigInt(Math.max(1, members.size));
  const threshold = BigInt(p.monthlyThresholdPerPersonKopiyky);
  if (total <= threshold * BigInt(p.months) * persons) return [];
  const averagePerPerson = total / (BigInt(p.months) * persons);
  const evidence = counted.map((f) => evidenceOf(f, { month: f.data.month, incomeKind: f.data.incomeKind, amountKopiyky: String(f.data.amountKopiyky) }));
  evidence.push({
    source: 'verification',
    reference: 'income-summary',
    facts: {
      months: `${firstMonth}..${lastMonth}`,
      persons: members.size,
      totalKopiyky: total.toString(),
      averageMonthlyPerPersonKopiyky: averagePerPerson.toString(),
      thresholdKopiyky: threshold.toString(),
    },
  });
  return [
    {
      personId: subjectPersonId,
      rule: 'income-over-threshold',
      recommendedAction: p.action,
      effectiveDate: null,
      evidence,
      dedupeRef: `${firstMonth}..${lastMonth}:${counted.map((f) => f.reference).sort().join(',')}`,
    },
  ];
}

// ---------------------------------------------------------------- duplicate registration

/**
 * The same person (recipient or member) active in two assignments of the same programme with
 * different КАТОТТГ. At application, the application's programme and community count as one of them.
 */
export function checkDuplicateRegistration(
  personId: string,
  assignments: RecipientAssignment[],
  p: DuplicateParams,
  candidate?: { programmeCode: string; katottg: string; reference: string },
): FindingDraft[] {
  const active = assignments.filter((a) => a.status === 'active' && (a.recipientPersonId === personId || a.memberPersonIds.includes(personId)));
  const byProgramme = new Map<string, { reference: string; katottg: string; source: string }[]>();
  for (const a of active) {
    const list = byProgramme.get(a.programmeCode) ?? [];
    list.push({ reference: a.assignmentId, katottg: a.katottg, source: 'social-processing' });
    byProgramme.set(a.programmeCode, list);
  }
  if (candidate) {
    const list = byProgramme.get(candidate.programmeCode) ?? [];
    list.push({ reference: candidate.reference, katottg: candidate.katottg, source: 'application' });
    byProgramme.set(candidate.programmeCode, list);
  }
  const out: FindingDraft[] = [];
  for (const [programmeCode, list] of byProgramme) {
    if (new Set(list.map((x) => x.katottg)).size < 2) continue;
    out.push({
      personId,
      rule: 'duplicate-registration',
      recommendedAction: p.action,
      effectiveDate: null,
      evidence: list.map((x) => ({ source: x.source, reference: x.reference, facts: { programmeCode, katottg: x.katottg } })),
      dedupeRef: `${programmeCode}:${list.map((x) => x.reference).sort().join(',')}`,
    });
  }
  return out;
}

// ---------------------------------------------------------------- all rules

export interface CheckInput {
  mode: CheckMode;
  /** The applicant or recipient (income findings are raised on them). */
  subjectPersonId: string;
  /** Everyone checked: the subject and the members. */
  personIds: string[];
  period: Period;
  /** The day the check looks from (rules and their parameters in force on this day). */
  asOf: CalendarDate;
  facts: Fact[];
  assignments: RecipientAssignment[];
  rules: RuleSet;
  /** At application: the programme and community applied for. */
  candidate?: { programmeCode: string; katottg: string; reference: string };
}

/** Runs every rule in force on `asOf` over the persons; returns the findings. */
export function evaluate(input: CheckInput): FindingDraft[] {
  const { rules: r, mode, period, asOf, facts } = input;
  const out: FindingDraft[] = [];
  for (const personId of input.personIds) {
    if (r.death) out.push(...checkDeath(personId, facts, r.death, mode, period));
    if (r.abroad) out.push(...checkAbroad(personId, facts, r.abroad, mode, period));
    if (r['deposit-over-threshold']) out.push(...checkDeposits(personId, facts, r['deposit-over-threshold'], mode, asOf));
    if (r.vehicle) out.push(...checkVehicles(personId, facts, r.vehicle, asOf));
    if (r['duplicate-registration']) out.push(...checkDuplicateRegistration(personId, input.assignments, r['duplicate-registration'], input.candidate));
  }
  if (r['income-over-threshold']) out.push(...checkIncome(input.subjectPersonId, input.personIds, facts, r['income-over-threshold'], asOf));
  return out;
}
