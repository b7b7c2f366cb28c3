import { addMonths, addMonthsToMonth, monthOf, monthsBetween, type CalendarDate } from '@eisss/platform';
import type { ParameterTable } from './parameters';
import {
  formatUah,
  node,
  type ApplicationFacts,
  type Evaluation,
  type ExplanationNode,
  type MemberFact,
  type MonthAmount,
  type Programme,
  type Reason,
  type RuleSet,
  type SourceNote,
} from './rule-set';

export const BIRTH_PROGRAMME_CODE = 'birth-assistance';

const LAW = "Закон України «Про державну допомогу сім'ям з дітьми»";
const LAW_2026 = 'Закон № 4681-IX від 05.11.2025; Порядок, постанова КМУ від 31.12.2025 № 1805';
/** The last birth date of the legacy schedule (41 280 UAH); births from the next day get 50 000 UAH once. */
export const LEGACY_LAST_BIRTH_DATE: CalendarDate = '2025-12-31';
/**
 * A child placed in full state care, as a status fact on the child (validFrom = the day of placement).
 * The register's StatusTypes do not list it yet (a contract change is asked for); the rules read it
 * wherever it comes from (the application's facts, a finding, a correction on appeal).
 */
export const FULL_STATE_CARE_STATUS = 'full_state_care';

export const BirthRules = {
  child: {
    id: 'birth.child-identified',
    title: 'Each child named in the application (relation child, born within the 12 months before it) is a subject of its own',
    legalRef: `${LAW}, ст. 10, 11`,
  },
  version: {
    id: 'birth.rule-set-by-birth-date',
    title: "The rule-set version (and each child's schedule) is picked by the birth date of the child",
    legalRef: `${LAW}, ст. 12; ${LAW_2026}`,
  },
  recipient: {
    id: 'birth.recipient',
    title: 'Paid to one of the parents, an adopter or a guardian who lives with the child',
    legalRef: `${LAW}, ст. 10; ${LAW_2026}`,
  },
  liveBirth: { id: 'birth.live-birth', title: 'Not paid for a stillborn child', legalRef: `${LAW}, ст. 10; ${LAW_2026}` },
  parentalRights: {
    id: 'birth.parental-rights',
    title: 'Not paid to a parent deprived of parental rights',
    legalRef: `${LAW}, ст. 11; ${LAW_2026}`,
  },
  stateCare: {
    id: 'birth.not-in-full-state-care',
    title: 'Not paid for a child in full state care',
    legalRef: `${LAW}, ст. 11; ${LAW_2026}`,
  },
  window: { id: 'birth.application-window', title: 'Applied for within 12 months of the birth', legalRef: `${LAW}, ст. 11; ${LAW_2026}` },
  amountLegacy: {
    id: 'birth.amount-41280',
    title: '41 280 UAH per child: 10 320 UAH at once, 860 UAH monthly for 36 months',
    legalRef: `${LAW}, ст. 12 (births up to 31.12.2025)`,
  },
  amount2026: { id: 'birth.amount-50000', title: '50 000 UAH once per child', legalRef: `${LAW_2026} (births from 01.01.2026)` },
  stop: {
    id: 'birth.stop-on-child-death-or-state-care',
    title: "A child's monthly instalments stop from the month after the child dies or is placed in full state care",
    legalRef: `${LAW}, ст. 14; Порядок КМУ № 1751 від 27.12.2001`,
  },
  recipientChange: {
    id: 'birth.recipient-change',
    title: 'The remaining months continue if the recipient changes (they depend on the child, not on the recipient)',
    legalRef: `${LAW}, ст. 10, 14`,
  },
} as const;

