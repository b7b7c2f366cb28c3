import { addDays, parseDate, type CalendarDate } from './calendar-date';
import { UA_CALENDAR, type CalendarData } from './ua-calendar.data';

/**
 * Working days in Ukraine: Monday to Friday, less public holidays (Labour Code art. 73), with the
 * transfer of a holiday that falls on a weekend to the next Monday. Under martial law (Law № 2136-IX,
 * from 24.02.2022) art. 73 holidays are not days off, so only weekends count. All of it is data.
 */
export class WorkingCalendar {
  private readonly holidays: Set<string>;

  constructor(private readonly data: CalendarData = UA_CALENDAR) {
    this.holidays = new Set(data.holidays.map((h) => h.date));
  }

  underMartialLaw(d: CalendarDate): boolean {
    return this.data.martialLaw.some((p) => d >= p.from && (p.to === null || d <= p.to));
  }

  isWorkingDay(d: CalendarDate): boolean {
    const dow = parseDate(d).getUTCDay();
    if (dow === 0 || dow === 6) return false;
    if (this.underMartialLaw(d)) return true;
    if (this.holidays.has(d)) return false;
    // A holiday on Saturday or Sunday moves to the following Monday.
    if (dow === 1 && (this.holidays.has(addDays(d, -1)) || this.holidays.has(addDays(d, -2)))) return false;
    return true;
  }

  /**
   * The date by which something due "within N working days after `start`" must be done:
   * counting starts on the next working day after `start` (the day of the event is not counted).
   */
  addWorkingDays(start: CalendarDate, n: number): CalendarDate {
    let d = start;
    let left = n;
    while (left > 0) {
      d = addDays(d, 1);
      if (this.isWorkingDay(d)) left--;
    }
    return d;
  }

  /** Working days after `from` up to and including `to` (0 when `to` ≤ `from`). */
  workingDaysBetween(from: CalendarDate, to: CalendarDate): number {
    let n = 0;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (this.isWorkingDay(d)) n++;
    return n;
  }
}
