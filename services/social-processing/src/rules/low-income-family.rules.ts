import { addDays, addMonthsToMonth, ageOn, firstOfMonth, lastOfMonth, monthOf, monthsBetween, type CalendarDate } from '@eisss/platform';
import type { ParameterTable, ParameterUse } from './parameters';
import {
  formatUah,
  node,
  statusValidWithin,
  type ApplicationFacts,
  type Evaluation,
  type ExplanationNode,
  type FamilyIncomeFacts,
  type MemberFact,
  type MonthAmount,
  type Programme,
  type Reason,
  type RuleSet,
  type SourceNote,
} from './rule-set';

export const LOW_INCOME_PROGRAMME_CODE = 'low-income-family';

const LAW = "Закон України «Про державну соціальну допомогу малозабезпеченим сім'ям» від 01.06.2000 № 1768-III";
const PROCEDURE = "Порядок призначення і виплати державної соціальної допомоги малозабезпеченим сім'ям, постанова КМУ від 24.02.2003 № 250";
const METHOD =
  "Порядок обчислення середньомісячного сукупного доходу сім'ї (домогосподарства) для усіх видів державної соціальної допомоги, постанова КМУ від 22.07.2020 № 632 (зі змінами постанови КМУ від 18.03.2025 № 303)";
const BUDGET = 'Закон про Державний бюджет України на відповідний рік, ст. 7 (рівень забезпечення прожиткового мінімуму)';

