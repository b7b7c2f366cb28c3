import { addMonths, ageOn, kyivDate, lastOfMonth, monthsBetween } from './calendar-date';
import { WorkingCalendar } from './working-calendar';
import { UA_CALENDAR } from './ua-calendar.data';

describe(WorkingCalendar.name, () => {
  const martial = new WorkingCalendar();
  const peace = new WorkingCalendar({ ...UA_CALENDAR, martialLaw: [] });

  it('counts 10 working days from a Monday application to the Monday two weeks later', () => {
    expect(martial.addWorkingDays('2026-11-23', 10)).toBe('2026-12-07');
  });

  it('skips weekends when the start is a Friday', () => {
    expect(martial.addWorkingDays('2026-11-27', 1)).toBe('2026-11-30');
  });

  it('treats public holidays as working days under martial law', () => {
    expect(martial.isWorkingDay('2026-08-24')).toBe(true);
    expect(martial.addWorkingDays('2026-08-21', 1)).toBe('2026-08-24');
  });

  it('skips public holidays and their weekend transfers in peacetime', () => {
    expect(peace.isWorkingDay('2026-08-24')).toBe(false);
    expect(peace.addWorkingDays('2026-08-21', 1)).toBe('2026-08-25');
    // 2026-03-08 is a Sunday: Monday 2026-03-09 is the day off
    expect(peace.isWorkingDay('2026-03-09')).toBe(false);
    expect(peace.addWorkingDays('2026-12-24', 1)).toBe('2026-12-28');
  });

  it('counts working days between two dates exclusive of the first', () => {
    expect(martial.workingDaysBetween('2026-11-23', '2026-12-07')).toBe(10);
    expect(martial.workingDaysBetween('2026-12-07', '2026-11-23')).toBe(0);
  });
});

describe('calendar dates', () => {
  it('takes the Kyiv date of an instant, not the UTC one', () => {
    expect(kyivDate(new Date('2026-03-31T22:30:00Z'))).toBe('2026-04-01');
    expect(kyivDate(new Date('2026-07-15T20:59:00Z'))).toBe('2026-07-15');
    expect(kyivDate(new Date('2026-07-15T21:00:00Z'))).toBe('2026-07-16');
  });

  it('adds months clamping to the end of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
  });

  it('computes ages on birthdays and the day before', () => {
    expect(ageOn('2008-12-01', '2026-11-30')).toBe(17);
    expect(ageOn('2008-12-01', '2026-12-01')).toBe(18);
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
  });

  it('lists months inclusive and knows month ends', () => {
    expect(monthsBetween('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(lastOfMonth('2028-02')).toBe('2028-02-29');
  });
});
