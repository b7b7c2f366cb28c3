import { addDays, addMonths, addMonthsToMonth, ageOn, firstOfMonth, lastOfMonth, monthOf, type CalendarDate } from '@eisss/platform';
import type { MemberFact, SourceNote, StatusFact } from '../rules/rule-set';

/**
 * The employment duty and the one-time "7th payment" of the IDP living allowance (КМУ № 332 as amended
 * by № 1035 of 29.11.2023, the change of 26.08.2025 and the September 2025 change): pure rules, no I/O.
 * The rule set (src/rules/idp-living-allowance.rules.ts) reads the results kept in the assignment's
 * facts (EmploymentStop on a member, ExtraPayment on the facts); EmploymentService writes them.
 */
const ACT = 'Порядок надання допомоги на проживання ВПО, постанова КМУ від 20.03.2022 № 332';
const CHECKED_ON = '2026-12-01';

/** A step into employment known from the registers: employment-centre registration, a job, sole-proprietor activity. */
export interface EngagementFact {
  kind: 'registration' | 'employment' | 'sole-proprietor';
  /** The record(s) it comes from (employment-centre record id or tax record id). */
  source: string;
  from: CalendarDate;
  /** Last day (inclusive) or null while it lasts. */
  to: CalendarDate | null;
}

/** A member's share stopped for the employment duty within one term of the assignment (kept in the member's facts). */
export interface EmploymentStop {
  /** First day of the term the duty is counted from (the application date, or the 1st day of an extended period). */
  termStart: CalendarDate;
  /** Last month of that term: the stop does not reach beyond it. */
  termEndMonth: string;
  extended: boolean;
  deadline: CalendarDate;
  fromMonth: string;
  /** The share is paid again from this month (registration or work started after the deadline, from 26.08.2025); null while stopped. */
  restoredFromMonth: string | null;
  restoredBy: string | null;
  ruleId: string;
  legalRef: string;
}

/** An extra amount paid once on an assignment (the "7th payment"), added to the month it names. */
export interface ExtraPayment {
  id: string;
  personId: string;
  month: string;
  amountKopiyky: string;
  ruleId: string;
  legalRef: string;
  text: string;
}

export interface EffectiveRule {
  id: string;
  title: string;
  effectiveFrom: CalendarDate;
  effectiveTo: CalendarDate | null;
  legalRef: string;
  sourceNote: SourceNote;
}

export interface EmploymentDutyRule extends EffectiveRule {
  /** Months from the start of the first term within which a step must be taken. */
  windowMonthsFirst: number;
  /** The same for an extended (further) term. */
  windowMonthsExtended: number;
  minAge: number;
  /** The duty ends on the day of this age (working age in the act: under 60). */
  maxAgeExclusive: number;
}

/** Picked by the term's first day (persons applying first from 01.12.2023). */
export const EmploymentDutyRules: EmploymentDutyRule[] = [
  {
    id: 'idp.employment-duty',
    title:
      'An able-bodied unemployed member takes a step into employment within 3 months of the assignment (2 months for an extended term), else the share stops from the next month',
    effectiveFrom: '2023-12-01',
    effectiveTo: null,
    legalRef: `${ACT}, п. 6-1 (ред. постанови КМУ № 1035 від 29.11.2023; clause number not confirmed)`,
    windowMonthsFirst: 3,
    windowMonthsExtended: 2,
    minAge: 18,
    maxAgeExclusive: 60,
    sourceNote: {
      act: `${ACT} (зміни з 01.12.2023)`,
      clause: 'clause not confirmed (п. 6-1 taken)',
      note: 'from 01.12.2023 an able-bodied unemployed IDP assigned the allowance for the first time must within 3 months of the assignment take a step into employment (a job, sole-proprietor activity, registration with the employment centre as unemployed or job seeker), else the payment to them stops; for a further term 2 months (RULES.md). The act lists exemptions ("ряд винятків"), the text of which was not found: implemented as in RULES.md/the brief (age 18–59, disability or child with disability, pensioner, full-time study, one adult caring for a child under 6, a child with disability or a person with disability of group I, mobilised, full state support). The term is counted from the date of application (the allowance is assigned from that month; the decision is due within 10 working days): interpretation',
      status: 'confirmed by secondary sources, not the act text',
      checkedOn: CHECKED_ON,
      references: [
        'https://fakty.com.ua/ua/ukraine/suspilstvo/20231208-try-misyaczi-na-poshuk-roboty-yak-zminyatsya-umovy-dlya-vyplat-vpo (2023-12-08, заступниця міністра Д. Марчак)',
        'https://dnipro.tv/news-dnipro/vyplaty-vpo-u-2024-shcho-zminylosia-ta-komu-prodovzhat (2024-01-03)',
        'https://gamepost.com.ua/finance/chy-mozhe-vpo-otrymuvaty-vyplaty-iakshcho-ne-pratsevlashtuietsia-protiahom-3-misiatsiv-finance-ua/ (Finance.ua, Юридичний порадник ВПО)',
      ],
    },
  },
];

