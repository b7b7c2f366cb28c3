import { IdpFindingRules } from '../rules/idp-living-allowance.rules';
import { clampToPeriod, discretionOf, findingRuleFor, stopMonth, type FindingRuleRow } from './finding-rules';
import { findingTableOf } from './finding-tables';

const T = IdpFindingRules;
const row = (rule: string, on: string): FindingRuleRow => {
  const r = findingRuleFor(T, rule, on);
  if (!r) throw new Error(`no row for ${rule} on ${on}`);
  return r;
};

describe('IDP allowance: what each verification finding does (rule table)', () => {
  // rule id → [row id, scope, from-month rule, restoration, discretion when the finding carries none, clause cited]
  const table: [
    string,
    string,
    FindingRuleRow['scope'],
    FindingRuleRow['fromMonth'],
    FindingRuleRow['restoration'],
    'none' | 'officer',
    RegExp,
  ][] = [
    ['death', 'idp.finding.death', 'death', 'month-after', 'none', 'none', /№ 332, п\. 13/],
    ['abroad', 'idp.finding.abroad-30-60', 'member', 'month-after', 'none', 'officer', /№ 332, п\. 8/],
    ['abroad-over-30-days', 'idp.finding.abroad-30-60', 'member', 'month-after', 'none', 'officer', /п\. 8/],
    ['abroad-over-60-days-in-period', 'idp.finding.abroad-30-60', 'member', 'month-after', 'none', 'officer', /п\. 8/],
    ['abroad-over-90-days', 'idp.finding.abroad-90', 'member', 'month-after', 'none', 'officer', /№ 376/],
    ['deposit-over-threshold', 'idp.finding.deposits', 'assignment', 'month-from-first-day', 'none', 'officer', /п\. 7/],
    ['vehicle', 'idp.finding.vehicle', 'assignment', 'month-after', 'none', 'officer', /№ 709/],
    ['vehicle-purchase', 'idp.finding.vehicle', 'assignment', 'month-after', 'none', 'officer', /п\. 7-1/],
    ['purchase-over-threshold', 'idp.finding.purchases', 'assignment', 'month-after', 'none', 'officer', /п\. 7-1 пп\. 2/],
    ['currency-purchase', 'idp.finding.purchases', 'assignment', 'month-after', 'none', 'officer', /п\. 7-1 пп\. 2/],
    ['housing-area', 'idp.finding.housing', 'assignment', 'month-from-first-day', 'none', 'officer', /п\. 7-1 пп\. 5/],
    ['housing-area-over-norm', 'idp.finding.housing', 'assignment', 'month-from-first-day', 'none', 'officer', /п\. 7-1 пп\. 5/],
    ['income-over-threshold', 'idp.finding.income', 'assignment', 'month-after', 'none', 'officer', /13-1–13-4/],
  ];
  it.each(table)('%s → %s: %s from %s, restoration %s, discretion %s', (rule, id, scope, fromMonth, restoration, discretion, clause) => {
    const r = row(rule, '2026-05-10');
    expect(r).toMatchObject({ id, scope, fromMonth, restoration, discretionDefault: discretion });
    expect(r.legalRef).toMatch(clause);
    expect(discretionOf({ rule }, r)).toBe(discretion);
    expect(r.sourceNote.checkedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("is the IDP programme's table; a programme without one acts on a death only", () => {
    expect(findingTableOf('idp-living-allowance')).toBe(IdpFindingRules);
    expect(findingTableOf('birth-assistance')).toBeUndefined();
    expect(discretionOf({ rule: 'death' }, undefined)).toBe('none');
    expect(discretionOf({ rule: 'deposit-over-threshold' }, undefined)).toBe('officer');
  });

  it("takes the finding's own discretion over the act's default", () => {
    expect(discretionOf({ rule: 'abroad', discretion: 'none' }, row('abroad', '2026-05-10'))).toBe('none');
    expect(discretionOf({ rule: 'death', discretion: 'officer' }, row('death', '2026-05-10'))).toBe('officer');
  });

  it('has no row for a rule the act does not tie to a stop (duplicate registration): nothing is done', () => {
    expect(findingRuleFor(T, 'duplicate-registration', '2026-05-10')).toBeUndefined();
    expect(findingRuleFor(T, 'something-else', '2026-05-10')).toBeUndefined();
    // refusal at application is decided on the verification answer, never raised on an assignment
    expect(findingRuleFor(T, 'abroad-at-application', '2026-05-10')).toBeUndefined();
  });

  describe('effective dates of the rows (at, one day below, one day above)', () => {
    const at: [string, string, string | undefined][] = [
      ['abroad', '2023-07-31', undefined],
      ['abroad', '2023-08-01', 'idp.finding.abroad-30'],
      ['abroad', '2025-08-25', 'idp.finding.abroad-30'],
      ['abroad', '2025-08-26', 'idp.finding.abroad-30-60'],
      ['abroad', '2025-08-27', 'idp.finding.abroad-30-60'],
      ['abroad-over-90-days', '2025-06-30', undefined],
      ['abroad-over-90-days', '2025-07-01', 'idp.finding.abroad-90'],
      ['abroad-over-90-days', '2025-07-02', 'idp.finding.abroad-90'],
      ['vehicle', '2023-07-14', undefined],
      ['vehicle', '2023-07-15', 'idp.finding.vehicle'],
      ['purchase-over-threshold', '2023-07-14', undefined],
      ['purchase-over-threshold', '2023-07-15', 'idp.finding.purchases'],
      ['deposit-over-threshold', '2023-08-31', undefined],
      ['deposit-over-threshold', '2023-09-01', 'idp.finding.deposits'],
      ['housing-area-over-norm', '2025-08-25', undefined],
      ['housing-area-over-norm', '2025-08-26', 'idp.finding.housing'],
      ['income-over-threshold', '2024-02-29', undefined],
      ['income-over-threshold', '2024-03-01', 'idp.finding.income'],
      ['death', '2022-03-19', undefined],
      ['death', '2022-03-20', 'idp.finding.death'],
    ];
    it.each(at)('%s effective %s → %s', (rule, on, id) => {
      expect(findingRuleFor(T, rule, on)?.id).toBe(id);
    });
  });

  describe('the month the stop takes effect', () => {
    const months: [string, string, string][] = [
      // "from the month after": the last day of a month, the first and the second day of the next
      ['abroad', '2026-04-30', '2026-05'],
      ['abroad', '2026-05-01', '2026-06'],
      ['abroad', '2026-05-02', '2026-06'],
      ['abroad', '2026-12-31', '2027-01'],
      ['death', '2026-07-10', '2026-08'],
      ['vehicle', '2026-05-31', '2026-06'],
      ['income-over-threshold', '2026-05-01', '2026-06'],
      // "on the 1st day of the month": a balance held on the 1st stops that month, on any later day the next
      ['deposit-over-threshold', '2026-04-30', '2026-05'],
      ['deposit-over-threshold', '2026-05-01', '2026-05'],
      ['deposit-over-threshold', '2026-05-02', '2026-06'],
      ['housing-area-over-norm', '2026-05-01', '2026-05'],
      ['housing-area-over-norm', '2026-05-02', '2026-06'],
    ];
    it.each(months)('%s effective %s stops from %s', (rule, on, month) => {
      expect(stopMonth(row(rule, on), on)).toBe(month);
    });

    it('never before the month the act first applies (vehicles and purchases: payments from 01.09.2023)', () => {
      expect(stopMonth(row('vehicle', '2023-07-20'), '2023-07-20')).toBe('2023-09');
      expect(stopMonth(row('vehicle', '2023-08-31'), '2023-08-31')).toBe('2023-09');
      expect(stopMonth(row('vehicle', '2023-09-01'), '2023-09-01')).toBe('2023-10');
    });

    it('falls within the term: from its start when earlier (every month paid was without right), nothing after its end', () => {
      const period = { periodFrom: '2026-03', periodTo: '2026-08' };
      expect(clampToPeriod('2026-02', period)).toBe('2026-03');
      expect(clampToPeriod('2026-03', period)).toBe('2026-03');
      expect(clampToPeriod('2026-04', period)).toBe('2026-04');
      expect(clampToPeriod('2026-08', period)).toBe('2026-08');
      expect(clampToPeriod('2026-09', period)).toBeNull();
    });
  });
});
