import { addDays, addMonthsToMonth, ageOn, firstOfMonth, lastOfMonth, monthOf, monthsBetween, type CalendarDate } from '@eisss/platform';
import type { ParameterTable, ParameterUse } from './parameters';
import { formatUah, node, statusValidWithin, type ApplicationFacts, type Evaluation, type ExplanationNode, type MemberFact, type MonthAmount, type Programme, type Reason, type RuleSet, type SourceNote } from './rule-set';

export const LOW_INCOME_PROGRAMME_CODE = 'low-income-family';

const LAW = 'Закон України «Про державну соціальну допомогу малозабезпеченим сім\'ям» від 01.06.2000 № 1768-III';
const PROCEDURE = 'Порядок призначення і виплати державної соціальної допомоги малозабезпеченим сім\'ям, постанова КМУ від 24.02.2003 № 250';
const BUDGET = 'Закон про Державний бюджет України на відповідний рік, ст. 7 (рівень забезпечення прожиткового мінімуму)';

export const LowIncomeRules = {
  family: { id: 'low-income.family', title: 'The family: the members of the household who live together, without those on full state support; a member is counted from the month of birth to the month of death', legalRef: `${LAW}, ст. 1; ${PROCEDURE}` },
  category: { id: 'low-income.member-category', title: 'Each member\'s category in a month: a child (under 18; a student under 23 at the child rate of the able-bodied minimum), unable to work (retirement age or disability) or able-bodied; an age group changes from the month after the birthday', legalRef: `${LAW}, ст. 1, 5; ${BUDGET}` },
  level: { id: 'low-income.guaranteed-level', title: 'Guaranteed level of the family: the sum over members of the year\'s percentage of the subsistence minimum of the member\'s category, each rounded half up to a kopiyka', legalRef: `${LAW}, ст. 5; ${BUDGET}` },
  income: { id: 'low-income.average-monthly-income', title: 'Average monthly total income of the family (from the application\'s income facts)', legalRef: `${LAW}, ст. 1, 5; Методика обчислення сукупного доходу сім\'ї` },
  amount: { id: 'low-income.amount', title: 'Amount = guaranteed level − average monthly income; assistance only when the income is below the level', legalRef: `${LAW}, ст. 1, 5` },
  term: { id: 'low-income.term', title: 'Granted for six months from the month of application', legalRef: `${PROCEDURE}` },
  recalculation: { id: 'low-income.recalculation', title: 'Recalculated when the income, the family or the subsistence minimum (a parameter row) changes: each month with the parameters in force on its first day', legalRef: `${LAW}, ст. 5; ${PROCEDURE}` },
} as const;