export const EmploymentRestorationRules: EffectiveRule[] = [
  {
    id: 'idp.employment-duty.restoration',
    title:
      'A share stopped for the employment duty is paid again within the same term once the member registers with the employment centre or starts work',
    effectiveFrom: '2025-08-26',
    effectiveTo: null,
    legalRef: `${ACT} (зміни від 26.08.2025)`,
    sourceNote: {
      act: `${ACT} (зміни від 26.08.2025)`,
      clause: 'clause not confirmed',
      note: 'from 26.08.2025: when an unemployed able-bodied person, after the payment to them stopped, registers within the same six-month term with the employment centre as unemployed or otherwise becomes employed, the payment is restored. From which month is not stated in the sources found: taken as the month of the registration or of the start of work (never before the stop); a step taken before 26.08.2025 restores nothing',
      status: 'confirmed by secondary sources, not the act text',
      checkedOn: CHECKED_ON,
      references: [
        'https://novosti.dn.ua/news/404538-uryad-prodovzhyv-vyplaty-na-prozhyvannya-dlya-najbilsh-vrazlyvyh-kategorij-vpo-shho-potribno-znaty (2025-08-26)',
        'https://hmh.news/16635/vyplaty-dlya-vpo-iz-vrazlyvyh-kategorij-prodovzhyly-do-lyutogo-2026-roku (2025-08)',
        'https://minfin.com.ua/ua/2025/08/27/157427934/ (2025-08-27)',
      ],
    },
  },
];

/** Picked by the last month of the term that was worked through. */
export const SeventhPaymentRules: EffectiveRule[] = [
  {
    id: 'idp.seventh-payment',
    title:
      'One extra month amount (2 000 UAH, 3 000 UAH for a person with disability) for a member employed through the whole six-month term, once',
    effectiveFrom: '2025-09-01',
    effectiveTo: null,
    legalRef: `${ACT} (зміни постановою КМУ № 1033, вересень 2025; number from a secondary source)`,
    sourceNote: {
      act: `${ACT} (зміни, вересень 2025; постанова № 1033 as cited by Politeka)`,
      clause: 'clause not confirmed',
      note: 'an additional ("seventh") payment of one month\'s amount for IDPs who after the move and the assignment for a six-month term kept working or earning as sole proprietors, or got a job / registered as sole proprietors, and kept working to the end of the term; paid the month after the six months of continuous employment, confirmed from the register of insured persons. 2 000 UAH confirmed (Pension Fund explanation via psm7, 2025-11-07); 3 000 UAH for a person with disability follows from "one month\'s amount" (focus.ua), not confirmed separately. Implemented: employment or sole-proprietor activity without a gap from the 1st day of the first month to the last day of the last month of the term, added once to the last month of the term (a difference paid as arrears by the next payroll)',
      status: 'confirmed by secondary sources, not the act text',
      checkedOn: CHECKED_ON,
      references: [
        'https://focus.ua/uk/economics/724643-uryad-uhvaliv-somu-viplatu-dlya-vpo-hto-otrymaye-dodatkovu-dopomogu (2025-09-17)',
        'https://unn.ua/news/vpo-otrymaiut-somu-vyplatu-pro-shcho-ydetsia (2025-09-17)',
        'https://psm7.com/uk/money/deyaki-ukrayinczi-zmozhut-otrymaty-dodatkovi-vyplaty-do-zarplaty.html (2025-11-07)',
        'https://first.politeka.net/uk/461554-groshova-dopomoga-dlya-vpo-v-poltavskiy-oblasti-pereselencyam-dostupni-novi-viplati (2025-11-22)',
      ],
    },
  },
];

export const EMPLOYMENT_SOURCE_NOTES: SourceNote[] = [...EmploymentDutyRules, ...EmploymentRestorationRules, ...SeventhPaymentRules].map(
  (r) => r.sourceNote,
);

export function ruleInForce<R extends EffectiveRule>(rows: R[], on: CalendarDate): R | undefined {
  return rows.find((r) => r.effectiveFrom <= on && (r.effectiveTo === null || on <= r.effectiveTo));
}