const CHECKED = '2026-11-23';
const notes: SourceNote[] = [
  {
    act: LAW,
    clause: 'ст. 12',
    note: 'births up to 31.12.2025: 41 280 UAH per child = 10 320 UAH at once (month of application) + the rest in equal parts over the next 36 months (860 UAH)',
    status: 'confirmed by secondary sources, not the act text',
    checkedOn: CHECKED,
    references: [
      'https://www.okc.pl.ua/p/blog-page_612.html (quotes ст. 12 of the Law, 2024)',
      'https://smila-ua.com/index.php/component/content/article/11-news/economics/24707-economics-2023-01-16 (2023)',
    ],
  },
  {
    act: LAW_2026,
    clause: 'п. 1',
    note: 'births from 01.01.2026: 50 000 UAH once, per child (twins: per child), to one parent, an adopter or a guardian living with the child; version picked by the birth date, not the application date; application within 12 months of the birth. Announced and not implemented: 7 000 UAH monthly up to age 1 for children born in 2025 who are under one year on 01.01.2026 (no act text found)',
    status: 'confirmed by secondary sources, not the act text',
    checkedOn: CHECKED,
    references: [
      'https://focus.ua/uk/economics/738810-viplata-na-ditinu-hto-ne-zmozhe-otrimati-50-tisyach-griven-vid-derzhavi-z-1-sichnya (2025-12-31: parents or a guardian living with the child)',
      'https://unn.ua/news/khto-matyme-pravo-na-novi-dytiachi-vyplaty-poiasnennia (2025-11-06, first deputy minister)',
      'https://mars.novosti-n.info/ua/news/50-tysyach-gryven-na-dytynu-z-sichnya-zaprovadzhuyut-novi-vyplaty-v-Ukrayini-329952 (CMU procedure: parent, adopter, guardian; 12-month window)',
    ],
  },
  {
    act: LAW,
    clause: 'ст. 10, 11',
    note: 'paid to one of the parents (adopter, guardian) who lives with the child permanently: the household of the application is the persons living together, so a child named in it lives with the applicant; an applicant with relation guardian is the guardian',
    status: 'confirmed by secondary sources, not the act text',
    checkedOn: CHECKED,
    references: [
      'https://www.okc.pl.ua/p/blog-page_570.html («заява одного з батьків (опікуна), з яким постійно проживає дитина»)',
      'http://www.nashamama.com/dityna/1034perelik-dokumentiv-neobhidnih-dlya-otrimannya-dopomogi-na-ditinu.html',
    ],
  },
  {
    act: LAW_2026,
    clause: 'exclusions',
    note: 'not paid: a stillborn child; a recipient deprived of parental rights (or from whom the child was taken without deprivation); a child in full state care; a guardian relieved of guardianship. Each is a refusal with its own reason code (STILLBORN, PARENT_DEPRIVED_OF_RIGHTS, CHILD_IN_FULL_STATE_CARE)',
    status: 'confirmed by secondary sources, not the act text',
    checkedOn: CHECKED,
    references: [
      'https://finance.novyny.live/50-tis-grn-za-narodzhennia-ditini-pro-iakii-niuans-treba-znati-292898.html (2025-11-10)',
      'https://news.uaportal.com/ukr/section-news/newsamp-pomosch-pri-rozhdenii-rebenku-kakaya-kategoriya-materej-ne-poluchit-50-tyisyach-12-11-2025.html (2025-11-12)',
    ],
  },
  {
    act: LAW,
    clause: 'ст. 11',
    note: 'applied for within 12 (calendar) months of the birth: the application date must be on or before the same date 12 months later (inclusive; 29.02 → 28.02, interpretation)',
    status: 'confirmed by secondary sources, not the act text',
    checkedOn: CHECKED,
    references: [
      'https://smila-ua.com/index.php/component/content/article/11-news/economics/24707-economics-2023-01-16 («протягом 12-ти місяців з дня народження»)',
    ],
  },
  {
    act: LAW,
    clause: 'twins',
    note: "when two or more children are born at once the assistance is for each child: twins are two subjects and two amounts (each child's schedule by its own birth date, so twins born either side of midnight on 31.12.2025 get one legacy and one 2026 amount)",
    status: 'as stated in RULES.md, not confirmed',
    checkedOn: CHECKED,
  },
  {
    act: LAW,
    clause: 'ст. 14; Порядок № 1751',
    note: 'monthly instalments stop from the month after the death of the child or placement in full state care; they continue for the remaining months if the recipient changes (the other parent or a guardian takes over the same assignment)',
    status: 'as stated in RULES.md, not confirmed',
    checkedOn: CHECKED,
  },
];

/** The youngest member with relation 'child' (the programme's selector picks the version by its birth date). */
export function birthChild(facts: ApplicationFacts): MemberFact | undefined {
  return facts.members.filter((m) => m.relation === 'child').sort((a, b) => (a.birthDate < b.birthDate ? 1 : -1))[0];
}

/** Whether an application date is within 12 months of a birth (inclusive), and the last day to apply. */
export function withinWindow(birthDate: CalendarDate, applicationDate: CalendarDate): { inWindow: boolean; lastDay: CalendarDate } {
  const lastDay = addMonths(birthDate, 12);
  return { inWindow: applicationDate >= birthDate && applicationDate <= lastDay, lastDay };
}