const CHECKED = '2026-12-01';
const notes: SourceNote[] = [
  {
    act: BUDGET,
    clause: '2025: ст. 7 Закону про Державний бюджет на 2025 рік',
    note: 'guaranteed level 2025: 55 % of the able-bodied minimum, 100 % for persons who lost the ability to work and persons with disability, 140 % for children (of the child minimum by age); the figures quoted for 2025 match: 1 665.40 UAH (55 % × 3 028), 3 588.20 (140 % × 2 563), 4 474.40 (140 % × 3 196), 4 239.20 for students 18–23 (140 % × 3 028). One article (fun.my.ua, 19.06.2025) says 60 % / 145 % already in 2025; the budget declaration and the figures say 55 / 140, kept',
    status: 'confirmed by secondary sources, not the act text',
    checkedOn: CHECKED,
    references: [
      'https://lenta.kharkiv.ua/other/2024/07/01/491617.html (Бюджетна декларація 2025–2027, quotes the clause: 55 / 100 / 140 %)',
      'https://agroeye.pl/rizne/skilki-platyat-dopomogu-malozabezpecheniy-sim-i.html (2025 amounts 1 665.4 / 2 361 / 3 588.2 / 4 474.4 / 4 239.2 UAH)',
    ],
  },
  {
    act: BUDGET,
    clause: '2026: ст. 7 Закону про Державний бюджет на 2026 рік',
    note: 'guaranteed level 2026: 60 % able-bodied (≈ 1 996.80 UAH), 100 % unable to work or with disability (2 595 UAH), 145 % children; effective 01.01.2026',
    status: 'confirmed by secondary sources, not the act text',
    checkedOn: CHECKED,
    references: ['https://financy.24tv.ua/viplati-malozabezpechenim-2026-skilki-derzhava-platit-malozabezpechenim_n3000449/amp (2026-02-01, citing the Pension Fund)'],
  },
  {
    act: LAW,
    clause: 'ст. 5',
    note: 'the amount is the difference between the guaranteed level for the family and its average monthly total income; it cannot exceed the subsistence minimum for the family (the 75 % cap was removed from 01.07.2020). Assistance only when the income is below the level: income equal to the level gives nothing (refusal, INCOME_NOT_BELOW_GUARANTEED_LEVEL)',
    status: 'confirmed by secondary sources, not the act text',
    checkedOn: CHECKED,
    references: ['http://kodeksy.com.ua/pro_derzhavnu_sotsial_nu_dopomogu_malozabezpechenim_sim_yam/statja-5.htm (ст. 5, older redaction)', 'http://www.rpo.if.ua/index.php?act=page&id=2039 (2020-07-23: cap removed)', 'https://informator.ua/uk/cherez-cnap-chi-pfu-yak-oformiti-derzhavnu-socialnu-dopomogu-malozabezpechenim-sim-yam'],
  },
  {
    act: PROCEDURE,
    clause: 'term',
    note: 'granted from the month of application for six months (with automatic extension for the next six-month period where the recipients still qualify: not implemented here, a new application is needed)',
    status: 'confirmed by secondary sources, not the act text',
    checkedOn: CHECKED,
    references: ['https://dszn.loga.gov.ua/uk/page/derzhavna-socialna-dopomoga-malozabezpechenim-simyam', 'https://informator.ua/uk/cherez-cnap-chi-pfu-yak-oformiti-derzhavnu-socialnu-dopomogu-malozabezpechenim-sim-yam'],
  },
  {
    act: LAW,
    clause: 'ст. 1 (income)',
    note: 'the Law\'s average monthly total income is over the two quarters before the month preceding the application (Методика); processing has no income projection from tax facts yet, so the rules take the application\'s fact averageMonthlyIncomePerPersonKopiyky (the income of the last months per person) × the number of persons in the household. When the tax service\'s income facts reach processing, the family figure should come from them',
    status: 'as stated in RULES.md, not confirmed',
    checkedOn: CHECKED,
    references: ['http://www.mtlrg-kr.gov.ua/node/1767 (six months = two quarters)'],
  },
  {
    act: LAW,
    clause: 'members',
    note: 'persons on full state support are not members of the family for the level (uapost.news); children up to 18 and students under 23 in full-time study belong to the family; retirement age 60 and disability (group I–III) put an adult in the "unable to work" category (100 % of that minimum); a child with disability is a child (the child rate is the higher one). The Law names other exclusions (property, deposits, purchases, idle able-bodied members) that this rule set does not check: verification\'s findings refuse or hold the application for an officer',
    status: 'as stated in RULES.md, not confirmed',
    checkedOn: CHECKED,
  },
  {
    act: 'Базова соціальна допомога (постанова КМУ від 25.03.2025 № 371; законопроєкт 2025)',
    clause: 'reform',
    note: 'from 01.07.2025 a pilot of "basic social assistance" (base value 4 500 UAH per person) runs beside this assistance; a law transforming the low-income assistance into it from 2026 was proposed. Not implemented: when it is in force it is a new rule-set version with its own parameters',
    status: 'confirmed by secondary sources, not the act text',
    checkedOn: CHECKED,
    references: ['https://kremenchug.ua/news/ukraine/71285-v-ukrayin-zaprovadzhujut-novu-socalnu-dopomogu-dlja-rodin-z-nizkim-dohodom.html', 'https://for-ua.com/article/1248729 (2025-09-17)', 'https://news.uaportal.com/ukr/section-news/news-vyiplatyi-maloimuschim-v-2026-godu-chto-izmenilos-i-kakie-summyi-pomoschi-02-01-2026.html'],
  },
];