function has(m: MemberFact, type: string, on: CalendarDate): StatusFact | undefined {
  return m.statuses.find((s) => s.type === type && s.validFrom <= on && (s.validTo === null || s.validTo >= on));
}

function withDisability(m: MemberFact, on: CalendarDate): boolean {
  return !!has(m, 'disability', on) || !!has(m, 'child_with_disability', on);
}

/** A dependant whose care exempts one adult: a child under 6, a child with disability, a person with disability of group I. */
function needsCare(m: MemberFact, on: CalendarDate): boolean {
  if (m.deathDate !== null && m.deathDate <= on) return false;
  if (m.birthDate > on) return false;
  if (ageOn(m.birthDate, on) < 6 || !!has(m, 'child_with_disability', on)) return true;
  const d = has(m, 'disability', on);
  return !!d && d.details?.group === 'I';
}

export type SubjectOutcome = { subject: true } | { subject: false; why: string };

/** Whether the duty applies to a member on the term's first day (the exemptions the act lists, as implemented). */
export function dutySubject(
  rule: EmploymentDutyRule,
  m: MemberFact,
  family: MemberFact[],
  applicantPersonId: string,
  on: CalendarDate,
): SubjectOutcome {
  if (m.deathDate !== null && m.deathDate <= on) return { subject: false, why: 'not alive' };
  const age = ageOn(m.birthDate, on);
  if (age < rule.minAge) return { subject: false, why: `under ${rule.minAge}` };
  if (age >= rule.maxAgeExclusive) return { subject: false, why: `aged ${rule.maxAgeExclusive} or over` };
  if (withDisability(m, on)) return { subject: false, why: 'person with disability' };
  if (has(m, 'pensioner', on)) return { subject: false, why: 'pensioner' };
  if (m.studying) return { subject: false, why: 'studying full-time' };
  if (m.mobilised) return { subject: false, why: 'mobilised / taking part in defence' };
  if (m.fullStateSupport || has(m, 'full_state_care', on)) return { subject: false, why: 'on full state support' };
  if (family.some((x) => x.personId !== m.personId && needsCare(x, on))) {
    // One adult per family is taken as the carer: the applicant when the duty would apply to them, else the oldest such adult.
    const candidates = family.filter((x) => x.personId === m.personId || isPlainSubject(rule, x, on));
    const carer =
      candidates.find((x) => x.personId === applicantPersonId) ?? [...candidates].sort((a, b) => (a.birthDate < b.birthDate ? -1 : 1))[0];
    if (carer?.personId === m.personId)
      return { subject: false, why: 'caring for a child under 6, a child with disability or a person with disability of group I' };
  }
  return { subject: true };
}

function isPlainSubject(rule: EmploymentDutyRule, m: MemberFact, on: CalendarDate): boolean {
  if (m.deathDate !== null && m.deathDate <= on) return false;
  const age = ageOn(m.birthDate, on);
  return (
    age >= rule.minAge &&
    age < rule.maxAgeExclusive &&
    !withDisability(m, on) &&
    !has(m, 'pensioner', on) &&
    !m.studying &&
    !m.mobilised &&
    !m.fullStateSupport &&
    !has(m, 'full_state_care', on)
  );
}

export interface DutyInput {
  member: MemberFact;
  family: MemberFact[];
  applicantPersonId: string;
  termStart: CalendarDate;
  termEndMonth: string;
  extended: boolean;
  engagements: EngagementFact[];
  /** The day of the check: facts dated after it are not known yet. */
  on: CalendarDate;
}

export type DutyOutcome =
  | { kind: 'no-rule' | 'not-subject' | 'complied' | 'before-deadline' | 'after-term'; why: string; deadline: CalendarDate | null }
  | { kind: 'stop'; why: string; deadline: CalendarDate; stop: EmploymentStop };

function engagedWithin(e: EngagementFact, from: CalendarDate, to: CalendarDate): boolean {
  return e.from <= to && (e.to === null || e.to >= from);
}