/**
 * The children the application is for: every member with relation 'child' born within the 12 months
 * before the application (twins and other multiple births are several subjects); when none is, the
 * youngest child (so that the refusal says why). Older children of the household are not subjects.
 */
export function birthSubjects(facts: ApplicationFacts): MemberFact[] {
  const children = facts.members
    .filter((m) => m.relation === 'child')
    .sort((a, b) => (a.birthDate < b.birthDate ? -1 : a.birthDate > b.birthDate ? 1 : a.personId < b.personId ? -1 : 1));
  const inWindow = children.filter((c) => withinWindow(c.birthDate, facts.applicationDate).inWindow);
  if (inWindow.length) return inWindow;
  const youngest = birthChild(facts);
  return youngest ? [youngest] : [];
}

/** The day a child was placed in full state care while the assistance is paid (a status fact), or null. */
export function fullStateCareFrom(child: MemberFact): CalendarDate | null {
  const s = child.statuses.filter((x) => x.type === FULL_STATE_CARE_STATUS).sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1))[0];
  return s?.validFrom ?? null;
}

/** The month after which a child's instalments stop (death or full state care), or null. */
function stopMonth(child: MemberFact): { month: string; cause: string } | null {
  const care = fullStateCareFrom(child);
  const candidates = [
    child.deathDate ? { date: child.deathDate, cause: `child died ${child.deathDate}` } : null,
    care ? { date: care, cause: `child placed in full state care ${care}` } : null,
  ].filter((x): x is { date: string; cause: string } => x !== null);
  if (!candidates.length) return null;
  const first = candidates.sort((a, b) => (a.date < b.date ? -1 : 1))[0]!;
  return { month: monthOf(first.date), cause: first.cause };
}

/** Whether a child named in the application was paid at the decision (not stillborn, not in full state care then, within the window). */
export function paidAtApplication(child: MemberFact, applicationDate: CalendarDate): boolean {
  const careFrom = fullStateCareFrom(child);
  const inCare = (!!child.fullStateSupport && careFrom === null) || (careFrom !== null && careFrom <= applicationDate);
  return !child.stillborn && !inCare && withinWindow(child.birthDate, applicationDate).inWindow;
}

interface ChildSchedule {
  version: string;
  months: MonthAmount[];
  node: ExplanationNode;
  periodTo: string;
}

type Schedule = (child: MemberFact, applicationMonth: string, params: ParameterTable, version: string) => ChildSchedule;

const legacySchedule: Schedule = (child, from, params, version) => {
  const on = child.birthDate;
  const lump = params.use('birth.legacy.lump-sum', on);
  const monthly = params.use('birth.legacy.monthly', on);
  const count = params.use('birth.legacy.months', on);
  const to = addMonthsToMonth(from, Number(count.value));
  const stop = stopMonth(child);
  const months: MonthAmount[] = [];
  let i = 0;
  for (const month of monthsBetween(from, to)) {
    if (month === from) {
      months.push({
        month,
        amountKopiyky: lump.value,
        explanation: `child ${child.personId} (${version}): ${BirthRules.amountLegacy.legalRef}; lump sum ${formatUah(lump.value)}`,
      });
      continue;
    }
    i++;
    const stopped = stop !== null && month > stop.month;
    months.push({
      month,
      amountKopiyky: stopped ? 0n : monthly.value,
      explanation: stopped
        ? `child ${child.personId} (${version}): ${BirthRules.stop.legalRef}; stopped (${stop!.cause})`
        : `child ${child.personId} (${version}): ${BirthRules.amountLegacy.legalRef}; instalment ${i}/${count.value} ${formatUah(monthly.value)}`,
    });
  }
  const total = months.reduce((s, m) => s + m.amountKopiyky, 0n);
  const children = stop
    ? [node(BirthRules.stop, 'info', { childPersonId: child.personId, stopsAfter: stop.month, cause: stop.cause })]
    : undefined;
  return {
    version,
    months,
    periodTo: to,
    node: node(
      BirthRules.amountLegacy,
      'amount',
      {
        childPersonId: child.personId,
        birthDate: child.birthDate,
        schedule: version,
        periodFrom: from,
        periodTo: to,
        childDeathDate: child.deathDate,
        fullStateCareFrom: fullStateCareFrom(child),
      },
      [lump.use, monthly.use, count.use],
      { amountKopiyky: total.toString(), children },
    ),
  };
};

