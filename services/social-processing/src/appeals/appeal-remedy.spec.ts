import { WorkingCalendar } from '@eisss/platform';
import type { ApplicationFacts } from '../rules/rule-set';
import { appealDueOn, filedWithinTerm } from './appeal-deadline';
import { annulledMonths, applyCorrections, appealNode, withAppealNode } from './appeal-remedy';

const P = 'a0000000-0000-4000-8000-000000000001';
const facts: ApplicationFacts = {
  applicationDate: '2026-03-10',
  applicantPersonId: P,
  members: [
    {
      personId: P,
      role: 'applicant',
      relation: 'self',
      birthDate: '1980-01-01',
      deathDate: '2026-05-01',
      statuses: [{ statusId: 's1', type: 'disability', validFrom: '2024-01-01', validTo: '2026-04-30', details: { group: 'II' } }],
    },
  ],
};

describe('appeal deadline (Закон «Про адміністративну процедуру»)', () => {
  it.each([
    ['30 calendar days, landing on a working day', '2026-03-02', '2026-04-01'],
    ['30 calendar days landing on a Saturday move to Monday', '2026-03-05', '2026-04-06'],
    ['30 calendar days landing on a Sunday move to Monday', '2026-03-06', '2026-04-06'],
    ['the first day the Law is in force', '2023-12-15', '2024-01-15'],
  ])('%s', (_n, filedOn, dueOn) => {
    expect(appealDueOn(filedOn, new WorkingCalendar()).dueOn).toBe(dueOn);
  });

  it('refuses a date before the Law was in force (no rule)', () => {
    expect(() => appealDueOn('2023-12-14', new WorkingCalendar())).toThrow(/no appeal deadline rule/);
  });

  it.each([
    ['on the 30th day', '2026-03-01', '2026-03-31', true],
    ['one day later', '2026-03-01', '2026-04-01', false],
    ['no decision date', null, '2026-04-01', true],
  ])('filing term %s', (_n, decidedOn, filedOn, within) => {
    expect(filedWithinTerm(decidedOn, filedOn)).toBe(within);
  });
});

describe('appeal remedies', () => {
  it('applies corrections of death, statuses and flags to a copy of the facts', () => {
    const out = applyCorrections(facts, [
      { personId: P, deathDate: null, statuses: [{ type: 'disability', validFrom: '2024-01-01', validTo: null }], mobilised: false },
    ]);
    expect(out.members[0]).toMatchObject({
      deathDate: null,
      mobilised: false,
      statuses: [{ statusId: 's1', type: 'disability', validTo: null, details: { group: 'II' } }],
    });
    expect(facts.members[0]!.deathDate).toBe('2026-05-01');
  });

  it('refuses a correction of a person not in the facts', () => {
    expect(() => applyCorrections(facts, [{ personId: 'a0000000-0000-4000-8000-000000000009', deathDate: null }])).toThrow(
      expect.objectContaining({ code: 'APPEAL_CORRECTION_PERSON_UNKNOWN', field: 'corrections[0].personId' }),
    );
  });

  it('restores the previous version from the month the annulled act took effect', () => {
    const m = (month: string, a: string) => ({ month, amountKopiyky: a, explanation: 'x' });
    const out = annulledMonths(
      [m('2026-03', '300000'), m('2026-04', '200000')],
      [m('2026-03', '300000'), m('2026-04', '300000'), m('2026-05', '300000')],
      '2026-04',
    );
    expect(out.map((x) => [x.month, x.amountKopiyky])).toEqual([
      ['2026-03', '300000'],
      ['2026-04', '300000'],
      ['2026-05', '300000'],
    ]);
  });

  it('keeps one node per appeal in the explanation, replaced as the appeal moves on', () => {
    const base = { rule: 'decision', title: 'd', legalRef: '', outcome: 'failed' as const, facts: {}, parameters: [] };
    const open = appealNode({
      appealId: 'a1',
      kind: 'refusal',
      status: 'open',
      filedOn: '2026-03-02',
      dueOn: '2026-04-01',
      channel: 'diia',
      filedAs: 'person',
      grounds: 'g',
    });
    const upheld = appealNode({
      appealId: 'a1',
      kind: 'refusal',
      status: 'upheld',
      filedOn: '2026-03-02',
      dueOn: '2026-04-01',
      channel: 'diia',
      filedAs: 'person',
      grounds: 'g',
      outcome: 'upheld',
    });
    const e = withAppealNode(withAppealNode(base, open), upheld);
    expect(e.children!.map((c) => [c.rule, c.outcome])).toEqual([['appeal', 'passed']]);
  });
});
