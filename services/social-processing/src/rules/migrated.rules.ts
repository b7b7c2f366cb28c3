import { monthOf, monthsBetween, type CalendarDate } from '@eisss/platform';
import {
  formatUah,
  node,
  type ApplicationFacts,
  type Evaluation,
  type ExplanationNode,
  type MigratedFacts,
  type MonthAmount,
  type RuleSet,
} from './rule-set';

/** The rule-set version of an assignment taken over from a system in use: `migration@<source system>`. */
export const MIGRATION_RULE_SET_PREFIX = 'migration@';

/** The source systems as the explanations name them. */
export const LEGACY_SOURCE_NAMES: Record<string, string> = {
  asopd: 'АСОПД',
  komtekh: 'КОМТЕХ',
  edarp: 'ЄДАРП',
  subsidies: '«Житлові субсидії»',
};

export const MigrationRules = {
  takeOver: {
    id: 'migration.take-over',
    title: 'An active assignment of a system in use is taken over with its term and monthly amount as the source system decided them',
    legalRef: 'docs/migration.md, розділ 3 (масове перенесення даних систем, що використовуються)',
  },
  recipientDeath: {
    id: 'migration.recipient-death',
    title: "Not paid for the months after the month of the recipient's death",
    legalRef: 'docs/migration.md, розділ 3',
  },
};

/** `DD.MM.YYYY`, as a decision date is written in Ukrainian. */
function uaDate(d: CalendarDate): string {
  const [y, m, day] = d.split('-');
  return `${day}.${m}.${y}`;
}

/** "перенесено з АСОПД, справа № …, рішення № … від …; сума за даними системи-джерела". */
export function migrationExplanation(m: Pick<MigratedFacts, 'sourceSystem' | 'legacyCaseNumber' | 'decision'>): string {
  const source = LEGACY_SOURCE_NAMES[m.sourceSystem] ?? m.sourceSystem;
  const parts = [`перенесено з ${source}`, `справа № ${m.legacyCaseNumber}`];
  const d = m.decision;
  if (d && (d.number || d.date))
    parts.push(['рішення', d.number ? `№ ${d.number}` : null, d.date ? `від ${uaDate(d.date)}` : null].filter(Boolean).join(' '));
  return `${parts.join(', ')}; сума за даними системи-джерела`;
}

/**
 * The months of a migrated assignment: the source system's monthly amount for every month of the term,
 * nothing for the months after the month of the recipient's death (the only fact that changes what is
 * paid: the amount is the source system's decision, not recomputed from statuses here).
 */
export function migratedMonths(facts: ApplicationFacts, period: { from: string; to: string }): MonthAmount[] {
  const m = facts.migrated;
  if (!m) throw new Error('not a migrated assignment: its facts name no legacy case');
  const amount = BigInt(m.monthlyAmountKopiyky);
  const recipient = facts.members.find((x) => x.personId === facts.applicantPersonId);
  const deathMonth = recipient?.deathDate ? monthOf(recipient.deathDate) : null;
  const text = migrationExplanation(m);
  return monthsBetween(period.from, period.to).map((month) =>
    deathMonth !== null && month > deathMonth
      ? { month, amountKopiyky: 0n, explanation: `${text}; не виплачується: отримувач помер ${uaDate(recipient!.deathDate!)}` }
      : { month, amountKopiyky: amount, explanation: text },
  );
}

/** The explanation of a migrated assignment's months: the legacy case, the source's decision and amount. */
export function migratedExplanation(facts: ApplicationFacts, programmeCode: string, period: { from: string; to: string }): ExplanationNode {
  const m = facts.migrated!;
  const recipient = facts.members.find((x) => x.personId === facts.applicantPersonId);
  return node(
    MigrationRules.takeOver,
    'amount',
    {
      programmeCode,
      sourceSystem: m.sourceSystem,
      legacyCaseNumber: m.legacyCaseNumber,
      importJobId: m.importJobId,
      decision: m.decision,
      monthlyAmount: formatUah(BigInt(m.monthlyAmountKopiyky)),
    },
    [],
    {
      amountKopiyky: m.monthlyAmountKopiyky,
      period: `${period.from}..${period.to}`,
      children: recipient?.deathDate
        ? [node(MigrationRules.recipientDeath, 'info', { deathDate: recipient.deathDate, lastPaidMonth: monthOf(recipient.deathDate) })]
        : [],
    },
  );
}

/**
 * The rule set of a migrated assignment of a programme: its recalculation (a status change, a finding, the
 * recipient's death, an officer's recalculation) keeps the source system's amounts and stops after the
 * recipient's death; it decides no application (a migrated assignment has none) and has no extension.
 */
export function migratedRuleSet(programmeCode: string, version: string): RuleSet {
  return {
    programmeCode,
    version,
    effectiveFrom: '1900-01-01',
    effectiveTo: null,
    rules: Object.values(MigrationRules),
    sourceNotes: [],
    decide(facts: ApplicationFacts): Evaluation {
      return {
        programmeCode,
        ruleSetVersion: version,
        eligible: false,
        reasons: [{ code: 'MIGRATION_DECIDES_NOTHING', text: 'a migrated assignment is taken over, never decided on an application' }],
        recipientPersonId: facts.applicantPersonId,
        memberPersonIds: [],
        periodFrom: null,
        periodTo: null,
        months: [],
        explanation: node(MigrationRules.takeOver, 'not_applicable', {}),
      };
    },
    recalculate(facts: ApplicationFacts, period: { from: string; to: string }) {
      return { months: migratedMonths(facts, period), explanation: migratedExplanation(facts, programmeCode, period) };
    },
  };
}
