import { BirthAssistance } from './birth-assistance.rules';
import { evaluateProgramme } from './programmes';
import type { ApplicationFacts, MemberFact } from './rule-set';

const P = 'c0000000-0000-4000-8000-000000000001';
const C = 'c0000000-0000-4000-8000-000000000002';
const parent = (over: Partial<MemberFact> = {}): MemberFact => ({ personId: P, role: 'applicant', relation: 'self', birthDate: '1995-02-02', deathDate: null, statuses: [], ...over });
const child = (birthDate: string, over: Partial<MemberFact> = {}): MemberFact => ({ personId: C, role: 'member', relation: 'child', birthDate, deathDate: null, statuses: [], ...over });
const facts = (applicationDate: string, members: MemberFact[]): ApplicationFacts => ({ applicationDate, applicantPersonId: P, members });

type Expected = { eligible: boolean; reason?: string; version?: string; total?: string; count?: number; first?: string; second?: string; periodFrom?: string; periodTo?: string; months?: Record<string, string> };
const cases: [string, ApplicationFacts, Expected][] = [
  ['born 31.12.2025: 41 280 UAH (legacy version by birth date)', facts('2026-01-15', [parent(), child('2025-12-31')]), { eligible: true, version: 'birth-assistance@until-2025-12-31', total: '4128000', count: 37, first: '1032000', second: '86000' }],
  ['born 01.01.2026: 50 000 UAH once', facts('2026-01-15', [parent(), child('2026-01-01')]), { eligible: true, version: 'birth-assistance@2026-01-01', total: '5000000', count: 1, first: '5000000' }],
  ['born 2025, applied in 2026: the birth date, not the application date, picks the version', facts('2026-06-30', [parent(), child('2025-07-01')]), { eligible: true, version: 'birth-assistance@until-2025-12-31', total: '4128000' }],
  ['born 2026, applied the same day', facts('2026-02-10', [parent(), child('2026-02-10')]), { eligible: true, total: '5000000', periodFrom: '2026-02', periodTo: '2026-02' }],
  ['legacy: lump sum in the application month, 36 instalments after', facts('2025-11-20', [parent(), child('2025-11-01')]), { eligible: true, periodFrom: '2025-11', periodTo: '2028-11', months: { '2025-11': '1032000', '2025-12': '86000', '2028-11': '86000' } }],
  ['application on the last day of the month: payment month is that month', facts('2026-03-31', [parent(), child('2026-03-01')]), { eligible: true, periodFrom: '2026-03' }],
  ['applied exactly 12 months after the birth: within the window', facts('2027-01-01', [parent(), child('2026-01-01')]), { eligible: true, total: '5000000' }],
  ['applied 12 months and one day after the birth: refused', facts('2027-01-02', [parent(), child('2026-01-01')]), { eligible: false, reason: 'APPLICATION_WINDOW_EXPIRED' }],
  ['legacy: applied 12 months after a birth on 31.12.2025: within the window', facts('2026-12-31', [parent(), child('2025-12-31')]), { eligible: true, total: '4128000' }],
  ['legacy: applied 12 months and one day after: refused', facts('2027-01-01', [parent(), child('2025-12-31')]), { eligible: false, reason: 'APPLICATION_WINDOW_EXPIRED' }],
  ['born 29.02.2024: window ends 28.02.2025', facts('2025-02-28', [parent(), child('2024-02-29')]), { eligible: true }],
  ['born 29.02.2024: applied 01.03.2025 refused', facts('2025-03-01', [parent(), child('2024-02-29')]), { eligible: false, reason: 'APPLICATION_WINDOW_EXPIRED' }],
  ['application before the birth is refused', facts('2026-01-10', [parent(), child('2026-01-11')]), { eligible: false, reason: 'APPLICATION_BEFORE_BIRTH' }],
  ['stillborn child: refused', facts('2026-02-01', [parent(), child('2026-01-20', { stillborn: true })]), { eligible: false, reason: 'STILLBORN' }],
  ['parent deprived of parental rights: refused', facts('2026-02-01', [parent({ parentalRightsDeprived: true }), child('2026-01-20')]), { eligible: false, reason: 'PARENT_DEPRIVED_OF_RIGHTS' }],
  ['child in full state care: refused', facts('2026-02-01', [parent(), child('2026-01-20', { fullStateSupport: true })]), { eligible: false, reason: 'CHILD_IN_FULL_STATE_CARE' }],
  ['legacy child in full state care: refused', facts('2025-10-01', [parent(), child('2025-09-20', { fullStateSupport: true })]), { eligible: false, reason: 'CHILD_IN_FULL_STATE_CARE' }],
  ['no child in the household: refused', facts('2026-02-01', [parent()]), { eligible: false, reason: 'BIRTH_CHILD_MISSING' }],
  ['legacy: child died, monthly instalments stop from the next month', facts('2025-06-10', [parent(), child('2025-06-01', { deathDate: '2025-09-15' })]), { eligible: true, months: { '2025-06': '1032000', '2025-09': '86000', '2025-10': '0' }, total: String(1032000 + 3 * 86000) }],
  ['2026: child died after the birth: the one-time amount is still paid', facts('2026-03-10', [parent(), child('2026-02-01', { deathDate: '2026-03-01' })]), { eligible: true, total: '5000000' }],
  ['the youngest child of several is the subject', facts('2026-02-01', [parent(), { ...child('2020-01-01'), personId: 'c0000000-0000-4000-8000-000000000009' }, child('2026-01-05')]), { eligible: true, total: '5000000' }],
  ['guardian applying for a 2026 child is paid', facts('2026-05-05', [parent({ relation: 'guardian' }), child('2026-04-04')]), { eligible: true, total: '5000000' }],
  ['legacy born 01.01.2025 applied 31.12.2025 (within window, legacy)', facts('2025-12-31', [parent(), child('2025-01-01')]), { eligible: true, version: 'birth-assistance@until-2025-12-31', periodFrom: '2025-12', periodTo: '2028-12' }],
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
    if (x.periodFrom) expect(e.periodFrom).toBe(x.periodFrom);
    if (x.periodTo) expect(e.periodTo).toBe(x.periodTo);
    for (const [month, amount] of Object.entries(x.months ?? {})) expect(e.months.find((m) => m.month === month)?.amountKopiyky.toString()).toBe(amount);
  });

  it('explains the version choice by birth date and the parameters used when granted', () => {
    const e = evaluateProgramme('birth-assistance', facts('2026-01-15', [parent(), child('2025-12-31')]));
    const version = e.explanation.children!.find((c) => c.rule === 'birth.rule-set-by-birth-date')!;
    expect(version.facts).toMatchObject({ birthDate: '2025-12-31', ruleSetVersion: 'birth-assistance@until-2025-12-31' });
    const amount = e.explanation.children!.find((c) => c.rule === 'birth.amount-41280')!;
    expect(amount.parameters.map((p) => [p.key, p.value])).toEqual([['birth.legacy.lump-sum', '1032000'], ['birth.legacy.monthly', '86000'], ['birth.legacy.months', '36']]);
    expect(BirthAssistance.ruleSets.every((r) => r.sourceNotes.length > 0)).toBe(true);
  });
});
