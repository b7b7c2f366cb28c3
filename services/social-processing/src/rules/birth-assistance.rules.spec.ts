import { BirthAssistance } from './birth-assistance.rules';
import { evaluateProgramme } from './programmes';
import { ParameterTable } from './parameters';
import type { ApplicationFacts, MemberFact } from './rule-set';

const P = 'c0000000-0000-4000-8000-000000000001';
const C = 'c0000000-0000-4000-8000-000000000002';
const parent = (over: Partial<MemberFact> = {}): MemberFact => ({
  personId: P,
  role: 'applicant',
  relation: 'self',
  birthDate: '1995-02-02',
  deathDate: null,
  statuses: [],
  ...over,
});
const child = (birthDate: string, over: Partial<MemberFact> = {}): MemberFact => ({
  personId: C,
  role: 'member',
  relation: 'child',
  birthDate,
  deathDate: null,
  statuses: [],
  ...over,
});
const T = 'c0000000-0000-4000-8000-000000000003';
const twin = (birthDate: string, over: Partial<MemberFact> = {}): MemberFact => child(birthDate, { personId: T, ...over });
const facts = (applicationDate: string, members: MemberFact[]): ApplicationFacts => ({ applicationDate, applicantPersonId: P, members });

type Expected = {
  members?: number;
  eligible: boolean;
  reason?: string;
  version?: string;
  total?: string;
  count?: number;
  first?: string;
  second?: string;
  periodFrom?: string;
  periodTo?: string;
  months?: Record<string, string>;
};
const cases: [string, ApplicationFacts, Expected][] = [
  [
    'born 31.12.2025: 41 280 UAH (legacy version by birth date)',
    facts('2026-01-15', [parent(), child('2025-12-31')]),
    { eligible: true, version: 'birth-assistance@until-2025-12-31', total: '4128000', count: 37, first: '1032000', second: '86000' },
  ],
  [
    'born 01.01.2026: 50 000 UAH once',
    facts('2026-01-15', [parent(), child('2026-01-01')]),
    { eligible: true, version: 'birth-assistance@2026-01-01', total: '5000000', count: 1, first: '5000000' },
  ],
  [
    'born 2025, applied in 2026: the birth date, not the application date, picks the version',
    facts('2026-06-30', [parent(), child('2025-07-01')]),
    { eligible: true, version: 'birth-assistance@until-2025-12-31', total: '4128000' },
  ],
  [
    'born 2026, applied the same day',
    facts('2026-02-10', [parent(), child('2026-02-10')]),
    { eligible: true, total: '5000000', periodFrom: '2026-02', periodTo: '2026-02' },
  ],
  [
    'legacy: lump sum in the application month, 36 instalments after',
    facts('2025-11-20', [parent(), child('2025-11-01')]),
    {
      eligible: true,
      periodFrom: '2025-11',
      periodTo: '2028-11',
      months: { '2025-11': '1032000', '2025-12': '86000', '2028-11': '86000' },
    },
  ],
  [
    'application on the last day of the month: payment month is that month',
    facts('2026-03-31', [parent(), child('2026-03-01')]),
    { eligible: true, periodFrom: '2026-03' },
  ],
  [
    'applied exactly 12 months after the birth: within the window',
    facts('2027-01-01', [parent(), child('2026-01-01')]),
    { eligible: true, total: '5000000' },
  ],
  [
    'applied 12 months and one day after the birth: refused',
    facts('2027-01-02', [parent(), child('2026-01-01')]),
    { eligible: false, reason: 'APPLICATION_WINDOW_EXPIRED' },
  ],
  [
    'legacy: applied 12 months after a birth on 31.12.2025: within the window',
    facts('2026-12-31', [parent(), child('2025-12-31')]),
    { eligible: true, total: '4128000' },
  ],
  [
    'legacy: applied 12 months and one day after: refused',
    facts('2027-01-01', [parent(), child('2025-12-31')]),
    { eligible: false, reason: 'APPLICATION_WINDOW_EXPIRED' },
  ],
  ['born 29.02.2024: window ends 28.02.2025', facts('2025-02-28', [parent(), child('2024-02-29')]), { eligible: true }],
  [
    'born 29.02.2024: applied 01.03.2025 refused',
    facts('2025-03-01', [parent(), child('2024-02-29')]),
    { eligible: false, reason: 'APPLICATION_WINDOW_EXPIRED' },
  ],
  [
    'application before the birth is refused',
    facts('2026-01-10', [parent(), child('2026-01-11')]),
    { eligible: false, reason: 'APPLICATION_BEFORE_BIRTH' },
  ],
  [
    'stillborn child: refused',
    facts('2026-02-01', [parent(), child('2026-01-20', { stillborn: true })]),
    { eligible: false, reason: 'STILLBORN' },
  ],
  [
    'parent deprived of parental rights: refused',
    facts('2026-02-01', [parent({ parentalRightsDeprived: true }), child('2026-01-20')]),
    { eligible: false, reason: 'PARENT_DEPRIVED_OF_RIGHTS' },
  ],
  [
    'child in full state care: refused',
    facts('2026-02-01', [parent(), child('2026-01-20', { fullStateSupport: true })]),
    { eligible: false, reason: 'CHILD_IN_FULL_STATE_CARE' },
  ],
  [
    'legacy child in full state care: refused',
    facts('2025-10-01', [parent(), child('2025-09-20', { fullStateSupport: true })]),
    { eligible: false, reason: 'CHILD_IN_FULL_STATE_CARE' },
  ],
  ['no child in the household: refused', facts('2026-02-01', [parent()]), { eligible: false, reason: 'BIRTH_CHILD_MISSING' }],
  [
    'legacy: child died, monthly instalments stop from the next month',
    facts('2025-06-10', [parent(), child('2025-06-01', { deathDate: '2025-09-15' })]),
    { eligible: true, months: { '2025-06': '1032000', '2025-09': '86000', '2025-10': '0' }, total: String(1032000 + 3 * 86000) },
  ],
  [
    '2026: child died after the birth: the one-time amount is still paid',
    facts('2026-03-10', [parent(), child('2026-02-01', { deathDate: '2026-03-01' })]),
    { eligible: true, total: '5000000' },
  ],
  [
    'the youngest child of several is the subject',
    facts('2026-02-01', [parent(), { ...child('2020-01-01'), personId: 'c0000000-0000-4000-8000-000000000009' }, child('2026-01-05')]),
    { eligible: true, total: '5000000' },
  ],
  [
    'guardian applying for a 2026 child is paid',
    facts('2026-05-05', [parent({ relation: 'guardian' }), child('2026-04-04')]),
    { eligible: true, total: '5000000' },
  ],
  // Twins and other multiple births: each child is a subject with its own amount.
  [
    'twins born 01.01.2026: two children, two amounts of 50 000 UAH',
    facts('2026-02-01', [parent(), child('2026-01-01'), twin('2026-01-01')]),
    { eligible: true, total: '10000000', count: 1, first: '10000000', members: 3 },
  ],
  [
    'twins born 31.12.2025: two legacy schedules (2 × 41 280 UAH)',
    facts('2026-01-10', [parent(), child('2025-12-31'), twin('2025-12-31')]),
    { eligible: true, version: 'birth-assistance@until-2025-12-31', total: '8256000', count: 37, first: '2064000', second: '172000' },
  ],
  [
    'twins either side of midnight 31.12.2025/01.01.2026: each child by its own birth date',
    facts('2026-01-20', [parent(), child('2026-01-01'), twin('2025-12-31')]),
    {
      eligible: true,
      version: 'birth-assistance@2026-01-01',
      total: String(5000000 + 4128000),
      first: String(5000000 + 1032000),
      second: '86000',
    },
  ],
  [
    'twins, one stillborn: the live child is paid, the stillborn is not',
    facts('2026-02-01', [parent(), child('2026-01-05'), twin('2026-01-05', { stillborn: true })]),
    { eligible: true, total: '5000000', members: 2 },
  ],
  [
    'twins, both stillborn: refused',
    facts('2026-02-01', [parent(), child('2026-01-05', { stillborn: true }), twin('2026-01-05', { stillborn: true })]),
    { eligible: false, reason: 'STILLBORN' },
  ],
  [
    'siblings within 12 months both named: two subjects',
    facts('2026-03-01', [parent(), child('2026-02-20'), twin('2025-04-01')]),
    { eligible: true, total: String(5000000 + 4128000) },
  ],
  [
    'an older child more than 12 months old is not a subject',
    facts('2026-03-01', [parent(), child('2026-02-20'), twin('2025-02-28')]),
    { eligible: true, total: '5000000', members: 2 },
  ],
  // Guardian living with the child (the household is the persons living together).
  [
    'guardian living with a legacy child is paid',
    facts('2025-10-01', [parent({ relation: 'guardian' }), child('2025-09-01')]),
    { eligible: true, total: '4128000' },
  ],
  [
    'guardian relieved of guardianship (deprived) is refused',
    facts('2026-05-05', [parent({ relation: 'guardian', parentalRightsDeprived: true }), child('2026-04-04')]),
    { eligible: false, reason: 'PARENT_DEPRIVED_OF_RIGHTS' },
  ],
  // Full state care as a dated status: before the application refuses; after it stops from the next month.
  [
    'child placed in full state care before the application: refused',
    facts('2026-02-10', [
      parent(),
      child('2026-01-20', { statuses: [{ type: 'full_state_care', validFrom: '2026-02-01', validTo: null }] }),
    ]),
    { eligible: false, reason: 'CHILD_IN_FULL_STATE_CARE' },
  ],
  [
    'child placed in full state care on the application day: refused',
    facts('2026-02-01', [
      parent(),
      child('2026-01-20', { statuses: [{ type: 'full_state_care', validFrom: '2026-02-01', validTo: null }] }),
    ]),
    { eligible: false, reason: 'CHILD_IN_FULL_STATE_CARE' },
  ],
  [
    'legacy child placed in full state care after the application: instalments stop from the next month',
    facts('2025-06-10', [
      parent(),
      child('2025-06-01', { statuses: [{ type: 'full_state_care', validFrom: '2025-08-20', validTo: null }] }),
    ]),
    { eligible: true, months: { '2025-08': '86000', '2025-09': '0' }, total: String(1032000 + 2 * 86000) },
  ],
  [
    "legacy twins, one dies: only that child's instalments stop",
    facts('2025-06-10', [parent(), child('2025-06-01', { deathDate: '2025-07-15' }), twin('2025-06-01')]),
    {
      eligible: true,
      months: { '2025-06': '2064000', '2025-07': '172000', '2025-08': '86000' },
      total: String(2 * 1032000 + 86000 + 36 * 86000),
    },
  ],
  [
    'legacy born 01.01.2025 applied 31.12.2025 (within window, legacy)',
    facts('2025-12-31', [parent(), child('2025-01-01')]),
    { eligible: true, version: 'birth-assistance@until-2025-12-31', periodFrom: '2025-12', periodTo: '2028-12' },
  ],
];

