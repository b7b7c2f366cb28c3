import { AssignmentGrantedV2, AssignmentMigratedV1 } from '@eisss/contracts';
import { DomainError, payloadProblems } from '@eisss/platform';
import type { KnownPerson } from '../person-projection/person-projection.repository';
import { ruleSetByVersion } from '../rules/programmes';
import { migrationExplanation } from '../rules/migrated.rules';
import { AssignmentErrorCode } from './assignments.errors';
import { assignmentSnapshot } from './assignments.service';
import type { AssignmentRecord } from './assignments.repository';
import { MAX_MIGRATED_MONTHS, migratedAssignmentPlan, type MigratedAssignment } from './migrated-assignment';
import { planRecalculation, toStoredMonths } from './recalculation';

const event: MigratedAssignment = { ...AssignmentMigratedV1.fixture };
const recipient: KnownPerson = {
  personId: event.personId,
  rnokppMasked: '******9324',
  lastName: 'Шевченко',
  firstName: 'Олена',
  birthDate: '1990-05-17',
  deathDate: null,
  katottg: event.katottg,
  statuses: [
    {
      statusId: '0b6f8a52-3c1d-4e7f-9a0b-1c2d3e4f5a6b',
      personId: event.personId,
      type: 'idp',
      validFrom: '2024-01-01',
      validTo: null,
      details: {},
    },
  ],
};
const TEXT = 'перенесено з АСОПД, справа № ASOPD-0001-123456, рішення № 123/2026 від 28.08.2026; сума за даними системи-джерела';

function rejected(e: MigratedAssignment, person: KnownPerson = recipient): DomainError {
  try {
    migratedAssignmentPlan(e, person);
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return err as DomainError;
  }
  throw new Error('expected a rejection');
}

