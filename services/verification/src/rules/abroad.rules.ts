import { addDays, compareDates, type CalendarDate, type WorkingCalendar } from '@eisss/platform';
import {
  actionFor,
  daysBetween,
  maxDate,
  minDate,
  stopsFromMonth,
  type CheckMode,
  type Evidence,
  type Fact,
  type FindingDraft,
  type ModeActions,
  type Period,
  type StopsFrom,
  type WithBasis,
} from './rule-model';

/** The documented reason of a stay (border-guard fact `stayReason`). */
export interface StayReason {
  reason: string;
  documentReference: string;
  from?: CalendarDate;
  to?: CalendarDate;
}

export interface StayAbroad {
  exitOn: CalendarDate;
  /** Day of return; null while still abroad. */
  entryOn: CalendarDate | null;
  exitReference: string;
  entryReference: string | null;
  source: string;
  /** The documented reason given on the exit or on the entry crossing. */
  reason: StayReason | null;
}

/** 30 consecutive / 60 in total within the period, while receiving (stop without restoration). */
export interface AbroadParams extends ModeActions {
  maxConsecutiveDays: number;
  maxTotalDays: number;
  /** Reasons whose documented days do not count. */
  validReasons: string[];
  stopsFrom: StopsFrom;
  /** false: the act stops the payment without restoring it. */
  restorable: boolean;
}

/** At application: abroad on the date of application refuses; after a return from a stay over `waitAfterStayOverDays`, wait `waitWorkingDays`. */
export interface AbroadAtApplicationParams extends ModeActions {
  waitWorkingDays: number;
  waitAfterStayOverDays: number;
  validReasons: string[];
}

/** More than 90 consecutive days abroad cancels the IDP status (Ministry of Finance monthly verification). */
export interface AbroadOver90Params extends ModeActions {
  maxConsecutiveDays: number;
  validReasons: string[];
  stopsFrom: StopsFrom;
  restorable: boolean;
}

function reasonOf(f: Fact): StayReason | null {
  const r = f.data.stayReason as StayReason | null | undefined;
  return r && typeof r.reason === 'string' && typeof r.documentReference === 'string' && r.documentReference.length > 0 ? r : null;
}

/** Pairs exits with the next entry. An entry with no exit before it is ignored (the exit is not known). */
export function staysAbroad(crossings: Fact[]): StayAbroad[] {
  const sorted = [...crossings].sort((a, b) => compareDates(a.occurredOn, b.occurredOn) || (a.data.direction === 'entry' ? -1 : 1));
  const stays: StayAbroad[] = [];
  let open: StayAbroad | null = null;
  for (const c of sorted) {
    if (c.data.direction === 'exit') {
      if (!open)
        open = {
          exitOn: c.occurredOn,
          entryOn: null,
          exitReference: c.reference,
          entryReference: null,
          source: c.source,
          reason: reasonOf(c),
        };
    } else if (open) {
      open.entryOn = c.occurredOn;
      open.entryReference = c.reference;
      open.reason = open.reason ?? reasonOf(c);
      stays.push(open);
      open = null;
    }
  }
  if (open) stays.push(open);
  return stays;
}

const crossingsOf = (personId: string, facts: Fact[]) => facts.filter((f) => f.kind === 'border-crossing' && f.personId === personId);

/** Whether a day of the stay is covered by its documented valid reason (the whole stay when the document gives no dates). */
function excused(s: StayAbroad, day: CalendarDate, validReasons: string[]): boolean {
  if (!s.reason || !validReasons.includes(s.reason.reason)) return false;
  const from = s.reason.from ?? s.exitOn;
  const to = s.reason.to ?? '9999-12-31';
  return compareDates(day, from) >= 0 && compareDates(day, to) <= 0;
}

/**
 * The days of a stay that count, from `from` to `endExclusive`: days abroad run from the day of exit to the day before
 * the return (a stay from 01.09 to 01.10 is 30 days); documented days are left out.
 */
export function countedDays(s: StayAbroad, from: CalendarDate, endExclusive: CalendarDate, validReasons: string[]): CalendarDate[] {
  const out: CalendarDate[] = [];
  for (let d = maxDate(s.exitOn, from); compareDates(d, endExclusive) < 0; d = addDays(d, 1)) if (!excused(s, d, validReasons)) out.push(d);
  return out;
}

