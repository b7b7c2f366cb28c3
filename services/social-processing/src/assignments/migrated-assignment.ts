import type { AssignmentMigratedV1, PayloadOf } from '@eisss/contracts';
import { DomainError, firstOfMonth, monthsBetween } from '@eisss/platform';
import type { KnownPerson } from '../person-projection/person-projection.repository';
import { MIGRATION_RULE_SET_PREFIX, migratedExplanation, migratedMonths } from '../rules/migrated.rules';
import { programmeOf } from '../rules/programmes';
import type { ApplicationFacts, Evaluation } from '../rules/rule-set';
import { AssignmentErrorCode } from './assignments.errors';
import type { Origin } from './assignments.repository';
import { toStoredMonths, type StoredMonth } from './recalculation';

export type MigratedAssignment = PayloadOf<typeof AssignmentMigratedV1>;

/** The longest term processing takes over from a system in use (months); a longer one is a data error of the extract. */
export const MAX_MIGRATED_MONTHS = 120;

/** What a migrated assignment becomes: version 1 as grant() writes it, with its origin. */
export interface MigratedAssignmentPlan {
  origin: Origin;
  facts: ApplicationFacts;
  evaluation: Omit<Evaluation, 'months'> & { months: StoredMonth[] };
}

/**
 * The checks that do not depend on processing's state (a failing one is a data error of the import: the
 * event goes to the DLQ with the reason): the programme is one processing runs, the amount is positive,
 * the term runs forward and is not longer than MAX_MIGRATED_MONTHS.
 */
export function checkMigratedAssignment(e: MigratedAssignment): void {
  if (!programmeOf(e.programmeCode))
    throw DomainError.unprocessable(
      AssignmentErrorCode.MIGRATION_PROGRAMME_UNKNOWN,
      `programme ${e.programmeCode} is not a programme of processing (legacy case ${e.sourceSystem}/${e.legacyCaseNumber})`,
      'programmeCode',
    );
  if (BigInt(e.monthlyAmountKopiyky) <= 0n)
    throw DomainError.unprocessable(
      AssignmentErrorCode.MIGRATION_AMOUNT_INVALID,
      `monthly amount ${e.monthlyAmountKopiyky} kopiyky is not positive (legacy case ${e.sourceSystem}/${e.legacyCaseNumber})`,
      'monthlyAmountKopiyky',
    );
  if (e.periodFrom > e.periodTo)
    throw DomainError.unprocessable(
      AssignmentErrorCode.MIGRATION_PERIOD_INVALID,
      `the term ${e.periodFrom}..${e.periodTo} ends before it starts (legacy case ${e.sourceSystem}/${e.legacyCaseNumber})`,
      'periodTo',
    );
  if (monthsBetween(e.periodFrom, e.periodTo).length > MAX_MIGRATED_MONTHS)
    throw DomainError.unprocessable(
      AssignmentErrorCode.MIGRATION_PERIOD_INVALID,
      `the term ${e.periodFrom}..${e.periodTo} is longer than ${MAX_MIGRATED_MONTHS} months (legacy case ${e.sourceSystem}/${e.legacyCaseNumber})`,
      'periodTo',
    );
}

/**
 * Version 1 of a migrated assignment: the recipient alone (processing holds no projection of the
 * register's households; the register's household id is carried on), the source system's monthly
 * amount for every month of the term with the explanation naming the legacy case, the rule set
 * `migration@<source system>` (its recalculations keep the amounts), status active, no application.
 */
export function migratedAssignmentPlan(e: MigratedAssignment, recipient: KnownPerson): MigratedAssignmentPlan {
  checkMigratedAssignment(e);
  if (recipient.deathDate)
    throw DomainError.unprocessable(
      AssignmentErrorCode.MIGRATION_RECIPIENT_DECEASED,
      `the recipient died on ${recipient.deathDate} (register): legacy case ${e.sourceSystem}/${e.legacyCaseNumber} is not taken over`,
      'personId',
    );
  const facts: ApplicationFacts = {
    applicationDate: e.decision?.date ?? firstOfMonth(e.periodFrom),
    applicantPersonId: e.personId,
    members: [
      {
        personId: e.personId,
        role: 'applicant',
        relation: 'self',
        birthDate: recipient.birthDate,
        deathDate: null,
        statuses: recipient.statuses.map((s) => ({
          statusId: s.statusId,
          type: s.type,
          validFrom: s.validFrom,
          validTo: s.validTo,
          details: s.details,
        })),
      },
    ],
    migrated: {
      sourceSystem: e.sourceSystem,
      legacyCaseNumber: e.legacyCaseNumber,
      importJobId: e.importJobId,
      monthlyAmountKopiyky: BigInt(e.monthlyAmountKopiyky).toString(),
      decision: e.decision ? { number: e.decision.number, date: e.decision.date } : null,
    },
  };
  const period = { from: e.periodFrom, to: e.periodTo };
  return {
    origin: { kind: 'migration', sourceSystem: e.sourceSystem, legacyCaseNumber: e.legacyCaseNumber, importJobId: e.importJobId },
    facts,
    evaluation: {
      programmeCode: e.programmeCode,
      ruleSetVersion: `${MIGRATION_RULE_SET_PREFIX}${e.sourceSystem}`,
      eligible: true,
      reasons: [],
      recipientPersonId: e.personId,
      memberPersonIds: [e.personId],
      periodFrom: e.periodFrom,
      periodTo: e.periodTo,
      months: toStoredMonths(migratedMonths(facts, period)),
      explanation: migratedExplanation(facts, e.programmeCode, period),
    },
  };
}