export type LowIncomeCategory = 'child-under-6' | 'child-6-18' | 'student' | 'unable-to-work' | 'able-bodied';

/** A percentage of an amount in kopiyky, rounded half up to a kopiyka (integers only). */
export function percentOf(kopiyky: bigint, percent: bigint): bigint {
  return (kopiyky * percent + 50n) / 100n;
}

/** Whether a member belongs to the family in a month: born by its end, alive at its start, not on full state support. */
export function countedIn(m: MemberFact, month: string): boolean {
  if (m.fullStateSupport) return false;
  if (m.birthDate > lastOfMonth(month)) return false;
  if (m.deathDate !== null && m.deathDate < firstOfMonth(month)) return false;
  return true;
}

/** A member's category in a month: the age reached before the month starts (the birthday month keeps the younger group). */
export function categoryOf(m: MemberFact, month: string, params: ParameterTable): { category: LowIncomeCategory; age: number; uses: ParameterUse[] } {
  const first = firstOfMonth(month);
  const age = m.birthDate >= first ? 0 : ageOn(m.birthDate, addDays(first, -1));
  const pension = params.use('low-income.unable-to-work.age', first);
  const students = params.use('low-income.student.age-limit', first);
  const disabled = !!statusValidWithin(m, 'disability', first, lastOfMonth(month));
  // A child with disability (status child_with_disability) is a child: the child rate is the higher one.
  if (age < 18) return { category: age < 6 ? 'child-under-6' : 'child-6-18', age, uses: [] };
  if (disabled || BigInt(age) >= pension.value) return { category: 'unable-to-work', age, uses: [pension.use] };
  if (m.studying && BigInt(age) < students.value) return { category: 'student', age, uses: [students.use] };
  return { category: 'able-bodied', age, uses: [pension.use] };
}

const MINIMUM_OF: Record<LowIncomeCategory, string> = {
  'child-under-6': 'subsistence-minimum.child-under-6',
  'child-6-18': 'subsistence-minimum.child-6-18',
  // A student 18–23 gets the children's percentage of the able-bodied minimum.
  student: 'subsistence-minimum.able-bodied',
  'unable-to-work': 'subsistence-minimum.unable-to-work',
  'able-bodied': 'subsistence-minimum.able-bodied',
};
const PERCENT_OF: Record<LowIncomeCategory, string> = {
  'child-under-6': 'low-income.level.child.percent',
  'child-6-18': 'low-income.level.child.percent',
  student: 'low-income.level.child.percent',
  'unable-to-work': 'low-income.level.unable-to-work.percent',
  'able-bodied': 'low-income.level.able-bodied.percent',
};

export interface MemberLevel {
  personId: string;
  category: LowIncomeCategory;
  age: number;
  levelKopiyky: bigint;
  uses: ParameterUse[];
}

/** The guaranteed level of the family in a month, member by member (parameters in force on the month's first day). */
export function guaranteedLevel(facts: ApplicationFacts, month: string, params: ParameterTable): { totalKopiyky: bigint; members: MemberLevel[] } {
  const on = firstOfMonth(month);
  const members: MemberLevel[] = [];
  for (const m of facts.members.filter((x) => countedIn(x, month))) {
    const c = categoryOf(m, month, params);
    const minimum = params.use(MINIMUM_OF[c.category], on);
    const percent = params.use(PERCENT_OF[c.category], on);
    members.push({ personId: m.personId, category: c.category, age: c.age, levelKopiyky: percentOf(minimum.value, percent.value), uses: [minimum.use, percent.use, ...c.uses] });
  }
  return { totalKopiyky: members.reduce((s, x) => s + x.levelKopiyky, 0n), members };
}