function crossingEvidence(s: StayAbroad): Evidence[] {
  const reason = s.reason ? { stayReason: s.reason } : {};
  const out: Evidence[] = [{ source: s.source, reference: s.exitReference, facts: { direction: 'exit', crossedOn: s.exitOn, ...reason } }];
  if (s.entryReference) out.push({ source: s.source, reference: s.entryReference, facts: { direction: 'entry', crossedOn: s.entryOn } });
  return out;
}

/**
 * While receiving: more than `maxConsecutiveDays` counted days in one stay, or more than `maxTotalDays` counted days in
 * total within the period, stops the person's share without restoration. A stay not yet ended runs to the end of the
 * period inclusive. The effective date is the first day over the limit. Not checked at application (see
 * `checkAbroadAtApplication`).
 */
export function checkAbroad(personId: string, facts: Fact[], p: WithBasis<AbroadParams>, mode: CheckMode, period: Period): FindingDraft[] {
  const spec = actionFor(mode, p);
  if (!spec) return [];
  const stays = staysAbroad(crossingsOf(personId, facts));
  const periodEnd = addDays(period.to, 1); // exclusive
  let longest = 0;
  let consecutiveEffective: CalendarDate | null = null;
  let total = 0;
  let excludedDays = 0;
  let totalEffective: CalendarDate | null = null;
  const involved: StayAbroad[] = [];
  for (const s of stays) {
    const end = minDate(s.entryOn ?? periodEnd, periodEnd);
    if (compareDates(end, period.from) <= 0 || compareDates(s.exitOn, periodEnd) >= 0) continue; // outside the period
    involved.push(s);
    const whole = countedDays(s, s.exitOn, end, p.validReasons);
    longest = Math.max(longest, whole.length);
    if (whole.length > p.maxConsecutiveDays && !consecutiveEffective) consecutiveEffective = whole[p.maxConsecutiveDays]!;
    const inPeriod = countedDays(s, period.from, end, p.validReasons);
    excludedDays += daysBetween(maxDate(s.exitOn, period.from), end) - inPeriod.length;
    if (!totalEffective && total + inPeriod.length > p.maxTotalDays) totalEffective = inPeriod[p.maxTotalDays - total]!;
    total += inPeriod.length;
  }
  const overConsecutive = consecutiveEffective !== null;
  const overTotal = total > p.maxTotalDays;
  if (!overConsecutive && !overTotal) return [];
  const effectiveDate = [consecutiveEffective, totalEffective].filter((d): d is string => d !== null).sort()[0]!;
  const limitsExceeded = [...(overConsecutive ? ['consecutive'] : []), ...(overTotal ? ['total'] : [])];
  const evidence: Evidence[] = involved.flatMap(crossingEvidence);
  evidence.push({
    source: 'verification',
    reference: 'abroad-summary',
    facts: {
      personId,
      scope: 'person',
      stopsShareOf: personId,
      restorable: p.restorable,
      paymentStopsFrom: stopsFromMonth(effectiveDate, p.stopsFrom),
      limitsExceeded,
      longestStayDays: longest,
      totalDaysInPeriod: total,
      documentedDaysExcluded: excludedDays,
      maxConsecutiveDays: p.maxConsecutiveDays,
      maxTotalDays: p.maxTotalDays,
      periodFrom: period.from,
      periodTo: period.to,
    },
  });
  const refs = involved.map((s) => s.exitReference).join(',');
  return [
    {
      personId,
      rule: 'abroad',
      recommendedAction: spec.action,
      discretion: spec.discretion,
      legalBasis: p.legalBasis,
      effectiveDate,
      evidence,
      dedupeRef: `${limitsExceeded.join('+')}:${refs}`,
    },
  ];
}

/**
 * At application: a person abroad on the date of application is refused; a person back from a stay of more than
 * `waitAfterStayOverDays` counted days may apply for the first time only when `waitWorkingDays` working days have passed
 * after the day of return (the day of return is not counted; the application on the 15th working day is in time).
 */
