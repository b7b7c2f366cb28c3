import { WorkingCalendar } from '@eisss/platform';
import { RULE_TABLE_IDP } from '../migrations/1764000000000-verification-rule-table-idp';
import { evaluate, rulesOn, RuleIds, type Fact, type RuleParameterRow } from './rules';

/** The rule table as loaded by the migration: every row cites its act and has a source note; the effective dates pick the right row. */
const rows: RuleParameterRow[] = RULE_TABLE_IDP.map(([ruleId, effectiveFrom, effectiveTo, parameters, legalBasis, sourceNote]) => ({
  ruleId,
  effectiveFrom,
  effectiveTo,
  parameters: parameters as Record<string, unknown>,
  legalBasis,
  sourceNote,
}));

const P = '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70';
let seq = 0;
const fact = (kind: Fact['kind'], occurredOn: string, data: Record<string, unknown>): Fact => ({
  source: 'test',
  kind,
  reference: `f-${++seq}`,
  personId: P,
  occurredOn,
  data,
});

describe('the IDP rule table', () => {
  it('has a known rule id, the act and clause and a non-overlapping effective range on every row', () => {
    for (const r of rows) {
      expect(RuleIds).toContain(r.ruleId);
      expect(r.legalBasis.length).toBeGreaterThan(10);
      if (r.effectiveTo) expect(r.effectiveTo > r.effectiveFrom).toBe(true);
    }
    for (const id of new Set(rows.map((r) => r.ruleId))) {
      const mine = rows.filter((r) => r.ruleId === id).sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
      for (let i = 1; i < mine.length; i++) expect(mine[i - 1]!.effectiveTo).toBe(mine[i]!.effectiveFrom);
    }
  });

  it('records what the search confirmed for every rule of the act', () => {
    for (const r of rows.filter((x) => x.ruleId !== 'duplicate-registration')) expect(r.sourceNote).toMatch(/confirmed|not searched/);
  });

  it('sets the action and discretion of each signal as the act does', () => {
    const set = rulesOn(rows, '2026-01-15');
    expect(set.abroad).toMatchObject({ preventive: null, current: { action: 'stop_payment', discretion: 'none' }, restorable: false });
    expect(set['abroad-at-application']).toMatchObject({
      preventive: { action: 'refuse', discretion: 'none' },
      current: null,
      waitWorkingDays: 15,
    });
    expect(set['abroad-over-90-days']).toMatchObject({
      current: { action: 'stop_payment', discretion: 'officer' },
      maxConsecutiveDays: 90,
    });
    for (const id of ['deposit-over-threshold', 'vehicle', 'purchase-over-threshold', 'housing-area'] as const) {
      expect(set[id]).toMatchObject({
        preventive: { action: 'refuse', discretion: 'none' },
        current: { action: 'stop_payment', discretion: 'officer' },
      });
    }
    expect(set.death).toMatchObject({ current: { action: 'stop_payment', discretion: 'none' } });
  });

  it.each([
    ['2025-08-25', 1],
    ['2025-08-26', 0],
  ])('exempts an orphan’s deposit from 26.08.2025 (check on %s)', (asOf, n) => {
    const found = evaluate({
      mode: 'preventive',
      subjectPersonId: P,
      personIds: [P],
      persons: [{ personId: P, statuses: ['orphan'] }],
      period: { from: '2025-05-25', to: asOf },
      asOf,
      facts: [fact('deposit', '2025-07-01', { bankCode: '1', accountReference: 'a', balanceKopiyky: '10000001' })],
      assignments: [],
      rules: rulesOn(rows, asOf),
      calendar: new WorkingCalendar(),
    });
    expect(found.filter((f) => f.rule === 'deposit-over-threshold')).toHaveLength(n);
  });

  it.each([
    ['2025-06-30', 0],
    ['2025-07-01', 1],
  ])('checks more than 90 days abroad from 01.07.2025 (rules on %s)', (on, n) => {
    expect(rulesOn(rows, on)['abroad-over-90-days'] ? 1 : 0).toBe(n);
  });

  it.each([
    ['2023-11-20', 0],
    ['2023-11-21', 15],
  ])('waits 15 working days after a return from 21.11.2023 (rules on %s)', (on, wait) => {
    expect(rulesOn(rows, on)['abroad-at-application']?.waitWorkingDays).toBe(wait);
  });

  it.each([
    ['2023-12-31', '2720900'],
    ['2024-01-01', '3069300'],
  ])('uses the motorcycle value bar of the year (rules on %s)', (on, bar) => {
    expect(rulesOn(rows, on).vehicle?.motorcycleValueBarKopiyky).toBe(bar);
  });

  it('checks no vehicle, purchase or housing before 01.09.2023', () => {
    const set = rulesOn(rows, '2023-08-31');
    expect([set.vehicle, set['purchase-over-threshold'], set['housing-area']]).toEqual([undefined, undefined, undefined]);
    expect(set['deposit-over-threshold']).toBeDefined();
  });
});