/** The family's average monthly income (kopiyky) from the application's facts, or null when it declares none. */
export function familyIncome(facts: ApplicationFacts): { totalKopiyky: bigint; perPersonKopiyky: bigint; persons: number } | null {
  const raw = facts.averageMonthlyIncomePerPersonKopiyky;
  if (raw === null || raw === undefined || !/^[0-9]+$/.test(raw)) return null;
  const perPerson = BigInt(raw);
  const persons = facts.members.length;
  return { totalKopiyky: perPerson * BigInt(persons), perPersonKopiyky: perPerson, persons };
}

function levelNode(facts: ApplicationFacts, month: string, params: ParameterTable): { node: ExplanationNode; total: bigint } {
  const level = guaranteedLevel(facts, month, params);
  const children = level.members.map((x) => node(LowIncomeRules.category, 'amount', { personId: x.personId, category: x.category, ageBeforeMonth: x.age, month }, x.uses, { amountKopiyky: x.levelKopiyky.toString(), period: month }));
  return { total: level.totalKopiyky, node: node(LowIncomeRules.level, 'amount', { month, members: level.members.length }, [], { amountKopiyky: level.totalKopiyky.toString(), period: month, children }) };
}

function computeMonths(facts: ApplicationFacts, period: { from: string; to: string }, income: bigint, params: ParameterTable, version: string): { months: MonthAmount[]; nodes: ExplanationNode[] } {
  const months: MonthAmount[] = [];
  const nodes: ExplanationNode[] = [];
  let previousLevel: bigint | null = null;
  for (const month of monthsBetween(period.from, period.to)) {
    const level = levelNode(facts, month, params);
    const amount = level.total > income ? level.total - income : 0n;
    months.push({
      month,
      amountKopiyky: amount,
      explanation: `${version}: ${LowIncomeRules.amount.legalRef}; level ${formatUah(level.total)} − income ${formatUah(income)} = ${amount > 0n ? formatUah(amount) : `nothing (income not below the level)`}`,
    });
    // The level of every month whose level differs from the previous one is explained (the first month always).
    if (previousLevel === null || level.total !== previousLevel) nodes.push(level.node);
    previousLevel = level.total;
  }
  return { months, nodes };
}

