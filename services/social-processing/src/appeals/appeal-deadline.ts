import { addDays, type CalendarDate, type WorkingCalendar } from '@eisss/platform';
import type { SourceNote } from '../rules/rule-set';

export const ADMINISTRATIVE_PROCEDURE_LAW = 'Закон України «Про адміністративну процедуру» від 17.02.2022 № 2073-IX (чинний з 15.12.2023)';

/**
 * The deadline for deciding a complaint (скарга), as an effective-dated rule: the number of days and
 * whether they are calendar or working days, from the day the complaint is received.
 */
export interface AppealDeadlineRule {
  from: CalendarDate;
  days: number;
  unit: 'calendar' | 'working';
  /** A last day that is not a working day moves to the next working day. */
  rollToWorkingDay: boolean;
  legalRef: string;
}

export const APPEAL_DEADLINE_RULES: AppealDeadlineRule[] = [
  {
    from: '2023-12-15',
    days: 30,
    unit: 'calendar',
    rollToWorkingDay: true,
    legalRef: `${ADMINISTRATIVE_PROCEDURE_LAW}, ст. 84 ч. 1 (30 днів з дня надходження скарги)`,
  },
];

/** The term for filing a complaint (recorded on the appeal; a late complaint is still registered, the reviewer decides on renewal). */
export const APPEAL_FILING_TERM_DAYS = 30;

export const APPEAL_SOURCE_NOTES: SourceNote[] = [
  {
    act: ADMINISTRATIVE_PROCEDURE_LAW,
    clause: 'ст. 84 ч. 1 (строк розгляду скарги)',
    note: 'a complaint is decided within 30 days of its receipt; the days are calendar days (the Law says «днів», not «робочих днів»); a last day that falls on a day off moves to the next working day (WorkingCalendar). The article number and the text were NOT found by the search: the stored copy of the Law (zakononline.com.ua, redaction with the amendments up to № 3518-IX of 09.12.2023) answered only with its preamble and art. 1; the Ministry of Justice explanations found (sud.ua 2025-10-28, 2025-11-18; 24tv.ua 2026-02-03) confirm the right of administrative appeal (ст. 18) but not the number of days',
    status: 'as stated in RULES.md, not confirmed',
    checkedOn: '2026-11-23',
    references: [
      'https://zakononline.com.ua/documents/show/505792___777931',
      'https://sud.ua/ru/news/ukraine/344803-minyust-napomnil-o-pravakh-grazhdan-na-obzhalovanie-resheniy-deystviy-ili-bezdeystviya-administrativnogo-organa',
      'https://24tv.ua/law/koli-yak-mozhna-oskarzhiti-rishennya-derzhavnih-organiv_n3001228/amp',
    ],
  },
  {
    act: ADMINISTRATIVE_PROCEDURE_LAW,
    clause: 'ст. 77 (строк подання скарги)',
    note: 'a complaint is filed within 30 days of the day the person learned of the decision; a late one is registered and flagged (filedWithinTerm = false) for the reviewer, who may renew the term for a valid reason',
    status: 'as stated in RULES.md, not confirmed',
    checkedOn: '2026-11-23',
  },
  {
    act: ADMINISTRATIVE_PROCEDURE_LAW,
    clause: 'ст. 18; розділ про адміністративне оскарження',
    note: 'every decision (including one the rules took alone) may be appealed by the person or their representative; the complaint is reviewed by someone other than the official who took the decision',
    status: 'confirmed by secondary sources, not the act text',
    checkedOn: '2026-11-23',
    references: ['https://24tv.ua/law/koli-yak-mozhna-oskarzhiti-rishennya-derzhavnih-organiv_n3001228/amp (2026-02-03, ст. 18)'],
  },
];

export function appealDeadlineRule(on: CalendarDate, rules: AppealDeadlineRule[] = APPEAL_DEADLINE_RULES): AppealDeadlineRule {
  let found: AppealDeadlineRule | undefined;
  for (const r of [...rules].sort((a, b) => (a.from < b.from ? -1 : 1))) if (r.from <= on) found = r;
  if (!found) throw new Error(`no appeal deadline rule in force on ${on}`);
  return found;
}

/** The day by which an appeal received on `filedOn` must be decided. */
export function appealDueOn(
  filedOn: CalendarDate,
  calendar: WorkingCalendar,
  rules?: AppealDeadlineRule[],
): { dueOn: CalendarDate; rule: AppealDeadlineRule } {
  const rule = appealDeadlineRule(filedOn, rules);
  let due = rule.unit === 'working' ? calendar.addWorkingDays(filedOn, rule.days) : addDays(filedOn, rule.days);
  if (rule.rollToWorkingDay) while (!calendar.isWorkingDay(due)) due = addDays(due, 1);
  return { dueOn: due, rule };
}

/** Whether a complaint filed on `filedOn` about a decision of `decidedOn` is within the filing term. */
export function filedWithinTerm(decidedOn: CalendarDate | null, filedOn: CalendarDate): boolean {
  return decidedOn === null || filedOn <= addDays(decidedOn, APPEAL_FILING_TERM_DAYS);
}