describe(BirthAssistance.title, () => {
  it.each(cases)('%s', (_name, f, x) => {
    const e = evaluateProgramme('birth-assistance', f);
    expect(e.eligible).toBe(x.eligible);
    if (x.reason) expect(e.reasons.map((r) => r.code)).toContain(x.reason);
    if (!x.eligible) expect(e.months).toEqual([]);
    if (x.version) expect(e.ruleSetVersion).toBe(x.version);
    if (x.total) expect(e.months.reduce((s, m) => s + m.amountKopiyky, 0n).toString()).toBe(x.total);
    if (x.count !== undefined) expect(e.months).toHaveLength(x.count);
    if (x.first) expect(e.months[0]!.amountKopiyky.toString()).toBe(x.first);
    if (x.second) expect(e.months[1]!.amountKopiyky.toString()).toBe(x.second);
    if (x.members !== undefined) expect(e.memberPersonIds).toHaveLength(x.members);
    if (x.periodFrom) expect(e.periodFrom).toBe(x.periodFrom);
    if (x.periodTo) expect(e.periodTo).toBe(x.periodTo);
    for (const [month, amount] of Object.entries(x.months ?? {}))
      expect(e.months.find((m) => m.month === month)?.amountKopiyky.toString()).toBe(amount);
  });

  it('explains the version choice by birth date and the parameters used when granted', () => {
    const e = evaluateProgramme('birth-assistance', facts('2026-01-15', [parent(), child('2025-12-31')]));
    const version = e.explanation.children!.find((c) => c.rule === 'birth.rule-set-by-birth-date')!;
    expect(version.facts).toMatchObject({ birthDate: '2025-12-31', ruleSetVersion: 'birth-assistance@until-2025-12-31' });
    const amount = e.explanation.children!.find((c) => c.rule === 'birth.amount-41280')!;
    expect(amount.parameters.map((p) => [p.key, p.value])).toEqual([
      ['birth.legacy.lump-sum', '1032000'],
      ['birth.legacy.monthly', '86000'],
      ['birth.legacy.months', '36'],
    ]);
    expect(BirthAssistance.ruleSets.every((r) => r.sourceNotes.length > 0)).toBe(true);
  });

  it("explains each twin's amount separately and adds them up in the month", () => {
    const e = evaluateProgramme('birth-assistance', facts('2026-01-20', [parent(), child('2026-01-01'), twin('2025-12-31')]));
    const amounts = e.explanation.children!.filter((c) => c.outcome === 'amount');
    expect(amounts.map((a) => [a.rule, a.facts.childPersonId, a.amountKopiyky])).toEqual([
      ['birth.amount-41280', T, '4128000'],
      ['birth.amount-50000', C, '5000000'],
    ]);
    expect(e.months[0]!.explanation).toContain('2 children');
  });

  it('continues the remaining months unchanged when the recipient changes (the schedule follows the child)', () => {
    const f = facts('2025-06-10', [parent(), child('2025-06-01')]);
    const granted = evaluateProgramme('birth-assistance', f);
    const ruleSet = BirthAssistance.ruleSets.find((r) => r.version === granted.ruleSetVersion)!;
    const Q = 'c0000000-0000-4000-8000-000000000004';
    const newRecipient: ApplicationFacts = {
      ...f,
      applicantPersonId: Q,
      members: [{ ...parent(), personId: Q, relation: 'guardian' }, child('2025-06-01')],
    };
    const again = ruleSet.recalculate(newRecipient, { from: granted.periodFrom!, to: granted.periodTo! }, new ParameterTable());
    expect(again.months.map((m) => [m.month, m.amountKopiyky])).toEqual(granted.months.map((m) => [m.month, m.amountKopiyky]));
  });

  it("stops a child's instalments in a recalculation when a full-state-care status arrives, from the next month", () => {
    const f = facts('2025-06-10', [parent(), child('2025-06-01')]);
    const granted = evaluateProgramme('birth-assistance', f);
    const ruleSet = BirthAssistance.ruleSets.find((r) => r.version === granted.ruleSetVersion)!;
    const placed: ApplicationFacts = {
      ...f,
      members: [parent(), child('2025-06-01', { statuses: [{ type: 'full_state_care', validFrom: '2025-12-31', validTo: null }] })],
    };
    const again = ruleSet.recalculate(placed, { from: granted.periodFrom!, to: granted.periodTo! }, new ParameterTable());
    expect(again.months.find((m) => m.month === '2025-12')!.amountKopiyky).toBe(86000n);
    expect(again.months.find((m) => m.month === '2026-01')!.amountKopiyky).toBe(0n);
  });
});
