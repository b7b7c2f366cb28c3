import { addMonthsToMonth, monthOf, monthsBetween, firstOfMonth, lastOfMonth, type CalendarDate } from '@eisss/platform';
import type { ParameterTable, ParameterUse } from './parameters';
import {
  formatUah,
  node,
  statusValidWithin,
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

export const IDP_PROGRAMME_CODE = 'idp-living-allowance';

const ACT = 'Порядок надання допомоги на проживання ВПО, постанова КМУ від 20.03.2022 № 332';

export const IdpRules = {
  applicantAlive: { id: 'idp.applicant-alive', title: 'The applicant is alive on the date of application', legalRef: `${ACT}, п. 2` },
  applicantStatus: { id: 'idp.applicant-idp-status', title: 'The applicant holds an IDP certificate valid on the date of application', legalRef: `${ACT}, п. 2` },
  origin: { id: 'idp.origin-eligible', title: 'Moved from a territory of hostilities/occupation without an end date, or housing destroyed', legalRef: `${ACT}, п. 2 (ред. № 94 від 26.01.2024)` },
  members: { id: 'idp.members-counted', title: 'Members counted in the family: IDP, alive, not mobilised, not on full state support', legalRef: `${ACT}, п. 4, п. 13` },
  term: { id: 'idp.term', title: 'Term: six months from the month of application', legalRef: `${ACT}, п. 4 (ред. № 94 від 26.01.2024)` },
  monthly: { id: 'idp.monthly-amount', title: 'Monthly amount: 3 000 UAH per child or person with disability, 2 000 UAH per other member', legalRef: `${ACT}, п. 4` },
  member: { id: 'idp.member-amount', title: 'Amount for one member in one month', legalRef: `${ACT}, п. 4` },
  extension: { id: 'idp.extension-eligibility', title: 'Extension for a further six months: vulnerable categories and income test', legalRef: `${ACT}, п. 4-1 (ред. серпень 2025)` },
} as const;

const notes: SourceNote[] = [
  {
    act: ACT,
    clause: 'п. 4',
    note: '3 000 UAH for a child and a person with disability, 2 000 UAH for other persons, per member, paid to one member',
    status: 'confirmed by secondary sources, not the act text',
    checkedOn: '2026-11-23',
    references: ['https://kozova-rada.gov.ua/news/1649682396/ (community notice, 2022)', 'https://cnap.zelenopidska-gromada.gov.ua/news/192377 (2025-01-08)'],
  },
  { act: ACT, clause: 'п. 4', note: 'six months from the month of application whatever its day; no rule for late applications or communities added to the list is implemented', status: 'as stated in RULES.md, not confirmed', checkedOn: '2026-11-23' },
  { act: ACT, clause: 'п. 13', note: 'death of a member: recalculated from the next month; death of the recipient: terminated from the next month', status: 'as stated in RULES.md, not confirmed', checkedOn: '2026-11-23' },
  { act: ACT, clause: 'п. 4', note: 'a child counts as a child up to and including the month of the 18th birthday; adult amount from the following month (interpretation)', status: 'as stated in RULES.md, not confirmed', checkedOn: '2026-11-23' },
  {
    act: `${ACT} (зміни від 26.08.2025)`,
    clause: 'п. 4-1',
    note: 'extension for a further six months, automatic from 26.08.2025, implemented for: disability I–III, families with children under 18 (under 23 studying), families of persons unable to work only; income test 4 × subsistence minimum for persons unable to work; the rest of the list ("тощо") is not confirmed',
    status: 'confirmed by secondary sources, not the act text',
    checkedOn: '2026-11-23',
    references: ['https://interfax.com.ua/news/general/1099474.html (2025-08-26, ministry press release)', 'https://sud.ua/uk/news/ukraine/339562 (2025-08-27)'],
  },
  { act: ACT, clause: 'п. 2', note: 'origin eligibility is taken from the IDP status details (originEligible=false refuses); the official list of territories is not loaded', status: 'as stated in RULES.md, not confirmed', checkedOn: '2026-11-23' },
];

function isAlive(m: MemberFact, on: CalendarDate): boolean {
  return m.deathDate === null || m.deathDate > on;
}

/** A child up to and including the month of the 18th birthday. */
function isChildInMonth(m: MemberFact, month: string): boolean {
  const [y, mm] = m.birthDate.split('-') as [string, string];
  return `${Number(y) + 18}-${mm}` >= month;
}

function ageYears(birthDate: CalendarDate, on: CalendarDate): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

interface MemberInMonth {
  counted: boolean;
  why: string;
  category?: 'child' | 'disability' | 'other';
}

function memberInMonth(m: MemberFact, month: string): MemberInMonth {
  const from = firstOfMonth(month);
  const to = lastOfMonth(month);
  if (m.birthDate > to) return { counted: false, why: 'not yet born' };
  // Death: counted up to the month of death, stopped from the next month.
  if (m.deathDate !== null && monthOf(m.deathDate) < month) return { counted: false, why: `died ${m.deathDate}` };
  if (!statusValidWithin(m, 'idp', from, to)) return { counted: false, why: 'no IDP status in the month' };
  if (m.mobilised) return { counted: false, why: 'mobilised / taking part in defence' };
  if (m.fullStateSupport) return { counted: false, why: 'on full state support' };
  if (statusValidWithin(m, 'disability', from, to)) return { counted: true, why: 'person with disability', category: 'disability' };
  if (isChildInMonth(m, month)) return { counted: true, why: 'child under 18', category: 'child' };
  return { counted: true, why: 'other member', category: 'other' };
}

function computeMonths(facts: ApplicationFacts, period: { from: string; to: string }, params: ParameterTable, version: string): { months: MonthAmount[]; node: ExplanationNode; counted: Set<string> } {
  const months: MonthAmount[] = [];
  const children: ExplanationNode[] = [];
  const counted = new Set<string>();
  for (const month of monthsBetween(period.from, period.to)) {
    const on = firstOfMonth(month);
    const child = params.use('idp.amount.child-or-disability', on);
    const other = params.use('idp.amount.other', on);
    let total = 0n;
    const memberNodes: ExplanationNode[] = [];
    const parts: string[] = [];
    for (const m of facts.members) {
      const r = memberInMonth(m, month);
      if (!r.counted) {
        memberNodes.push(node(IdpRules.member, 'not_applicable', { personId: m.personId, reason: r.why }, [], { amountKopiyky: '0', period: month }));
        continue;
      }
      counted.add(m.personId);
      const p = r.category === 'other' ? other : child;
      total += p.value;
      parts.push(`${r.category} ${formatUah(p.value)}`);
      memberNodes.push(node(IdpRules.member, 'amount', { personId: m.personId, category: r.category, birthDate: m.birthDate }, [p.use], { amountKopiyky: p.value.toString(), period: month }));
    }
    months.push({
      month,
      amountKopiyky: total,
      explanation: `${version}: ${IdpRules.monthly.legalRef}; ${month}: ${parts.length ? parts.join(' + ') : 'no member counted'} = ${formatUah(total)}`,
    });
    children.push(node(IdpRules.monthly, 'amount', { month, membersCounted: parts.length }, [child.use, other.use], { amountKopiyky: total.toString(), period: month, children: memberNodes }));
  }
  return { months, counted, node: node(IdpRules.monthly, 'amount', { periodFrom: period.from, periodTo: period.to }, [], { children }) };
}

function unableToWork(m: MemberFact, on: CalendarDate): boolean {
  return ageYears(m.birthDate, on) >= 60 || !!statusValidWithin(m, 'disability', on, on) || !!statusValidWithin(m, 'pensioner', on, on);
}

function extensionNode(facts: ApplicationFacts, params: ParameterTable, automatic: boolean): ExplanationNode {
  const on = facts.applicationDate;
  const alive = facts.members.filter((m) => isAlive(m, on));
  const categories: string[] = [];
  if (alive.some((m) => statusValidWithin(m, 'disability', on, on))) categories.push('member with disability (I–III)');
  if (alive.some((m) => ageYears(m.birthDate, on) < 18 || (ageYears(m.birthDate, on) < 23 && m.studying))) categories.push('family with children under 18 (23 studying)');
  if (alive.length > 0 && alive.every((m) => unableToWork(m, on))) categories.push('family of persons unable to work only');
  const used: ParameterUse[] = [];
  let incomeOk: boolean | null = null;
  if (facts.averageMonthlyIncomePerPersonKopiyky != null) {
    const sm = params.use('subsistence-minimum.unable-to-work', on);
    const mult = params.use('idp.extension.income-multiplier', on);
    used.push(sm.use, mult.use);
    incomeOk = BigInt(facts.averageMonthlyIncomePerPersonKopiyky) <= sm.value * mult.value;
  }
  const eligible = categories.length > 0 && incomeOk !== false;
  return node(
    IdpRules.extension,
    'info',
    { vulnerableCategories: categories, averageMonthlyIncomePerPersonKopiyky: facts.averageMonthlyIncomePerPersonKopiyky ?? null, incomeTestPassed: incomeOk, extensionEligible: eligible, automatic },
    used,
  );
}

function idpRuleSet(version: string, effectiveFrom: CalendarDate, effectiveTo: CalendarDate | null, automaticExtension: boolean): RuleSet {
  return {
    programmeCode: IDP_PROGRAMME_CODE,
    version,
    effectiveFrom,
    effectiveTo,
    rules: Object.values(IdpRules),
    sourceNotes: notes,
    decide(facts, params) {
      const on = facts.applicationDate;
      const applicant = facts.members.find((m) => m.personId === facts.applicantPersonId);
      const nodes: ExplanationNode[] = [];
      const reasons: Reason[] = [];
      const refuse = (code: string, text: string) => reasons.push({ code, text });
      if (!applicant || !isAlive(applicant, on)) {
        nodes.push(node(IdpRules.applicantAlive, 'failed', { deathDate: applicant?.deathDate ?? null, applicationDate: on }));
        refuse('APPLICANT_DECEASED', 'the applicant is not alive on the date of application');
      } else nodes.push(node(IdpRules.applicantAlive, 'passed', { deathDate: null, applicationDate: on }));
      const status = applicant ? statusValidWithin(applicant, 'idp', on, on) : undefined;
      if (!status) {
        nodes.push(node(IdpRules.applicantStatus, 'failed', { applicationDate: on, idpStatus: null }));
        refuse('IDP_STATUS_MISSING', 'the applicant holds no IDP certificate valid on the date of application');
      } else {
        nodes.push(node(IdpRules.applicantStatus, 'passed', { applicationDate: on, idpStatus: { validFrom: status.validFrom, validTo: status.validTo, certificateNumber: status.details?.certificateNumber ?? null } }));
        const originEligible = status.details?.originEligible !== false || status.details?.housingDestroyed === true;
        nodes.push(node(IdpRules.origin, originEligible ? 'passed' : 'failed', { originKatottg: status.details?.originKatottg ?? null, originEligible: status.details?.originEligible ?? null, housingDestroyed: status.details?.housingDestroyed ?? null }));
        if (!originEligible) refuse('ORIGIN_NOT_ELIGIBLE', 'the territory of origin is not on the list and the housing is not recorded as destroyed');
      }
      const termMonths = params.use('idp.term-months', on);
      const from = monthOf(on);
      const to = addMonthsToMonth(from, Number(termMonths.value) - 1);
      nodes.push(node(IdpRules.term, 'info', { applicationDate: on, periodFrom: from, periodTo: to }, [termMonths.use]));
      const computed = computeMonths(facts, { from, to }, params, version);
      const firstMonthMembers = facts.members.map((m) => ({ personId: m.personId, ...memberInMonth(m, from) }));
      const countedFirst = firstMonthMembers.filter((m) => m.counted);
      nodes.push(node(IdpRules.members, countedFirst.length > 0 ? 'passed' : 'failed', { month: from, members: firstMonthMembers.map((m) => ({ personId: m.personId, counted: m.counted, reason: m.why })) }));
      if (countedFirst.length === 0 && reasons.length === 0) refuse('NO_ELIGIBLE_MEMBERS', 'no member of the family is counted for the allowance');
      const eligible = reasons.length === 0;
      if (eligible) {
        nodes.push(computed.node);
        nodes.push(extensionNode(facts, params, automaticExtension));
      }
      return {
        programmeCode: IDP_PROGRAMME_CODE,
        ruleSetVersion: version,
        eligible,
        reasons,
        recipientPersonId: facts.applicantPersonId,
        memberPersonIds: eligible ? facts.members.filter((m) => computed.counted.has(m.personId)).map((m) => m.personId) : [],
        periodFrom: eligible ? from : null,
        periodTo: eligible ? to : null,
        months: eligible ? computed.months : [],
        explanation: node({ id: 'idp', title: 'IDP living allowance', legalRef: ACT }, eligible ? 'passed' : 'failed', { ruleSetVersion: version, applicationDate: on }, [], { children: nodes }),
      };
    },
    extend(facts, periodTo, params) {
      const from = addMonthsToMonth(periodTo, 1);
      const on = firstOfMonth(from);
      const termMonths = params.use('idp.term-months', on);
      const node = extensionNode({ ...facts, applicationDate: on }, params, automaticExtension);
      return { eligible: node.facts.extensionEligible === true, newPeriodTo: addMonthsToMonth(periodTo, Number(termMonths.value)), explanation: { ...node, parameters: [...node.parameters, termMonths.use], period: from } };
    },
    recalculate(facts, period, params) {
      const c = computeMonths(facts, period, params, version);
      return { months: c.months, explanation: node({ id: 'idp.recalculation', title: 'IDP living allowance: recalculation', legalRef: ACT }, 'amount', { ruleSetVersion: version }, [], { children: [c.node] }) };
    },
  };
}

export const IdpLivingAllowance: Programme = {
  code: IDP_PROGRAMME_CODE,
  title: 'Допомога на проживання ВПО',
  selectorName: 'applicationDate',
  selectorDate: (facts) => facts.applicationDate,
  ruleSets: [idpRuleSet('idp-living-allowance@2024-03-01', '2024-03-01', '2025-08-25', false), idpRuleSet('idp-living-allowance@2025-08-26', '2025-08-26', null, true)],
};