const oneTimeSchedule: Schedule = (child, from, params, version) => {
  const once = params.use('birth.one-time', child.birthDate);
  return {
    version,
    months: [
      {
        month: from,
        amountKopiyky: once.value,
        explanation: `child ${child.personId} (${version}): ${BirthRules.amount2026.legalRef}; one-time ${formatUah(once.value)}`,
      },
    ],
    periodTo: from,
    node: node(
      BirthRules.amount2026,
      'amount',
      { childPersonId: child.personId, birthDate: child.birthDate, schedule: version, month: from },
      [once.use],
      { amountKopiyky: once.value.toString(), period: from },
    ),
  };
};

const LEGACY_VERSION = 'birth-assistance@until-2025-12-31';
const V2026 = 'birth-assistance@2026-01-01';

/** Each child's schedule by that child's own birth date. */
function scheduleOf(child: MemberFact, from: string, params: ParameterTable): ChildSchedule {
  return child.birthDate <= LEGACY_LAST_BIRTH_DATE
    ? legacySchedule(child, from, params, LEGACY_VERSION)
    : oneTimeSchedule(child, from, params, V2026);
}

/** The children's schedules added up month by month (twins: two amounts in a month, each explained). */
export function mergeSchedules(schedules: ChildSchedule[]): { months: MonthAmount[]; periodTo: string | null } {
  const byMonth = new Map<string, { amount: bigint; parts: string[] }>();
  for (const s of schedules) {
    for (const m of s.months) {
      const e = byMonth.get(m.month) ?? { amount: 0n, parts: [] };
      e.amount += m.amountKopiyky;
      e.parts.push(`${m.explanation}`);
      byMonth.set(m.month, e);
    }
  }
  const months = [...byMonth.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([month, e]) => ({
      month,
      amountKopiyky: e.amount,
      explanation: `${month}: ${e.parts.length > 1 ? `${e.parts.length} children, ${formatUah(e.amount)}: ` : ''}${e.parts.join(' | ')}`,
    }));
  const periodTo = schedules.length
    ? schedules
        .map((s) => s.periodTo)
        .sort()
        .at(-1)!
    : null;
  return { months, periodTo };
}

