import { addMonths, addMonthsToMonth, monthOf, monthsBetween, type CalendarDate } from '@eisss/platform';
import type { ParameterTable } from './parameters';
import { formatUah, node, type ApplicationFacts, type Evaluation, type ExplanationNode, type MemberFact, type MonthAmount, type Programme, type Reason, type RuleSet, type SourceNote } from './rule-set';

export const BIRTH_PROGRAMME_CODE = 'birth-assistance';

const LAW = 'Закон України «Про державну допомогу сім\'ям з дітьми»';
const LAW_2026 = 'Закон № 4681-IX від 05.11.2025; Порядок, постанова КМУ від 31.12.2025 № 1805';

export const BirthRules = {
  child: { id: 'birth.child-identified', title: 'The child is a member of the household (relation child)', legalRef: `${LAW}, ст. 10` },
  version: { id: 'birth.rule-set-by-birth-date', title: 'The rule-set version is picked by the birth date of the child', legalRef: `${LAW}, ст. 12; ${LAW_2026}` },
  liveBirth: { id: 'birth.live-birth', title: 'Not paid for a stillborn child', legalRef: `${LAW}, ст. 10` },
  parentalRights: { id: 'birth.parental-rights', title: 'Not paid to a parent deprived of parental rights', legalRef: `${LAW}, ст. 11` },
  stateCare: { id: 'birth.not-in-full-state-care', title: 'Not paid for a child in full state care', legalRef: `${LAW}, ст. 11` },
  window: { id: 'birth.application-window', title: 'Applied for within 12 months of the birth', legalRef: `${LAW}, ст. 11` },
  amountLegacy: { id: 'birth.amount-41280', title: '41 280 UAH: 10 320 UAH at once, 860 UAH monthly for 36 months', legalRef: `${LAW}, ст. 12 (births up to 31.12.2025)` },
  amount2026: { id: 'birth.amount-50000', title: '50 000 UAH once', legalRef: `${LAW_2026} (births from 01.01.2026)` },
  childDeath: { id: 'birth.stop-on-child-death', title: 'Monthly payments stop from the month after the child dies or is placed in full state care', legalRef: `${LAW}, ст. 14` },
} as const;

const notes: SourceNote[] = [
  { act: LAW, clause: 'ст. 12', note: 'births up to 31.12.2025: 41 280 UAH = 10 320 UAH at once (month of application) + 860 UAH for the next 36 months', status: 'as stated in RULES.md, not confirmed', checkedOn: '2026-11-23' },
  {
    act: LAW_2026,
    clause: 'п. 1',
    note: 'births from 01.01.2026: 50 000 UAH once, per child (twins: per child), to one parent, adopter or guardian; version picked by the birth date, not the application date; application within 12 months of the birth',
    status: 'confirmed by secondary sources, not the act text',
    checkedOn: '2026-11-23',
    references: [
      'https://focus.ua/uk/economics/738810-viplata-na-ditinu-hto-ne-zmozhe-otrimati-50-tisyach-griven-vid-derzhavi-z-1-sichnya (2025-12-31)',
      'https://unn.ua/news/khto-matyme-pravo-na-novi-dytiachi-vyplaty-poiasnennia (2025-11-06, first deputy minister)',
      'https://mars.novosti-n.info/ua/news/50-tysyach-gryven-na-dytynu-z-sichnya-zaprovadzhuyut-novi-vyplaty-v-Ukrayini-329952 (CMU procedure, 12-month window)',
    ],
  },
  { act: LAW, clause: 'ст. 11', note: 'applied for within 12 months of the birth: the application date must be on or before the same date 12 months later (inclusive, interpretation)', status: 'as stated in RULES.md, not confirmed', checkedOn: '2026-11-23' },
  { act: LAW, clause: 'ст. 10, 11', note: 'not paid for a stillborn child, to a parent deprived of parental rights, for a child in full state care', status: 'as stated in RULES.md, not confirmed', checkedOn: '2026-11-23' },
  { act: LAW, clause: 'ст. 14', note: 'monthly payments stop from the month after the death of the child or placement in full state care', status: 'as stated in RULES.md, not confirmed', checkedOn: '2026-11-23' },
];

/** The child the application is for: the youngest member with relation 'child'. */
export function birthChild(facts: ApplicationFacts): MemberFact | undefined {
  return facts.members.filter((m) => m.relation === 'child').sort((a, b) => (a.birthDate < b.birthDate ? 1 : -1))[0];
}

type Schedule = (child: MemberFact, applicationMonth: string, params: ParameterTable, version: string) => { months: MonthAmount[]; node: ExplanationNode; periodTo: string };

const legacySchedule: Schedule = (child, from, params, version) => {
  const on = child.birthDate;
  const lump = params.use('birth.legacy.lump-sum', on);
  const monthly = params.use('birth.legacy.monthly', on);
  const count = params.use('birth.legacy.months', on);
  const to = addMonthsToMonth(from, Number(count.value));
  const stoppedAfter = child.deathDate ? monthOf(child.deathDate) : null;
  const months: MonthAmount[] = [];
  let i = 0;
  for (const month of monthsBetween(from, to)) {
    if (month === from) {
      months.push({ month, amountKopiyky: lump.value, explanation: `${version}: ${BirthRules.amountLegacy.legalRef}; ${month}: lump sum ${formatUah(lump.value)}` });
      continue;
    }
    i++;
    const stopped = stoppedAfter !== null && month > stoppedAfter;
    const amount = stopped ? 0n : monthly.value;
    months.push({
      month,
      amountKopiyky: amount,
      explanation: stopped
        ? `${version}: ${BirthRules.childDeath.legalRef}; ${month}: stopped (child died ${child.deathDate})`
        : `${version}: ${BirthRules.amountLegacy.legalRef}; ${month}: instalment ${i}/${count.value} ${formatUah(monthly.value)}`,
    });
  }
  const total = months.reduce((s, m) => s + m.amountKopiyky, 0n);
  return {
    months,
    periodTo: to,
    node: node(BirthRules.amountLegacy, 'amount', { birthDate: child.birthDate, periodFrom: from, periodTo: to, childDeathDate: child.deathDate }, [lump.use, monthly.use, count.use], { amountKopiyky: total.toString() }),
  };
};

