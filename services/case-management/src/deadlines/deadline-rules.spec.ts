import { UA_CALENDAR, WorkingCalendar } from '@eisss/platform';
import { DEADLINE_RULE_SETS, computeDeadlines, planReviewDue, ruleSetFor } from './deadline-rules';

describe(computeDeadlines.name, () => {
  const martial = new WorkingCalendar(UA_CALENDAR);
  const peace = new WorkingCalendar({ holidays: UA_CALENDAR.holidays, martialLaw: [] });

  it('gives 5 working days for the assessment and 10 for the decision when the request is ordinary', () => {
    const d = computeDeadlines({ requestDate: '2026-11-23', crisis: false }, martial);
    expect(d.assessmentDue).toBe('2026-11-30');
    expect(d.decisionDue).toBe('2026-12-07');
    expect(d.ruleSetVersion).toBe('CMU-64-2026');
  });

  it('skips Christmas and New Year when the peacetime calendar applies', () => {
    const d = computeDeadlines({ requestDate: '2026-12-24', crisis: false }, peace);
    expect(d.assessmentDue).toBe('2027-01-04');
    expect(d.decisionDue).toBe('2027-01-11');
    expect(d.explanation.join(' ')).toMatch(/peacetime/);
  });

  it('counts public holidays as working days when martial law is in force', () => {
    const d = computeDeadlines({ requestDate: '2026-12-24', crisis: false }, martial);
    expect(d.assessmentDue).toBe('2026-12-31');
    expect(d.decisionDue).toBe('2027-01-07');
    expect(d.explanation.join(' ')).toMatch(/martial/);
  });

  it('gives one working day for assessment and decision when the case is a crisis', () => {
    expect(computeDeadlines({ requestDate: '2026-12-24', crisis: true }, peace)).toMatchObject({
      assessmentDue: '2026-12-28',
      decisionDue: '2026-12-28',
    });
    expect(computeDeadlines({ requestDate: '2026-12-24', crisis: true }, martial)).toMatchObject({
      assessmentDue: '2026-12-25',
      decisionDue: '2026-12-25',
    });
  });

  it('moves a holiday that falls on Sunday to Monday when the calendar is peacetime', () => {
    // 08.03.2026 is a Sunday: Monday 09.03 is a day off in peacetime only.
    expect(computeDeadlines({ requestDate: '2026-03-06', crisis: true }, peace).assessmentDue).toBe('2026-03-10');
    expect(computeDeadlines({ requestDate: '2026-03-06', crisis: true }, martial).assessmentDue).toBe('2026-03-09');
  });

  it('decides home care within one working day when martial law is in force', () => {
    expect(computeDeadlines({ requestDate: '2026-11-23', crisis: false, requestedServices: ['015.1'] }, martial).decisionDue).toBe(
      '2026-11-24',
    );
    expect(computeDeadlines({ requestDate: '2026-11-23', crisis: false, requestedServices: ['015.1'] }, peace).decisionDue).toBe(
      '2026-12-07',
    );
    expect(computeDeadlines({ requestDate: '2026-11-23', crisis: false, requestedServices: ['002.0'] }, martial).decisionDue).toBe(
      '2026-12-07',
    );
  });

  it('counts from the next working day when the request arrives on a weekend', () => {
    // Saturday 28.11.2026: day 1 is Monday 30.11.
    expect(computeDeadlines({ requestDate: '2026-11-28', crisis: true }, martial).assessmentDue).toBe('2026-11-30');
    expect(computeDeadlines({ requestDate: '2026-11-28', crisis: false }, martial).assessmentDue).toBe('2026-12-04');
  });
});

describe(ruleSetFor.name, () => {
  it('picks Procedure № 587 before 14.01.2026 and № 64 from that date when given the request date', () => {
    expect(ruleSetFor('2026-01-13').version).toBe('CMU-587-2020');
    expect(ruleSetFor('2026-01-14').version).toBe('CMU-64-2026');
    expect(ruleSetFor('2021-05-05').version).toBe('CMU-587-2020');
  });

  it('refuses a request date before any rule set when it predates № 587', () => {
    expect(() => ruleSetFor('2020-05-31')).toThrow(/no deadline rule set/);
  });

  it('uses a rule set version with other numbers when one is given as data', () => {
    const sets = [
      ...DEADLINE_RULE_SETS,
      { ...DEADLINE_RULE_SETS[1]!, version: 'TEST-2027', effectiveFrom: '2027-01-01', assessmentWorkingDays: 3 },
    ];
    const cal = new WorkingCalendar(UA_CALENDAR);
    expect(computeDeadlines({ requestDate: '2027-03-01', crisis: false }, cal, sets)).toMatchObject({
      ruleSetVersion: 'TEST-2027',
      assessmentDue: '2027-03-04',
    });
    expect(computeDeadlines({ requestDate: '2026-12-31', crisis: false }, cal, sets).ruleSetVersion).toBe('CMU-64-2026');
  });

  it('records source notes for every version', () => {
    for (const s of DEADLINE_RULE_SETS) expect(s.sourceNotes.length).toBeGreaterThan(50);
  });
});

describe(planReviewDue.name, () => {
  it('sets the review six months after approval when the plan is approved', () => {
    expect(planReviewDue('2026-08-31', '2026-08-01')).toBe('2027-02-28');
  });
});
