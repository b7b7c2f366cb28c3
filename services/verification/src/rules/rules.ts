import { addMonthsToMonth, compareDates, monthOf, type CalendarDate, type WorkingCalendar } from '@eisss/platform';
import {
  checkAbroad,
  checkAbroadAtApplication,
  checkAbroadOver90,
  type AbroadAtApplicationParams,
  type AbroadOver90Params,
  type AbroadParams,
} from './abroad.rules';
import {
  checkDeposits,
  checkHousing,
  checkPurchases,
  checkVehicles,
  type DepositParams,
  type HousingParams,
  type PurchaseParams,
  type VehicleParams,
} from './assets.rules';
import {
  actionFor,
  evidenceOf,
  type CheckedPerson,
  type CheckMode,
  type FindingDraft,
  type Fact,
  type ModeActions,
  type Period,
  type RecipientAssignment,
  type RuleParameterRow,
  type WithBasis,
} from './rule-model';

export * from './rule-model';
export * from './abroad.rules';
export * from './assets.rules';

export type DeathParams = ModeActions;
export interface IncomeParams extends ModeActions {
  monthlyThresholdPerPersonKopiyky: string;
  months: number;
  excludedIncomeKinds: string[];
}
export type DuplicateParams = ModeActions;

export interface RuleSet {
  death?: WithBasis<DeathParams>;
  abroad?: WithBasis<AbroadParams>;
  'abroad-at-application'?: WithBasis<AbroadAtApplicationParams>;
  'abroad-over-90-days'?: WithBasis<AbroadOver90Params>;
  'deposit-over-threshold'?: WithBasis<DepositParams>;
  vehicle?: WithBasis<VehicleParams>;
  'purchase-over-threshold'?: WithBasis<PurchaseParams>;
  'housing-area'?: WithBasis<HousingParams>;
  'income-over-threshold'?: WithBasis<IncomeParams>;
  'duplicate-registration'?: WithBasis<DuplicateParams>;
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

// ---------------------------------------------------------------- death

/** A registered death on or before the end of the period: stop payment from the date of death (refuse at application). */
export function checkDeath(personId: string, facts: Fact[], p: WithBasis<DeathParams>, mode: CheckMode, period: Period): FindingDraft[] {
  const spec = actionFor(mode, p);
  if (!spec) return [];
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
      recommendedAction: spec.action,
      discretion: spec.discretion,
      legalBasis: p.legalBasis,
      effectiveDate: deathDate,
      evidence: [evidenceOf(d, { deathDate, registeredOn: d.data.registeredOn, referenceId: d.reference })],
      dedupeRef: d.reference,
    },
  ];
}

// ---------------------------------------------------------------- income

/**
 * Average monthly income per person over the `months` full months before the month of `asOf`
 * (one-off and military income not counted) above the threshold is a finding on the applicant or
 * recipient. Compared without division: total > threshold × months × persons.
 */
export function checkIncome(
  subjectPersonId: string,
  householdPersonIds: string[],
  facts: Fact[],
  p: WithBasis<IncomeParams>,
  asOf: CalendarDate,
  mode: CheckMode = 'current',
): FindingDraft[] {
  const spec = actionFor(mode, p);
  if (!spec) return [];
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
  const evidence = counted.map((f) =>
    evidenceOf(f, { month: f.data.month, incomeKind: f.data.incomeKind, amountKopiyky: String(f.data.amountKopiyky) }),
  );
  evidence.push({
    source: 'verification',
    reference: 'income-summary',
    facts: {
      personId: subjectPersonId,
      scope: 'family',
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
      recommendedAction: spec.action,
      discretion: spec.discretion,
      legalBasis: p.legalBasis,
      effectiveDate: null,
      evidence,
      dedupeRef: `${firstMonth}..${lastMonth}:${counted
        .map((f) => f.reference)
        .sort()
        .join(',')}`,
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
  p: WithBasis<DuplicateParams>,
  candidate?: { programmeCode: string; katottg: string; reference: string },
  mode: CheckMode = candidate ? 'preventive' : 'current',
): FindingDraft[] {
  const spec = actionFor(mode, p);
  if (!spec) return [];
  const active = assignments.filter(
    (a) => a.status === 'active' && (a.recipientPersonId === personId || a.memberPersonIds.includes(personId)),
  );
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
      recommendedAction: spec.action,
      discretion: spec.discretion,
      legalBasis: p.legalBasis,
      effectiveDate: null,
      evidence: list.map((x) => ({ source: x.source, reference: x.reference, facts: { programmeCode, katottg: x.katottg } })),
      dedupeRef: `${programmeCode}:${list
        .map((x) => x.reference)
        .sort()
        .join(',')}`,
    });
  }
  return out;
}

// ---------------------------------------------------------------- all rules

export interface CheckInput {
  mode: CheckMode;
  /** The applicant or recipient (income and housing findings are raised on them). */
  subjectPersonId: string;
  /** Everyone checked: the subject and the members. */
  personIds: string[];
  /** What the request says of the persons (statuses, birth dates); absent in the monthly check. */
  persons?: CheckedPerson[];
  period: Period;
  /** The day the check looks from (rules and their parameters in force on this day; the application date at application). */
  asOf: CalendarDate;
  facts: Fact[];
  assignments: RecipientAssignment[];
  rules: RuleSet;
  /** At application: the programme and community applied for. */
  candidate?: { programmeCode: string; katottg: string; reference: string };
  /** The working-day calendar (the one PlatformModule provides, injected by the caller). */
  calendar: WorkingCalendar;
}

/** Runs every rule in force on `asOf` over the persons; returns the findings. */
export function evaluate(input: CheckInput): FindingDraft[] {
  const { rules: r, mode, period, asOf, facts } = input;
  const calendar = input.calendar;
  const known = new Map((input.persons ?? []).map((p) => [p.personId, p]));
  const family = input.personIds.map((id) => known.get(id) ?? { personId: id });
  const out: FindingDraft[] = [];
  for (const personId of input.personIds) {
    if (r.death) out.push(...checkDeath(personId, facts, r.death, mode, period));
    if (r.abroad) out.push(...checkAbroad(personId, facts, r.abroad, mode, period));
    if (r['abroad-at-application'])
      out.push(...checkAbroadAtApplication(personId, facts, r['abroad-at-application'], mode, asOf, calendar));
    if (r['abroad-over-90-days']) out.push(...checkAbroadOver90(personId, facts, r['abroad-over-90-days'], mode, period));
    if (r['deposit-over-threshold'])
      out.push(...checkDeposits(personId, facts, r['deposit-over-threshold'], mode, asOf, known.get(personId)));
    if (r.vehicle) out.push(...checkVehicles(personId, facts, r.vehicle, mode, period, asOf, family));
    if (r['purchase-over-threshold']) out.push(...checkPurchases(personId, facts, r['purchase-over-threshold'], mode, period, asOf));
    if (r['duplicate-registration'])
      out.push(...checkDuplicateRegistration(personId, input.assignments, r['duplicate-registration'], input.candidate, mode));
  }
  if (r['income-over-threshold'])
    out.push(...checkIncome(input.subjectPersonId, input.personIds, facts, r['income-over-threshold'], asOf, mode));
  if (r['housing-area']) out.push(...checkHousing(input.subjectPersonId, input.personIds, facts, r['housing-area'], mode, asOf));
  return out;
}