const oneTimeSchedule: Schedule = (child, from, params, version) => {
  const once = params.use('birth.one-time', child.birthDate);
  return {
    months: [{ month: from, amountKopiyky: once.value, explanation: `${version}: ${BirthRules.amount2026.legalRef}; ${from}: one-time ${formatUah(once.value)}` }],
    periodTo: from,
    node: node(BirthRules.amount2026, 'amount', { birthDate: child.birthDate, month: from }, [once.use], { amountKopiyky: once.value.toString(), period: from }),
  };
};

function birthRuleSet(version: string, effectiveFrom: CalendarDate, effectiveTo: CalendarDate | null, schedule: Schedule): RuleSet {
  return {
    programmeCode: BIRTH_PROGRAMME_CODE,
    version,
    effectiveFrom,
    effectiveTo,
    rules: Object.values(BirthRules),
    sourceNotes: notes,
    decide(facts, params): Evaluation {
      const nodes: ExplanationNode[] = [];
      const reasons: Reason[] = [];
      const child = birthChild(facts);
      const applicant = facts.members.find((m) => m.personId === facts.applicantPersonId);
      const on = facts.applicationDate;
      if (!child) {
        nodes.push(node(BirthRules.child, 'failed', { children: 0 }));
        reasons.push({ code: 'BIRTH_CHILD_MISSING', text: 'no child in the household' });
      } else {
        nodes.push(node(BirthRules.child, 'passed', { childPersonId: child.personId, birthDate: child.birthDate }));
        nodes.push(node(BirthRules.version, 'info', { birthDate: child.birthDate, ruleSetVersion: version, versionFrom: effectiveFrom, versionTo: effectiveTo }));
        const stillborn = !!child.stillborn;
        nodes.push(node(BirthRules.liveBirth, stillborn ? 'failed' : 'passed', { stillborn }));
        if (stillborn) reasons.push({ code: 'STILLBORN', text: 'the assistance is not paid for a stillborn child' });
        const deprived = !!applicant?.parentalRightsDeprived;
        nodes.push(node(BirthRules.parentalRights, deprived ? 'failed' : 'passed', { parentalRightsDeprived: deprived }));
        if (deprived) reasons.push({ code: 'PARENT_DEPRIVED_OF_RIGHTS', text: 'the applicant is deprived of parental rights' });
        const care = !!child.fullStateSupport;
        nodes.push(node(BirthRules.stateCare, care ? 'failed' : 'passed', { fullStateCare: care }));
        if (care) reasons.push({ code: 'CHILD_IN_FULL_STATE_CARE', text: 'the child is in full state care' });
        const lastDay = addMonths(child.birthDate, 12);
        const inWindow = on >= child.birthDate && on <= lastDay;
        nodes.push(node(BirthRules.window, inWindow ? 'passed' : 'failed', { birthDate: child.birthDate, applicationDate: on, lastDayToApply: lastDay }));
        if (!inWindow) reasons.push(on < child.birthDate ? { code: 'APPLICATION_BEFORE_BIRTH', text: 'the application predates the birth' } : { code: 'APPLICATION_WINDOW_EXPIRED', text: `applied after ${lastDay}, more than 12 months after the birth` });
      }
      const eligible = reasons.length === 0 && !!child;
      let months: MonthAmount[] = [];
      let periodFrom: string | null = null;
      let periodTo: string | null = null;
      if (eligible && child) {
        periodFrom = monthOf(on);
        const s = schedule(child, periodFrom, params, version);
        months = s.months;
        periodTo = s.periodTo;
        nodes.push(s.node);
      }
      return {
        programmeCode: BIRTH_PROGRAMME_CODE,
        ruleSetVersion: version,
        eligible,
        reasons,
        recipientPersonId: facts.applicantPersonId,
        memberPersonIds: child ? [facts.applicantPersonId, child.personId] : [facts.applicantPersonId],
        periodFrom,
        periodTo,
        months,
        explanation: node({ id: 'birth', title: 'Birth-of-a-child assistance', legalRef: LAW }, eligible ? 'passed' : 'failed', { ruleSetVersion: version, applicationDate: on }, [], { children: nodes }),
      };
    },
    recalculate(facts, period, params) {
      const child = birthChild(facts);
      if (!child) throw new Error('birth assistance without a child');
      const s = schedule(child, period.from, params, version);
      // The child in full state care stops the monthly payments like a death does (from the next month).
      const months = s.months.filter((m) => m.month <= period.to);
      return { months, explanation: node({ id: 'birth.recalculation', title: 'Birth assistance: recalculation', legalRef: LAW }, 'amount', { ruleSetVersion: version }, [], { children: [s.node] }) };
    },
  };
}

export const BirthAssistance: Programme = {
  code: BIRTH_PROGRAMME_CODE,
  title: 'Допомога при народженні дитини',
  selectorName: 'birthDate',
  selectorDate: (facts) => birthChild(facts)?.birthDate ?? null,
  ruleSets: [birthRuleSet('birth-assistance@until-2025-12-31', '1900-01-01', '2025-12-31', legacySchedule), birthRuleSet('birth-assistance@2026-01-01', '2026-01-01', null, oneTimeSchedule)],
};
