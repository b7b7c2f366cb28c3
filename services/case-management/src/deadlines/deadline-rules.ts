import { WorkingCalendar, addMonths, type CalendarDate } from '@eisss/platform';
import { classifiedService } from '../cases/service-classifier';

/**
 * Statutory deadlines of a case as effective-dated rule-set versions, picked by the request date.
 */
export interface DeadlineRuleSet {
  version: string;
  act: string;
  effectiveFrom: CalendarDate;
  /** Needs assessment within N working days of the request (art. 20 part 2 of the Law). */
  assessmentWorkingDays: number;
  /** In crisis: immediately, not later than 1 working day. */
  crisisAssessmentWorkingDays: number;
  /** Decision on providing services within N working days of the request. */
  decisionWorkingDays: number;
  crisisDecisionWorkingDays: number;
  /** Under martial law, decisions on the urgent services of the Classifier within N working days. */
  martialLawUrgentDecisionWorkingDays: number;
  /** The individual plan is reviewed at least every N months. */
  planReviewMonths: number;
  sourceNotes: string;
}

export const DEADLINE_RULE_SETS: readonly DeadlineRuleSet[] = [
  {
    version: 'CMU-587-2020',
    act: 'Порядок організації надання соціальних послуг, постанова КМУ від 01.06.2020 № 587 (зі змінами № 294 від 16.03.2022, № 687 від 13.06.2024); Закон «Про соціальні послуги» ст. 20',
    effectiveFrom: '2020-06-01',
    assessmentWorkingDays: 5,
    crisisAssessmentWorkingDays: 1,
    decisionWorkingDays: 10,
    crisisDecisionWorkingDays: 1,
    martialLawUrgentDecisionWorkingDays: 1,
    planReviewMonths: 6,
    sourceNotes:
      'Confirmed 2026-11-23: assessment within 5 working days of the request (Law art. 20 part 2). Decision within 10 working days and crisis within 1 working day per RULES.md §4 and ЦНАП service cards (10 working days). Martial law: stationary/palliative care, home care and supported living decided within 1 working day (CMU № 294 of 16.03.2022, as published by Kyiv city social policy department). Plan review every 6 months: not confirmed, kept as a parameter.',
  },
  {
    version: 'CMU-64-2026',
    act: 'Порядок організації надання соціальних послуг, ведення випадку та визначення чисельності соціальних менеджерів, постанова КМУ від 14.01.2026 № 64 (replaces № 587)',
    effectiveFrom: '2026-01-14',
    assessmentWorkingDays: 5,
    crisisAssessmentWorkingDays: 1,
    decisionWorkingDays: 10,
    crisisDecisionWorkingDays: 1,
    martialLawUrgentDecisionWorkingDays: 1,
    planReviewMonths: 6,
    sourceNotes:
      'Found 2026-11-23: CMU № 64 of 14.01.2026 approves a new Procedure and repeals № 587 (published 15.01.2026). Its deadline clauses could not be confirmed from the text available, so the numbers of № 587 are kept; the date it takes effect is taken as the act date (14.01.2026) pending confirmation. The assessment deadline of the Law (art. 20) binds both versions.',
  },
];

export function ruleSetFor(requestDate: CalendarDate, sets: readonly DeadlineRuleSet[] = DEADLINE_RULE_SETS): DeadlineRuleSet {
  const applicable = sets.filter((s) => s.effectiveFrom <= requestDate).sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1));
  const set = applicable[0];
  if (!set) throw new Error(`no deadline rule set in force on ${requestDate}`);
  return set;
}

export interface CaseDeadlines {
  ruleSetVersion: string;
  assessmentDue: CalendarDate;
  decisionDue: CalendarDate;
  /** How each date was reached (rule, parameter, calendar). */
  explanation: string[];
}

/** The assessment and decision deadlines of a request, in working days of the calendar in force. */
export function computeDeadlines(
  input: { requestDate: CalendarDate; crisis: boolean; requestedServices?: string[] },
  calendar: WorkingCalendar,
  sets: readonly DeadlineRuleSet[] = DEADLINE_RULE_SETS,
): CaseDeadlines {
  const rules = ruleSetFor(input.requestDate, sets);
  const martial = calendar.underMartialLaw(input.requestDate);
  const urgentService = martial && (input.requestedServices ?? []).some((c) => classifiedService(c)?.urgentUnderMartialLaw);
  const assessmentDays = input.crisis ? rules.crisisAssessmentWorkingDays : rules.assessmentWorkingDays;
  const decisionDays = input.crisis
    ? rules.crisisDecisionWorkingDays
    : urgentService
      ? rules.martialLawUrgentDecisionWorkingDays
      : rules.decisionWorkingDays;
  const calendarNote = martial
    ? 'martial-law calendar (public holidays are working days)'
    : 'peacetime calendar (public holidays and transfers are days off)';
  return {
    ruleSetVersion: rules.version,
    assessmentDue: calendar.addWorkingDays(input.requestDate, assessmentDays),
    decisionDue: calendar.addWorkingDays(input.requestDate, decisionDays),
    explanation: [
      `${rules.version}: assessment within ${assessmentDays} working day(s) of ${input.requestDate}${input.crisis ? ' (crisis)' : ''}`,
      `${rules.version}: decision within ${decisionDays} working day(s) of ${input.requestDate}${input.crisis ? ' (crisis)' : urgentService ? ' (urgent service under martial law)' : ''}`,
      calendarNote,
    ],
  };
}

/** The date by which an approved plan is reviewed. */
export function planReviewDue(
  approvedOn: CalendarDate,
  requestDate: CalendarDate,
  sets: readonly DeadlineRuleSet[] = DEADLINE_RULE_SETS,
): CalendarDate {
  return addMonths(approvedOn, ruleSetFor(requestDate, sets).planReviewMonths);
}