describe('a migrated assignment (AssignmentMigratedV1 → version 1)', () => {
  it('pays the source amount (bigint kopiyky as a string) for every month of the term, explained by the legacy case', () => {
    const plan = migratedAssignmentPlan(event, recipient);
    expect(plan.evaluation.months).toEqual(
      ['2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02'].map((month) => ({
        month,
        amountKopiyky: '200000',
        explanation: TEXT,
      })),
    );
    expect(plan.evaluation).toMatchObject({
      programmeCode: 'idp-living-allowance',
      ruleSetVersion: 'migration@asopd',
      eligible: true,
      recipientPersonId: event.personId,
      memberPersonIds: [event.personId],
      periodFrom: '2026-09',
      periodTo: '2027-02',
    });
    expect(plan.evaluation.explanation).toMatchObject({
      rule: 'migration.take-over',
      outcome: 'amount',
      amountKopiyky: '200000',
      facts: {
        sourceSystem: 'asopd',
        legacyCaseNumber: 'ASOPD-0001-123456',
        importJobId: event.importJobId,
        monthlyAmount: '2 000.00 UAH',
      },
    });
    expect(plan.origin).toEqual({
      kind: 'migration',
      sourceSystem: 'asopd',
      legacyCaseNumber: 'ASOPD-0001-123456',
      importJobId: event.importJobId,
    });
    expect(plan.facts).toMatchObject({
      applicationDate: '2026-08-28',
      applicantPersonId: event.personId,
      members: [{ personId: event.personId, role: 'applicant', relation: 'self', birthDate: '1990-05-17', deathDate: null }],
      migrated: { monthlyAmountKopiyky: '200000', decision: { number: '123/2026', date: '2026-08-28' } },
    });
    expect(plan.facts.members[0]!.statuses.map((s) => s.type)).toEqual(['idp']);
  });

  it('keeps amounts beyond a float exactly and normalises them', () => {
    const plan = migratedAssignmentPlan({ ...event, monthlyAmountKopiyky: '0900719925474099312', periodTo: '2026-09' }, recipient);
    expect(plan.evaluation.months.map((m) => m.amountKopiyky)).toEqual(['900719925474099312']);
  });

  it('names the source system and as much of the decision as is known', () => {
    const base = { sourceSystem: 'komtekh', legacyCaseNumber: 'K-7' };
    expect(migrationExplanation({ ...base, decision: null })).toBe('перенесено з КОМТЕХ, справа № K-7; сума за даними системи-джерела');
    expect(migrationExplanation({ ...base, sourceSystem: 'subsidies', decision: { number: null, date: '2025-01-05' } })).toBe(
      'перенесено з «Житлові субсидії», справа № K-7, рішення від 05.01.2025; сума за даними системи-джерела',
    );
    expect(migrationExplanation({ ...base, sourceSystem: 'edarp', decision: { number: '9', date: null } })).toBe(
      'перенесено з ЄДАРП, справа № K-7, рішення № 9; сума за даними системи-джерела',
    );
    const plan = migratedAssignmentPlan({ ...event, decision: null }, recipient);
    expect(plan.facts.applicationDate).toBe('2026-09-01');
  });

  it.each([
    ['an unknown programme', { programmeCode: 'no-such-programme' }, AssignmentErrorCode.MIGRATION_PROGRAMME_UNKNOWN, 'programmeCode'],
    ['a zero amount', { monthlyAmountKopiyky: '0' }, AssignmentErrorCode.MIGRATION_AMOUNT_INVALID, 'monthlyAmountKopiyky'],
    ['a negative amount', { monthlyAmountKopiyky: '-100' }, AssignmentErrorCode.MIGRATION_AMOUNT_INVALID, 'monthlyAmountKopiyky'],
    [
      'a term ending before it starts',
      { periodFrom: '2027-01', periodTo: '2026-12' },
      AssignmentErrorCode.MIGRATION_PERIOD_INVALID,
      'periodTo',
    ],
    ['a term too long', { periodFrom: '2020-01', periodTo: '2030-01' }, AssignmentErrorCode.MIGRATION_PERIOD_INVALID, 'periodTo'],
  ])('rejects %s (unprocessable: the event goes to the DLQ)', (_what, over, code, field) => {
    const err = rejected({ ...event, ...over } as MigratedAssignment);
    expect({ code: err.code, kind: err.kind, field: err.field }).toEqual({ code, kind: 'unprocessable', field });
    expect(err.message).toContain('asopd/ASOPD-0001-123456');
  });

  it(`takes over a term of ${MAX_MIGRATED_MONTHS} months`, () => {
    expect(migratedAssignmentPlan({ ...event, periodFrom: '2020-01', periodTo: '2029-12' }, recipient).evaluation.months).toHaveLength(120);
  });

  it('rejects a recipient the register knows to be deceased', () => {
    const err = rejected(event, { ...recipient, deathDate: '2026-07-01' });
    expect([err.code, err.kind]).toEqual([AssignmentErrorCode.MIGRATION_RECIPIENT_DECEASED, 'unprocessable']);
  });

  it("recalculates with the source amounts (a status change changes nothing) and stops after the recipient's death", () => {
    const plan = migratedAssignmentPlan(event, recipient);
    const ruleSet = ruleSetByVersion('idp-living-allowance', 'migration@asopd')!;
    expect(ruleSet.version).toBe('migration@asopd');
    expect(ruleSet.extend).toBeUndefined();
    const previous = { periodFrom: '2026-09', months: plan.evaluation.months };
    const period = { from: '2026-09', to: '2027-02' };
    const same = ruleSet.recalculate({ ...plan.facts, members: [{ ...plan.facts.members[0]!, statuses: [] }] }, period, undefined as never);
    expect(planRecalculation(previous, toStoredMonths(same.months)).differences).toEqual([]);

    const died = { ...plan.facts, members: [{ ...plan.facts.members[0]!, deathDate: '2026-11-20' }] };
    const after = planRecalculation(previous, toStoredMonths(ruleSet.recalculate(died, period, undefined as never).months), '2026-11');
    expect(after).toMatchObject({ terminated: true, periodTo: '2026-11', effectiveFrom: '2026-12' });
    expect(after.differences.map((d) => [d.month, d.differenceKopiyky])).toEqual(
      ['2026-12', '2027-01', '2027-02'].map((m) => [m, '-200000']),
    );
    expect(ruleSetByVersion('no-such-programme', 'migration@asopd')).toBeUndefined();
  });

  it('publishes a snapshot valid under AssignmentGrantedV2 with its origin; a decided one names none', () => {
    const plan = migratedAssignmentPlan(event, recipient);
    const e = plan.evaluation;
    const a: AssignmentRecord = {
      id: '7a0d5b1c-2e3f-4a5b-8c6d-7e8f9a0b1c2d',
      version: 1,
      applicationId: null,
      programmeCode: e.programmeCode,
      ruleSetVersion: e.ruleSetVersion,
      recipientPersonId: e.recipientPersonId,
      memberPersonIds: e.memberPersonIds,
      katottg: event.katottg,
      periodFrom: e.periodFrom!,
      periodTo: e.periodTo!,
      status: 'active',
      months: e.months,
      payment: null,
      payee: null,
      facts: plan.facts,
      explanation: e.explanation,
      householdId: '1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b',
      origin: plan.origin,
    };
    const snapshot = assignmentSnapshot(a);
    expect(snapshot).toMatchObject({ applicationId: null, householdId: a.householdId, origin: plan.origin });
    const payload = { assignment: snapshot, reason: null, effectiveFrom: '2026-09', differences: [] };
    expect(payloadProblems(AssignmentGrantedV2, payload)).toBeNull();
    const decided = assignmentSnapshot({ ...a, origin: null, householdId: null });
    expect('origin' in decided).toBe(false);
    expect(payloadProblems(AssignmentGrantedV2, { ...payload, assignment: decided })).toBeNull();
    expect(payloadProblems(AssignmentGrantedV2, { ...payload, assignment: { ...snapshot, origin: { ...plan.origin, extra: 1 } } })).toMatch(
      /additional/,
    );
  });
});