export function checkAbroadAtApplication(
  personId: string,
  facts: Fact[],
  p: WithBasis<AbroadAtApplicationParams>,
  mode: CheckMode,
  applicationDate: CalendarDate,
  calendar: WorkingCalendar,
): FindingDraft[] {
  const spec = actionFor(mode, p);
  if (!spec) return [];
  const stays = staysAbroad(crossingsOf(personId, facts)).filter((s) => compareDates(s.exitOn, applicationDate) <= 0);
  const draft = (ground: string, s: StayAbroad, extra: Record<string, unknown>): FindingDraft[] => [
    {
      personId,
      rule: 'abroad-at-application',
      recommendedAction: spec.action,
      discretion: spec.discretion,
      legalBasis: p.legalBasis,
      effectiveDate: applicationDate,
      evidence: [
        ...crossingEvidence(s),
        {
          source: 'verification',
          reference: 'abroad-at-application-summary',
          facts: { personId, scope: 'person', ground, applicationDate, waitWorkingDays: p.waitWorkingDays, ...extra },
        },
      ],
      dedupeRef: `${ground}:${s.exitReference}`,
    },
  ];
  const abroadOnTheDay = stays.find((s) => s.entryOn === null || compareDates(s.entryOn, applicationDate) > 0);
  if (abroadOnTheDay) return draft('abroad-on-application-date', abroadOnTheDay, { exitOn: abroadOnTheDay.exitOn });
  if (p.waitWorkingDays <= 0) return [];
  const last = stays
    .filter((s) => s.entryOn !== null)
    .sort((a, b) => compareDates(a.entryOn!, b.entryOn!))
    .at(-1);
  if (!last) return [];
  const stayDays = countedDays(last, last.exitOn, last.entryOn!, p.validReasons).length;
  if (stayDays <= p.waitAfterStayOverDays) return [];
  const passed = calendar.workingDaysBetween(last.entryOn!, applicationDate);
  if (passed >= p.waitWorkingDays) return [];
  return draft('too-soon-after-return', last, {
    returnedOn: last.entryOn,
    stayDays,
    workingDaysSinceReturn: passed,
    earliestApplicationOn: calendar.addWorkingDays(last.entryOn!, p.waitWorkingDays),
  });
}

/**
 * More than `maxConsecutiveDays` (90) counted days in one stay overlapping the period: the IDP status is to be
 * cancelled after the body's additional check (a finding of its own, beside the 30/60-day stop). Effective from the
 * first day over the limit; a stay not yet ended runs to the end of the period inclusive.
 */
export function checkAbroadOver90(
  personId: string,
  facts: Fact[],
  p: WithBasis<AbroadOver90Params>,
  mode: CheckMode,
  period: Period,
): FindingDraft[] {
  const spec = actionFor(mode, p);
  if (!spec) return [];
  const periodEnd = addDays(period.to, 1);
  const out: FindingDraft[] = [];
  for (const s of staysAbroad(crossingsOf(personId, facts))) {
    const end = minDate(s.entryOn ?? periodEnd, periodEnd);
    if (compareDates(end, period.from) <= 0 || compareDates(s.exitOn, periodEnd) >= 0) continue;
    const days = countedDays(s, s.exitOn, end, p.validReasons);
    if (days.length <= p.maxConsecutiveDays) continue;
    const effectiveDate = days[p.maxConsecutiveDays]!;
    out.push({
      personId,
      rule: 'abroad-over-90-days',
      recommendedAction: spec.action,
      discretion: spec.discretion,
      legalBasis: p.legalBasis,
      effectiveDate,
      evidence: [
        ...crossingEvidence(s),
        {
          source: 'verification',
          reference: 'abroad-over-90-days-summary',
          facts: {
            personId,
            scope: 'person',
            consequence: 'idp-status-cancellation',
            stopsShareOf: personId,
            restorable: p.restorable,
            paymentStopsFrom: stopsFromMonth(effectiveDate, p.stopsFrom),
            consecutiveDays: days.length,
            maxConsecutiveDays: p.maxConsecutiveDays,
            stillAbroad: s.entryOn === null || compareDates(s.entryOn, periodEnd) >= 0,
          },
        },
      ],
      dedupeRef: s.exitReference,
    });
  }
  return out;
}