export const LowIncomeRules = {
  family: {
    id: 'low-income.family',
    title:
      'The family: the members of the household who live together, without those on full state support; a member is counted from the month of birth to the month of death',
    legalRef: `${LAW}, ст. 1; ${PROCEDURE}`,
  },
  category: {
    id: 'low-income.member-category',
    title:
      "Each member's category in a month: a child (under 18; a student under 23 at the child rate of the able-bodied minimum), unable to work (retirement age or disability) or able-bodied; an age group changes from the month after the birthday",
    legalRef: `${LAW}, ст. 1, 5; ${BUDGET}`,
  },
  level: {
    id: 'low-income.guaranteed-level',
    title:
      "Guaranteed level of the family: the sum over members of the year's percentage of the subsistence minimum of the member's category, each rounded half up to a kopiyka",
    legalRef: `${LAW}, ст. 5; ${BUDGET}`,
  },
  income: {
    id: 'low-income.average-monthly-income',
    title:
      "Average monthly total income of the family: the tax service's income facts of every member over the six months before the month preceding the month of application (one-off and military pay not counted) ÷ 6, rounded down to a kopiyka; without any tax fact, the income the application declares",
    legalRef: `${LAW}, ст. 1, 5; ${METHOD}`,
  },
  amount: {
    id: 'low-income.amount',
    title: 'Amount = guaranteed level − average monthly income; assistance only when the income is below the level',
    legalRef: `${LAW}, ст. 1, 5`,
  },
  term: { id: 'low-income.term', title: 'Granted for six months from the month of application', legalRef: `${PROCEDURE}` },
  recalculation: {
    id: 'low-income.recalculation',
    title:
      'Recalculated when the income, the family or the subsistence minimum (a parameter row) changes: each month with the parameters in force on its first day',
    legalRef: `${LAW}, ст. 5; ${PROCEDURE}`,
  },
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
    references: [
      'https://financy.24tv.ua/viplati-malozabezpechenim-2026-skilki-derzhava-platit-malozabezpechenim_n3000449/amp (2026-02-01, citing the Pension Fund)',
    ],
  },
  {
    act: LAW,
    clause: 'ст. 5',
    note: 'the amount is the difference between the guaranteed level for the family and its average monthly total income; it cannot exceed the subsistence minimum for the family (the 75 % cap was removed from 01.07.2020). Assistance only when the income is below the level: income equal to the level gives nothing (refusal, INCOME_NOT_BELOW_GUARANTEED_LEVEL)',
    status: 'confirmed by secondary sources, not the act text',
    checkedOn: CHECKED,
    references: [
      'http://kodeksy.com.ua/pro_derzhavnu_sotsial_nu_dopomogu_malozabezpechenim_sim_yam/statja-5.htm (ст. 5, older redaction)',
      'http://www.rpo.if.ua/index.php?act=page&id=2039 (2020-07-23: cap removed)',
      'https://informator.ua/uk/cherez-cnap-chi-pfu-yak-oformiti-derzhavnu-socialnu-dopomogu-malozabezpechenim-sim-yam',
    ],
  },
  {
    act: PROCEDURE,
    clause: 'term',
    note: 'granted from the month of application for six months (with automatic extension for the next six-month period where the recipients still qualify: not implemented here, a new application is needed)',
    status: 'confirmed by secondary sources, not the act text',
    checkedOn: CHECKED,
    references: [
      'https://dszn.loga.gov.ua/uk/page/derzhavna-socialna-dopomoga-malozabezpechenim-simyam',
      'https://informator.ua/uk/cherez-cnap-chi-pfu-yak-oformiti-derzhavnu-socialnu-dopomogu-malozabezpechenim-sim-yam',
    ],
  },
  {
    act: LAW,
    clause: 'ст. 1 (income)',
    note: "look-back: the income of the last six months before the month that precedes the month of application (an application in May 2024 takes the income of 1 October 2023 – 31 March 2024), computed by the Порядок of КМУ № 632, to which КМУ № 250 refers; the text of № 250 itself was not found. Implemented as the six months from (application month − 7) to (application month − 2), from the tax service's income facts (income_fact) of every member of the family; a month without facts counts as no income; the sum ÷ 6, rounded down to a kopiyka (integer division: the family is not charged a fraction of a kopiyka it did not have). When no member has any income fact in the look-back, the income the application declares (averageMonthlyIncomePerPersonKopiyky × persons in the household) is used and the explanation says so",
    status: 'confirmed by secondary sources, not the act text',
    checkedOn: CHECKED,
    references: [
      'https://smr.gov.ua/en/2016-03-14-08-10-17/informatsijni-materiali/informatsijni-materiali-z-pitan-sotszakhistu/184-osnovni-vidi-sotsialnoji-dopomogi/30971-period-vrakhuvannya-dokhodiv-pri-oformlenni-dlya-deyakikh-vidiv-derzhavnikh-sotsialnikh-dopomog.html (Порядок № 632: application in May → income 01.10.2023–31.03.2024 for the low-income assistance)',
      'http://www.mtlrg-kr.gov.ua/node/1767 (six months = two quarters)',
    ],
  },
  {
    act: METHOD,
    clause: 'income not counted',
    note: "one-off assistance and compensation (one-off within a calendar year) is not counted in the average monthly total income; pay of servicemen for the time of their direct participation in combat is not counted, while ordinary military pay is counted (after the military levy, redaction of КМУ № 303 of 18.03.2025). The tax feed (IncomeReportedV1) has only the kinds 'one-off' and 'military' and its contract says neither is counted in income tests, so both are left out here (as the extension's income test does); if the feed comes to tell combat pay from ordinary pay, ordinary pay should be counted",
    status: 'confirmed by secondary sources, not the act text',
    checkedOn: CHECKED,
    references: [
      'https://tashanska-gromada.gov.ua/news/1702462616/ (one-off assistance within a calendar year not counted)',
      'https://first.politeka.net/uk/458381-groshova-dopomoga-dlya-vpo-u-cherkaskiy-oblasti-ukrajinciv-poperedili-shcho-vplivaye-na-priznachennya-viplat (2025-09-18: one-off payments and combat pay not counted)',
      'https://stroyosnastka.com.ua/kabmin-zminyv-narakhuvannia-subsydiy-shcho-zminylos/ (КМУ № 303 of 18.03.2025)',
    ],
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
    references: [
      'https://kremenchug.ua/news/ukraine/71285-v-ukrayin-zaprovadzhujut-novu-socalnu-dopomogu-dlja-rodin-z-nizkim-dohodom.html',
      'https://for-ua.com/article/1248729 (2025-09-17)',
      'https://news.uaportal.com/ukr/section-news/news-vyiplatyi-maloimuschim-v-2026-godu-chto-izmenilos-i-kakie-summyi-pomoschi-02-01-2026.html',
    ],
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
export function categoryOf(
  m: MemberFact,
  month: string,
  params: ParameterTable,
): { category: LowIncomeCategory; age: number; uses: ParameterUse[] } {
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
export function guaranteedLevel(
  facts: ApplicationFacts,
  month: string,
  params: ParameterTable,
): { totalKopiyky: bigint; members: MemberLevel[] } {
  const on = firstOfMonth(month);
  const members: MemberLevel[] = [];
  for (const m of facts.members.filter((x) => countedIn(x, month))) {
    const c = categoryOf(m, month, params);
    const minimum = params.use(MINIMUM_OF[c.category], on);
    const percent = params.use(PERCENT_OF[c.category], on);
    members.push({
      personId: m.personId,
      category: c.category,
      age: c.age,
      levelKopiyky: percentOf(minimum.value, percent.value),
      uses: [minimum.use, percent.use, ...c.uses],
    });
  }
  return { totalKopiyky: members.reduce((s, x) => s + x.levelKopiyky, 0n), members };
}

/** Income kinds of the tax feed the average monthly total income leaves out (see the source note: one-off and military pay). */
export const LOW_INCOME_EXCLUDED_KINDS: readonly string[] = ['one-off', 'military'];
/** Months of the look-back and how far before the month of application it ends (the month preceding it is skipped). */
export const LOW_INCOME_LOOK_BACK_MONTHS = 6;
const LOOK_BACK_GAP_MONTHS = 2;

/** The months of income the family is assessed on: the six months before the month preceding the month of application. */
export function incomeLookBack(applicationDate: CalendarDate): string[] {
  const last = addMonthsToMonth(monthOf(applicationDate), -LOOK_BACK_GAP_MONTHS);
  return monthsBetween(addMonthsToMonth(last, -(LOW_INCOME_LOOK_BACK_MONTHS - 1)), last);
}

export interface IncomeFactLine {
  reportId: string;
  personId: string;
  month: string;
  incomeKind: string;
  amountKopiyky: string;
}

/**
 * The family's average monthly income from the tax service's income facts: every line of a member of the
 * family (the household without those on full state support, as in the month of application) within the
 * look-back, without the excluded kinds, summed and divided by the number of months (rounded down to a
 * kopiyka). Null when no member has any line in the look-back (the declared figure is used then).
 */
export function familyIncomeFromTax(input: {
  applicationDate: CalendarDate;
  members: MemberFact[];
  lines: IncomeFactLine[];
}): FamilyIncomeFacts | null {
  const months = incomeLookBack(input.applicationDate);
  const month = monthOf(input.applicationDate);
  const family = input.members.filter((m) => countedIn(m, month)).map((m) => m.personId);
  const inLookBack = new Set(months);
  const lines = input.lines.filter((l) => family.includes(l.personId) && inLookBack.has(l.month));
  if (!lines.length) return null;
  let counted = 0n;
  let excluded = 0n;
  const byPerson = family.map((personId) => ({ personId, counted: 0n, excluded: 0n, byKind: new Map<string, bigint>() }));
  for (const l of lines) {
    const p = byPerson.find((x) => x.personId === l.personId)!;
    const amount = BigInt(l.amountKopiyky);
    p.byKind.set(l.incomeKind, (p.byKind.get(l.incomeKind) ?? 0n) + amount);
    if (LOW_INCOME_EXCLUDED_KINDS.includes(l.incomeKind)) {
      excluded += amount;
      p.excluded += amount;
    } else {
      counted += amount;
      p.counted += amount;
    }
  }
  return {
    source: 'tax-income-facts',
    months,
    monthlyAverageKopiyky: (counted / BigInt(months.length)).toString(),
    countedKopiyky: counted.toString(),
    excludedKopiyky: excluded.toString(),
    excludedKinds: [...LOW_INCOME_EXCLUDED_KINDS],
    byPerson: byPerson.map((p) => ({
      personId: p.personId,
      countedKopiyky: p.counted.toString(),
      excludedKopiyky: p.excluded.toString(),
      byKind: Object.fromEntries([...p.byKind].map(([k, v]) => [k, v.toString()])),
    })),
    reportIds: lines.map((l) => l.reportId),
  };
}

export type FamilyIncome =
  | { source: 'tax-income-facts'; totalKopiyky: bigint; facts: FamilyIncomeFacts }
  | { source: 'declared'; totalKopiyky: bigint; perPersonKopiyky: bigint; persons: number };

/** The family's average monthly income (kopiyky): from the tax facts when there are any, else the application's declared figure, else null. */
export function familyIncome(facts: ApplicationFacts): FamilyIncome | null {
  const tax = facts.familyIncomeFacts;
  if (tax && /^[0-9]+$/.test(tax.monthlyAverageKopiyky))
    return { source: 'tax-income-facts', totalKopiyky: BigInt(tax.monthlyAverageKopiyky), facts: tax };
  const raw = facts.averageMonthlyIncomePerPersonKopiyky;
  if (raw === null || raw === undefined || !/^[0-9]+$/.test(raw)) return null;
  const perPerson = BigInt(raw);
  const persons = facts.members.length;
  return { source: 'declared', totalKopiyky: perPerson * BigInt(persons), perPersonKopiyky: perPerson, persons };
}

/** What the explanation shows of the income used. */
function incomeFacts(facts: ApplicationFacts, income: FamilyIncome | null): Record<string, unknown> {
  if (income?.source === 'tax-income-facts') {
    const t = income.facts;
    return {
      source: 'tax income facts (income_fact) of the members of the family',
      months: t.months,
      persons: t.byPerson.map((p) => p.personId),
      byPerson: t.byPerson,
      countedKopiyky: t.countedKopiyky,
      excludedKinds: t.excludedKinds,
      excludedKopiyky: t.excludedKopiyky,
      divisorMonths: t.months.length,
      rounding: 'down to a kopiyka',
      familyKopiyky: t.monthlyAverageKopiyky,
      reportIds: t.reportIds,
    };
  }
  return {
    source:
      'declared on the application (averageMonthlyIncomePerPersonKopiyky × persons in the household): no tax income fact of any member in the look-back',
    months: incomeLookBack(facts.applicationDate),
    perPersonKopiyky: income?.source === 'declared' ? income.perPersonKopiyky.toString() : null,
    persons: income?.source === 'declared' ? income.persons : facts.members.length,
    familyKopiyky: income?.totalKopiyky.toString() ?? null,
  };
}

function levelNode(facts: ApplicationFacts, month: string, params: ParameterTable): { node: ExplanationNode; total: bigint } {
  const level = guaranteedLevel(facts, month, params);
  const children = level.members.map((x) =>
    node(LowIncomeRules.category, 'amount', { personId: x.personId, category: x.category, ageBeforeMonth: x.age, month }, x.uses, {
      amountKopiyky: x.levelKopiyky.toString(),
      period: month,
    }),
  );
  return {
    total: level.totalKopiyky,
    node: node(LowIncomeRules.level, 'amount', { month, members: level.members.length }, [], {
      amountKopiyky: level.totalKopiyky.toString(),
      period: month,
      children,
    }),
  };
}

function computeMonths(
  facts: ApplicationFacts,
  period: { from: string; to: string },
  income: bigint,
  params: ParameterTable,
  version: string,
): { months: MonthAmount[]; nodes: ExplanationNode[] } {
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
          notCounted: facts.members
            .filter((m) => !countedIn(m, month))
            .map((m) => ({
              personId: m.personId,
              reason: m.fullStateSupport ? 'full state support' : m.deathDate ? `died ${m.deathDate}` : `born ${m.birthDate}`,
            })),
        }),
      );
      if (!applicant || (applicant.deathDate !== null && applicant.deathDate <= on))
        reasons.push({ code: 'APPLICANT_DECEASED', text: 'the applicant is recorded as deceased' });
      if (!counted.length) reasons.push({ code: 'NO_ELIGIBLE_MEMBERS', text: 'no member of the household belongs to the family' });
      const income = familyIncome(facts);
      nodes.push(
        node(
          LowIncomeRules.income,
          income ? 'info' : 'failed',
          incomeFacts(facts, income),
          [],
          income ? { amountKopiyky: income.totalKopiyky.toString() } : {},
        ),
      );
      if (!income)
        reasons.push({
          code: 'FAMILY_INCOME_MISSING',
          text: 'no tax income fact of any member in the look-back and the application declares no average monthly income of the family',
        });
      let months: MonthAmount[] = [];
      let periodFrom: string | null = null;
      let periodTo: string | null = null;
      if (!reasons.length) {
        const level = levelNode(facts, month, params);
        nodes.push(level.node);
        const difference = level.total - income!.totalKopiyky;
        const below = difference > 0n;
        nodes.push(
          node(
            LowIncomeRules.amount,
            below ? 'amount' : 'failed',
            {
              levelKopiyky: level.total.toString(),
              incomeKopiyky: income!.totalKopiyky.toString(),
              incomeSource: income!.source,
              differenceKopiyky: difference.toString(),
            },
            [],
            { amountKopiyky: (below ? difference : 0n).toString(), period: month },
          ),
        );
        if (!below) {
          reasons.push({
            code: 'INCOME_NOT_BELOW_GUARANTEED_LEVEL',
            text: `the family's average monthly income ${formatUah(income!.totalKopiyky)} is not below its guaranteed level ${formatUah(level.total)}`,
          });
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
        explanation: node(
          { id: 'low-income', title: "Державна соціальна допомога малозабезпеченим сім'ям", legalRef: LAW },
          eligible ? 'passed' : 'failed',
          { ruleSetVersion: version, applicationDate: on },
          [],
          { children: nodes },
        ),
      };
    },
    recalculate(facts, period, params) {
      const income = familyIncome(facts);
      const computed = computeMonths(facts, period, income?.totalKopiyky ?? 0n, params, version);
      // Without an income fact nothing can be paid: the months come out as nothing and the assignment ends.
      const months = income
        ? computed.months
        : computed.months.map((m) => ({ ...m, amountKopiyky: 0n, explanation: `${version}: no income fact of the family` }));
      return {
        months,
        explanation: node(
          LowIncomeRules.recalculation,
          'amount',
          {
            ruleSetVersion: version,
            period,
            incomeKopiyky: income?.totalKopiyky.toString() ?? null,
            incomeSource: income?.source ?? null,
            income: incomeFacts(facts, income),
          },
          [],
          { children: computed.nodes },
        ),
      };
    },
  };
}

export const LOW_INCOME_VERSION = 'low-income-family@2025-01-01';

export const LowIncomeFamily: Programme = {
  code: LOW_INCOME_PROGRAMME_CODE,
  title: "Державна соціальна допомога малозабезпеченим сім'ям",
  selectorName: 'applicationDate',
  selectorDate: (facts) => facts.applicationDate,
  ruleSets: [lowIncomeRuleSet(LOW_INCOME_VERSION, '2025-01-01', null)],
};