function birthRuleSet(version: string, effectiveFrom: CalendarDate, effectiveTo: CalendarDate | null): RuleSet {
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
      const subjects = birthSubjects(facts);
      const applicant = facts.members.find((m) => m.personId === facts.applicantPersonId);
      const on = facts.applicationDate;
      const paid: MemberFact[] = [];
      if (!subjects.length) {
        nodes.push(node(BirthRules.child, 'failed', { children: 0 }));
        reasons.push({ code: 'BIRTH_CHILD_MISSING', text: 'no child in the household' });
      } else {
        nodes.push(
          node(BirthRules.child, 'passed', {
            childPersonIds: subjects.map((c) => c.personId),
            children: subjects.length,
            notSubjects: facts.members.filter((m) => m.relation === 'child' && !subjects.includes(m)).map((m) => m.personId),
          }),
        );
        nodes.push(
          node(BirthRules.version, 'info', {
            birthDate: birthChild(facts)?.birthDate ?? null,
            birthDates: subjects.map((c) => c.birthDate),
            ruleSetVersion: version,
            versionFrom: effectiveFrom,
            versionTo: effectiveTo,
          }),
        );
        const guardian = applicant?.relation === 'guardian';
        nodes.push(
          node(BirthRules.recipient, 'passed', {
            recipientPersonId: facts.applicantPersonId,
            recipientRole: guardian ? 'guardian' : 'parent',
            livesWithChild: true,
          }),
        );
        const deprived = !!applicant?.parentalRightsDeprived;
        nodes.push(node(BirthRules.parentalRights, deprived ? 'failed' : 'passed', { parentalRightsDeprived: deprived }));
        if (deprived)
          reasons.push({
            code: 'PARENT_DEPRIVED_OF_RIGHTS',
            text: guardian ? 'the applicant was relieved of guardianship of the child' : 'the applicant is deprived of parental rights',
          });
        for (const child of subjects) {
          const childReasons: Reason[] = [];
          const stillborn = !!child.stillborn;
          nodes.push(node(BirthRules.liveBirth, stillborn ? 'failed' : 'passed', { childPersonId: child.personId, stillborn }));
          if (stillborn)
            childReasons.push({ code: 'STILLBORN', text: `the assistance is not paid for a stillborn child (${child.personId})` });
          const careFrom = fullStateCareFrom(child);
          const care = (!!child.fullStateSupport && careFrom === null) || (careFrom !== null && careFrom <= on);
          nodes.push(
            node(BirthRules.stateCare, care ? 'failed' : 'passed', {
              childPersonId: child.personId,
              fullStateCare: care,
              fullStateCareFrom: careFrom,
            }),
          );
          if (care) childReasons.push({ code: 'CHILD_IN_FULL_STATE_CARE', text: `the child ${child.personId} is in full state care` });
          const { inWindow, lastDay } = withinWindow(child.birthDate, on);
          nodes.push(
            node(BirthRules.window, inWindow ? 'passed' : 'failed', {
              childPersonId: child.personId,
              birthDate: child.birthDate,
              applicationDate: on,
              lastDayToApply: lastDay,
            }),
          );
          if (!inWindow)
            childReasons.push(
              on < child.birthDate
                ? { code: 'APPLICATION_BEFORE_BIRTH', text: 'the application predates the birth' }
                : { code: 'APPLICATION_WINDOW_EXPIRED', text: `applied after ${lastDay}, more than 12 months after the birth` },
            );
          if (childReasons.length === 0) paid.push(child);
          else reasons.push(...childReasons);
        }
      }
      const eligible = !reasons.some((r) => r.code === 'PARENT_DEPRIVED_OF_RIGHTS' || r.code === 'BIRTH_CHILD_MISSING') && paid.length > 0;
      let months: MonthAmount[] = [];
      let periodFrom: string | null = null;
      let periodTo: string | null = null;
      if (eligible) {
        periodFrom = monthOf(on);
        const schedules = paid.map((c) => scheduleOf(c, periodFrom!, params));
        const merged = mergeSchedules(schedules);
        months = merged.months;
        periodTo = merged.periodTo;
        nodes.push(...schedules.map((s) => s.node));
      }
      return {
        programmeCode: BIRTH_PROGRAMME_CODE,
        ruleSetVersion: version,
        eligible,
        // A grant for one twin with the other refused keeps the other's reason in the explanation only.
        reasons: eligible ? [] : reasons,
        recipientPersonId: facts.applicantPersonId,
        memberPersonIds: [facts.applicantPersonId, ...(eligible ? paid : subjects).map((c) => c.personId)],
        periodFrom,
        periodTo,
        months,
        explanation: node(
          { id: 'birth', title: 'Birth-of-a-child assistance', legalRef: LAW },
          eligible ? 'passed' : 'failed',
          {
            ruleSetVersion: version,
            applicationDate: on,
            childrenPaid: paid.length,
            childrenRefused: reasons
              .filter((r) =>
                ['STILLBORN', 'CHILD_IN_FULL_STATE_CARE', 'APPLICATION_WINDOW_EXPIRED', 'APPLICATION_BEFORE_BIRTH'].includes(r.code),
              )
              .map((r) => r.code),
          },
          [],
          { children: nodes },
        ),
      };
    },
    recalculate(facts, period, params) {
      // The children paid at the grant (refused ones stay refused); death or full state care stops a child's instalments from the next month.
      const subjects = birthSubjects(facts).filter((c) => paidAtApplication(c, facts.applicationDate));
      if (!subjects.length) throw new Error('birth assistance without a child');
      const schedules = subjects.map((c) => scheduleOf(c, period.from, params));
      const merged = mergeSchedules(schedules);
      const months = merged.months.filter((m) => m.month <= period.to);
      return {
        months,
        explanation: node(
          { id: 'birth.recalculation', title: 'Birth assistance: recalculation', legalRef: LAW },
          'amount',
          { ruleSetVersion: version, recipientPersonId: facts.applicantPersonId },
          [],
          {
            children: [
              ...schedules.map((s) => s.node),
              node(BirthRules.recipientChange, 'info', { recipientPersonId: facts.applicantPersonId }),
            ],
          },
        ),
      };
    },
  };
}

export const BirthAssistance: Programme = {
  code: BIRTH_PROGRAMME_CODE,
  title: 'Допомога при народженні дитини',
  selectorName: 'birthDate',
  selectorDate: (facts) => birthChild(facts)?.birthDate ?? null,
  ruleSets: [birthRuleSet(LEGACY_VERSION, '1900-01-01', LEGACY_LAST_BIRTH_DATE), birthRuleSet(V2026, '2026-01-01', null)],
};