/** The duty for one member and one term on a day: nothing, or a stop (with its restoration when a later step restores it). */
export function employmentDuty(input: DutyInput): DutyOutcome {
  const rule = ruleInForce(EmploymentDutyRules, input.termStart);
  if (!rule) return { kind: 'no-rule', why: `no employment duty for a term starting ${input.termStart}`, deadline: null };
  const subject = dutySubject(rule, input.member, input.family, input.applicantPersonId, input.termStart);
  if (!subject.subject) return { kind: 'not-subject', why: subject.why, deadline: null };
  const window = input.extended ? rule.windowMonthsExtended : rule.windowMonthsFirst;
  const deadline = addMonths(input.termStart, window);
  const known = input.engagements.filter((e) => e.from <= input.on);
  const step = known.find((e) => engagedWithin(e, input.termStart, deadline));
  if (step) return { kind: 'complied', why: `${step.kind} from ${step.from} (${step.source}) by the deadline ${deadline}`, deadline };
  if (input.on <= deadline) return { kind: 'before-deadline', why: `no step yet; the deadline is ${deadline}`, deadline };
  const fromMonth = addMonthsToMonth(monthOf(deadline), 1);
  if (fromMonth > input.termEndMonth)
    return { kind: 'after-term', why: `the deadline ${deadline} falls in the last month of the term`, deadline };
  let restoredFromMonth: string | null = null;
  let restoredBy: string | null = null;
  const later = known
    .filter((e) => e.from > deadline && e.from <= lastOfMonth(input.termEndMonth) && !!ruleInForce(EmploymentRestorationRules, e.from))
    .sort((a, b) => (a.from < b.from ? -1 : 1))[0];
  if (later) {
    const m = monthOf(later.from);
    restoredFromMonth = m < fromMonth ? fromMonth : m;
    restoredBy = `${later.kind} from ${later.from} (${later.source})`;
  }
  return {
    kind: 'stop',
    why: `no step into employment from ${input.termStart} to ${deadline} (${window} months${input.extended ? ', extended term' : ''})`,
    deadline,
    stop: {
      termStart: input.termStart,
      termEndMonth: input.termEndMonth,
      extended: input.extended,
      deadline,
      fromMonth,
      restoredFromMonth,
      restoredBy,
      ruleId: rule.id,
      legalRef: rule.legalRef,
    },
  };
}

/** Whether an employment stop takes the member's share out of a month. */
export function stoppedInMonth(stops: EmploymentStop[] | undefined, month: string): EmploymentStop | undefined {
  return stops?.find(
    (s) => s.fromMonth <= month && month <= s.termEndMonth && (s.restoredFromMonth === null || month < s.restoredFromMonth),
  );
}

/** Employment or sole-proprietor activity without a gap over [from, to]: intervals that touch (the next starts the day after) join. */
export function workedThrough(engagements: EngagementFact[], from: CalendarDate, to: CalendarDate): boolean {
  const work = engagements
    .filter((e) => e.kind !== 'registration' && (e.to === null || e.to >= from))
    .sort((a, b) => (a.from < b.from ? -1 : 1));
  let covered: CalendarDate | null = null; // covered through this day
  for (const e of work) {
    if (covered === null ? e.from > from : e.from > addDays(covered, 1)) return false;
    if (e.to === null) return true;
    if (covered === null || e.to > covered) covered = e.to;
    if (covered >= to) return true;
  }
  return false;
}

export interface SeventhInput {
  member: MemberFact;
  termFromMonth: string;
  termEndMonth: string;
  engagements: EngagementFact[];
  on: CalendarDate;
  /** The member's monthly amount in the last month of the term (0 when not counted then). */
  monthlyAmountKopiyky: bigint;
}

export type SeventhOutcome = { kind: 'grant'; payment: ExtraPayment } | { kind: 'none'; why: string };

/** The one-time extra month amount for a member employed through the whole term (checked after the term ends). */
export function seventhPayment(input: SeventhInput): SeventhOutcome {
  const rule = ruleInForce(SeventhPaymentRules, lastOfMonth(input.termEndMonth));
  if (!rule) return { kind: 'none', why: `no 7th payment for a term ending ${input.termEndMonth}` };
  const from = firstOfMonth(input.termFromMonth);
  const to = lastOfMonth(input.termEndMonth);
  if (input.on <= to) return { kind: 'none', why: `the term ends ${to}` };
  if (input.monthlyAmountKopiyky <= 0n) return { kind: 'none', why: 'the member is not counted in the last month of the term' };
  const known = input.engagements.filter((e) => e.from <= input.on);
  if (!workedThrough(known, from, to)) return { kind: 'none', why: `not employed without a gap from ${from} to ${to}` };
  return {
    kind: 'grant',
    payment: {
      id: `${rule.id}:${input.member.personId}:${input.termEndMonth}`,
      personId: input.member.personId,
      month: input.termEndMonth,
      amountKopiyky: input.monthlyAmountKopiyky.toString(),
      ruleId: rule.id,
      legalRef: rule.legalRef,
      text: `7th payment: employed from ${from} to ${to}`,
    },
  };
}