function lowIncomeRuleSet(version: string, effectiveFrom: CalendarDate, effectiveTo: CalendarDate | null): RuleSet {
  return {
    programmeCode: LOW_INCOME_PROGRAMME_CODE,
    version,
    effectiveFrom,
    effectiveTo,
    rules: Object.values(LowIncomeRules),
    sourceNotes: notes,
    decide(facts, params): Evaluation {
      const on = facts.applicationDate;
      const month = monthOf(on);
      const reasons: Reason[] = [];
      const nodes: ExplanationNode[] = [];
      const applicant = facts.members.find((m) => m.personId === facts.applicantPersonId);
      const counted = facts.members.filter((m) => countedIn(m, month));
      nodes.push(
        node(LowIncomeRules.family, counted.length ? 'passed' : 'failed', {
          members: counted.map((m) => m.personId),
          notCounted: facts.members.filter((m) => !countedIn(m, month)).map((m) => ({ personId: m.personId, reason: m.fullStateSupport ? 'full state support' : m.deathDate ? `died ${m.deathDate}` : `born ${m.birthDate}` })),
        }),
      );
      if (!applicant || (applicant.deathDate !== null && applicant.deathDate <= on)) reasons.push({ code: 'APPLICANT_DECEASED', text: 'the applicant is recorded as deceased' });
      if (!counted.length) reasons.push({ code: 'NO_ELIGIBLE_MEMBERS', text: 'no member of the household belongs to the family' });
      const income = familyIncome(facts);
      nodes.push(
        node(LowIncomeRules.income, income ? 'info' : 'failed', {
          source: 'application facts (averageMonthlyIncomePerPersonKopiyky × persons in the household); processing has no income projection from tax facts yet',
          perPersonKopiyky: income?.perPersonKopiyky.toString() ?? null,
          persons: income?.persons ?? facts.members.length,
          familyKopiyky: income?.totalKopiyky.toString() ?? null,
        }),
      );
      if (!income) reasons.push({ code: 'FAMILY_INCOME_MISSING', text: 'the application declares no average monthly income of the family' });
      let months: MonthAmount[] = [];
      let periodFrom: string | null = null;
      let periodTo: string | null = null;
      if (!reasons.length) {
        const level = levelNode(facts, month, params);
        nodes.push(level.node);
        const difference = level.total - income!.totalKopiyky;
        const below = difference > 0n;
        nodes.push(node(LowIncomeRules.amount, below ? 'amount' : 'failed', { levelKopiyky: level.total.toString(), incomeKopiyky: income!.totalKopiyky.toString(), differenceKopiyky: difference.toString() }, [], { amountKopiyky: (below ? difference : 0n).toString(), period: month }));
        if (!below) {
          reasons.push({ code: 'INCOME_NOT_BELOW_GUARANTEED_LEVEL', text: `the family's average monthly income ${formatUah(income!.totalKopiyky)} is not below its guaranteed level ${formatUah(level.total)}` });
        } else {
          const term = params.use('low-income.term-months', on);
          periodFrom = month;
          periodTo = addMonthsToMonth(month, Number(term.value) - 1);
          nodes.push(node(LowIncomeRules.term, 'info', { periodFrom, periodTo }, [term.use]));
          const computed = computeMonths(facts, { from: periodFrom, to: periodTo }, income!.totalKopiyky, params, version);
          months = computed.months;
          nodes.push(...computed.nodes.slice(1));
        }
      }
      const eligible = reasons.length === 0;
      return {
        programmeCode: LOW_INCOME_PROGRAMME_CODE,
        ruleSetVersion: version,
        eligible,
        reasons,
        recipientPersonId: facts.applicantPersonId,
        memberPersonIds: (counted.length ? counted : facts.members).map((m) => m.personId),
        periodFrom: eligible ? periodFrom : null,
        periodTo: eligible ? periodTo : null,
        months: eligible ? months : [],
        explanation: node({ id: 'low-income', title: 'Державна соціальна допомога малозабезпеченим сім\'ям', legalRef: LAW }, eligible ? 'passed' : 'failed', { ruleSetVersion: version, applicationDate: on }, [], { children: nodes }),
      };
    },
    recalculate(facts, period, params) {
      const income = familyIncome(facts);
      const computed = computeMonths(facts, period, income?.totalKopiyky ?? 0n, params, version);
      // Without an income fact nothing can be paid: the months come out as nothing and the assignment ends.
      const months = income ? computed.months : computed.months.map((m) => ({ ...m, amountKopiyky: 0n, explanation: `${version}: no income fact of the family` }));
      return {
        months,
        explanation: node(LowIncomeRules.recalculation, 'amount', { ruleSetVersion: version, period, incomeKopiyky: income?.totalKopiyky.toString() ?? null }, [], { children: computed.nodes }),
      };
    },
  };
}

export const LOW_INCOME_VERSION = 'low-income-family@2025-01-01';

export const LowIncomeFamily: Programme = {
  code: LOW_INCOME_PROGRAMME_CODE,
  title: 'Державна соціальна допомога малозабезпеченим сім\'ям',
  selectorName: 'applicationDate',
  selectorDate: (facts) => facts.applicationDate,
  ruleSets: [lowIncomeRuleSet(LOW_INCOME_VERSION, '2025-01-01', null)],
};
