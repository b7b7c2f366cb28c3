import {
  AssignmentChangedV2,
  AssignmentGrantedV2,
  AssignmentTerminatedV2,
  EmploymentCentreRegistrationChangedV1,
  PersonDiedV1,
  PersonRegisteredV1,
  type PayloadOf,
  Role,
} from '@eisss/contracts';
import { expectEventually, openedByTreasury, payeeOpenedByTreasury, tokenFor } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import { HOLDER_RNOKPP, KATOTTG, ProcessingHarness, ibanOf, tokens } from './processing-harness';

type AssignmentPayload = PayloadOf<typeof AssignmentChangedV2>;
const system = tokenFor({ id: 'employment-job', roles: [Role.System], territory: 'UA' });

/**
 * Two gaps of assignments: a share stopped for the employment duty keeps the assignment open so that the
 * restoration within the term can pay it again; and birth assistance continues with a new recipient (the
 * other parent or a guardian) through an act a supervisor approves, also after the recipient's death.
 */
describe('social-processing: restorable stops and the change of recipient', () => {
  let h: ProcessingHarness;

  beforeAll(async () => {
    h = await ProcessingHarness.start([AssignmentGrantedV2, AssignmentChangedV2, AssignmentTerminatedV2]);
  });

  afterAll(async () => {
    await h?.close();
  });

  const versions = async (id: string) =>
    (
      await h.sql.query(
        `SELECT version, event_type, reason FROM social_processing.assignment_version WHERE assignment_id = $1 ORDER BY version`,
        [id],
      )
    ).rows;
  const row = async (id: string) =>
    (
      await h.sql.query(`SELECT version, status, recipient_person_id, period_to, payment FROM social_processing.assignment WHERE id = $1`, [
        id,
      ])
    ).rows[0];
  const publishedVersion = <C extends typeof AssignmentChangedV2>(contract: C, assignmentId: string, version: number) =>
    expectEventually(
      () => {
        const e = h.published(
          contract,
          (x) => x.payload.assignment.assignmentId === assignmentId && x.payload.assignment.version === version,
        )[0];
        expect(e).toBeDefined();
        return e!.payload as AssignmentPayload;
      },
      { timeoutMs: 20000 },
    );
  const granted = (applicationId: string) =>
    expectEventually(
      () => {
        const [e] = h.published(AssignmentGrantedV2, (x) => x.payload.assignment.applicationId === applicationId);
        expect(e).toBeDefined();
        return e!.payload.assignment;
      },
      { timeoutMs: 20000 },
    );

  describe('a share stopped for the employment duty is restorable', () => {
    const check = (on: string) => h.http().post(`/assignments/employment-check?on=${on}`).set('authorization', `Bearer ${system}`).send();

    it('a single adult: the stop keeps the assignment active with zero months; the registration within the term pays them again', async () => {
      const adult = await h.idpPerson('1985-04-10');
      const res = await h.submit(h.application(adult));
      expect(res.status).toBe(201);
      await h.passVerification(res.body.id);
      await h.decideByTwo(res.body.id);
      const assignmentId = (await granted(res.body.id)).assignmentId;

      const stop = await check('2026-06-11');
      expect(stop.status).toBe(200);
      expect(stop.body.items.find((i: { assignmentId: string }) => i.assignmentId === assignmentId)).toMatchObject({
        version: 2,
        outcome: 'changed',
        changes: [{ personId: adult, change: 'stop', fromMonth: '2026-07' }],
      });
      const stopped = await publishedVersion(AssignmentChangedV2, assignmentId, 2);
      expect(stopped.reason!.code).toBe('EMPLOYMENT_DUTY_STOP');
      expect(stopped.assignment.status).toBe('active');
      expect(stopped.assignment.periodTo).toBe('2026-08');
      expect(stopped.assignment.months.map((m) => [m.month, m.amountKopiyky])).toEqual([
        ['2026-03', '200000'],
        ['2026-04', '200000'],
        ['2026-05', '200000'],
        ['2026-06', '200000'],
        ['2026-07', '0'],
        ['2026-08', '0'],
      ]);
      expect(stopped.differences.map((d) => [d.month, d.differenceKopiyky])).toEqual([
        ['2026-07', '-200000'],
        ['2026-08', '-200000'],
      ]);
      expect(h.published(AssignmentTerminatedV2, (x) => x.payload.assignment.assignmentId === assignmentId)).toEqual([]);
      expect(await row(assignmentId)).toMatchObject({ version: 2, status: 'active', period_to: '2026-08' });

      const ev = await h.publish(
        EmploymentCentreRegistrationChangedV1,
        {
          recordId: `dcz-${randomUUID()}`,
          personId: adult,
          change: 'registered',
          registrationKind: 'unemployed',
          effectiveOn: '2026-08-03',
          centreCode: 'kyiv-01',
        },
        adult,
      );
      await expectEventually(
        async () =>
          expect((await h.sql.query(`SELECT 1 FROM social_processing.employment_fact WHERE event_id = $1`, [ev.eventId])).rowCount).toBe(1),
        { timeoutMs: 20000 },
      );
      const after = await check('2026-08-05');
      expect(after.body.items.find((i: { assignmentId: string }) => i.assignmentId === assignmentId)).toMatchObject({
        version: 3,
        outcome: 'changed',
        changes: [{ personId: adult, change: 'restored', fromMonth: '2026-08' }],
      });
      const restored = await publishedVersion(AssignmentChangedV2, assignmentId, 3);
      expect(restored.reason!.code).toBe('EMPLOYMENT_DUTY_RESTORED');
      expect(restored.differences).toEqual([{ month: '2026-08', previousKopiyky: '0', newKopiyky: '200000', differenceKopiyky: '200000' }]);
      expect(restored.assignment.months.map((m) => m.amountKopiyky)).toEqual(['200000', '200000', '200000', '200000', '0', '200000']);
      expect(restored.assignment.status).toBe('active');
      expect(await versions(assignmentId)).toHaveLength(3);
    });

    it('the recipient dying still terminates it (not restorable)', async () => {
      const adult = await h.idpPerson('1984-02-02');
      const res = await h.submit(h.application(adult));
      await h.passVerification(res.body.id);
      await h.decideByTwo(res.body.id);
      const assignmentId = (await granted(res.body.id)).assignmentId;
      expect((await check('2026-06-11')).status).toBe(200);
      await publishedVersion(AssignmentChangedV2, assignmentId, 2);
      await h.publish(
        PersonDiedV1,
        { personId: adult, deathDate: '2026-06-20', katottg: KATOTTG, source: 'ДРАЦС', recordedAt: '2026-06-21T10:00:00.000Z' },
        adult,
      );
      const ended = await publishedVersion(AssignmentTerminatedV2, assignmentId, 3);
      expect(ended.assignment.status).toBe('terminated');
      expect(ended.assignment.periodTo).toBe('2026-06');
    });
  });

  describe('birth assistance: the remaining months continue with a new recipient', () => {
    async function person(birthDate: string, lastName: string, firstName = 'Олена'): Promise<string> {
      const personId = randomUUID();
      await h.publish(
        PersonRegisteredV1,
        {
          personId,
          rnokppMasked: null,
          name: { lastName, firstName, patronymic: null },
          birthDate,
          sex: 'female',
          deathDate: null,
          katottg: KATOTTG,
          registeredAt: '2026-01-01T10:00:00.000Z',
        },
        personId,
      );
      await expectEventually(
        async () =>
          expect((await h.sql.query(`SELECT 1 FROM social_processing.person_projection WHERE person_id = $1`, [personId])).rowCount).toBe(
            1,
          ),
        { timeoutMs: 20000 },
      );
      return personId;
    }

    /** A mother and a child born 2025-12-20 (legacy schedule: 10 320 UAH at once, 860 UAH for 36 months), applied 2026-01-15. */
    async function birthAssignment(): Promise<{
      mother: string;
      child: string;
      assignment: PayloadOf<typeof AssignmentGrantedV2>['assignment'];
    }> {
      const mother = await person('1994-01-01', 'Мельник');
      const child = await person('2025-12-20', 'Мельник', 'Дитина');
      const res = await h.submit(
        h.application(mother, {
          programmeCodes: ['birth-assistance'],
          receivedOn: '2026-01-15',
          channel: 'cnap',
          household: {
            members: [
              { personId: mother, role: 'applicant', relation: 'self' },
              { personId: child, role: 'member', relation: 'child' },
            ],
          },
          consents: [
            { type: 'personal-data-processing', givenOn: '2026-01-15' },
            { type: 'registers-check', givenOn: '2026-01-15' },
          ],
        }),
      );
      expect(res.status).toBe(201);
      await h.passVerification(res.body.id);
      await expectEventually(async () => expect((await h.getApplication(res.body.id)).decisions[0].status).toBe('awaiting_officer'), {
        timeoutMs: 15000,
      });
      expect(
        (
          await h
            .http()
            .post(`/applications/${res.body.id}/decisions/birth-assistance/proposal`)
            .set('authorization', `Bearer ${tokens.officer}`)
            .send({ outcome: 'granted' })
        ).status,
      ).toBe(200);
      expect(
        (
          await h
            .http()
            .post(`/applications/${res.body.id}/decisions/birth-assistance/approval`)
            .set('authorization', `Bearer ${tokens.supervisor}`)
            .send({ approve: true })
        ).status,
      ).toBe(200);
      return { mother, child, assignment: await granted(res.body.id) };
    }

    const ask = (id: string, newRecipientPersonId: string, token = tokens.officer) =>
      h
        .http()
        .post(`/assignments/${id}/recipient`)
        .set('authorization', `Bearer ${token}`)
        .send({ newRecipientPersonId, reason: 'the father lives with the child', evidenceRef: 'doc:drats-2026-77' });
    const requests = async (id: string) =>
      (
        await h.sql.query(
          `SELECT id, status FROM social_processing.dual_control_request WHERE subject_id = $1 AND action = 'assignment.change-recipient'`,
          [id],
        )
      ).rows;

    it('an officer asks, neither the same nor another officer can approve, a supervisor approves: the new recipient, their account, the same months', async () => {
      const { assignment } = await birthAssignment();
      const father = await person('1990-05-05', 'Мельник', 'Петро');
      const iban = ibanOf('0000026007233566001');
      const account = await h.registerAccount(father, { method: 'bank', iban }, 1, 'Мельник Петро');
      await expectEventually(async () => expect(await h.accountVersion(father)).toBe(1), { timeoutMs: 20000 });

      const asked = await ask(assignment.assignmentId, father);
      expect(asked.status).toBe(202);
      expect(asked.body).toMatchObject({ action: 'assignment.change-recipient', status: 'pending', requestedBy: 'officer-1' });
      expect((await ask(assignment.assignmentId, father, tokens.officer2)).body.error.code).toBe('DUAL_CONTROL_ALREADY_PENDING');

      const self = await h.approve(asked.body.id, tokens.officer);
      expect(self.status).toBe(403);
      const other = await h.approve(asked.body.id, tokens.officer2);
      expect(other.status).toBe(403);
      expect(other.body.error.code).toBe('DUAL_CONTROL_ROLE_REQUIRED');
      expect(await row(assignment.assignmentId)).toMatchObject({ version: 1, recipient_person_id: assignment.recipientPersonId });

      const approved = await h.approve(asked.body.id, tokens.supervisor);
      expect(approved.status).toBe(200);
      const changed = await publishedVersion(AssignmentChangedV2, assignment.assignmentId, 2);
      expect(changed.reason).toEqual({ code: 'RECIPIENT_CHANGED', text: 'the father lives with the child' });
      expect(changed.assignment.recipientPersonId).toBe(father);
      // The father's account and holder as the register published them (sealed for the treasury), carried on unchanged.
      expect(changed.assignment.payment).toEqual(account.payload.account);
      expect(changed.assignment.payee).toEqual(account.payload.holder);
      expect(await openedByTreasury(changed.assignment.payment!)).toEqual({ method: 'bank', iban });
      expect(await payeeOpenedByTreasury(changed.assignment.payee!)).toMatchObject({ fullName: 'Мельник Петро', rnokpp: HOLDER_RNOKPP });
      expect(JSON.stringify(changed)).not.toContain(iban);
      expect(changed.assignment.months).toEqual(assignment.months);
      expect(changed.assignment.periodTo).toBe(assignment.periodTo);
      expect(changed.differences).toEqual([]);
      const v = (await versions(assignment.assignmentId))[1];
      expect(v).toMatchObject({ version: 2, event_type: AssignmentChangedV2.eventType, reason: { code: 'RECIPIENT_CHANGED' } });
      expect(
        (
          await h.sql.query(
            `SELECT created_by, approved_by FROM social_processing.assignment_version WHERE assignment_id = $1 AND version = 2`,
            [assignment.assignmentId],
          )
        ).rows[0],
      ).toEqual({ created_by: 'officer-1', approved_by: 'supervisor-1' });
    });

    it('an unknown or deceased new recipient is refused with 422 and nothing is written', async () => {
      const { assignment, child } = await birthAssignment();
      const unknown = await ask(assignment.assignmentId, randomUUID());
      expect(unknown.status).toBe(422);
      expect(unknown.body.error).toMatchObject({ code: 'RECIPIENT_UNKNOWN', field: 'newRecipientPersonId' });
      const grandmother = await person('1960-01-01', 'Мельник', 'Ганна');
      await h.publish(
        PersonDiedV1,
        { personId: grandmother, deathDate: '2026-02-01', katottg: KATOTTG, source: 'ДРАЦС', recordedAt: '2026-02-02T10:00:00.000Z' },
        grandmother,
      );
      await expectEventually(
        async () =>
          expect(
            (await h.sql.query(`SELECT death_date FROM social_processing.person_projection WHERE person_id = $1`, [grandmother])).rows[0]
              .death_date,
          ).not.toBeNull(),
        { timeoutMs: 20000 },
      );
      expect((await ask(assignment.assignmentId, grandmother)).body.error).toMatchObject({ code: 'RECIPIENT_DECEASED' });
      expect((await ask(assignment.assignmentId, child)).body.error).toMatchObject({ code: 'RECIPIENT_IS_CHILD' });
      expect((await ask(assignment.assignmentId, assignment.recipientPersonId)).body.error).toMatchObject({ code: 'RECIPIENT_UNCHANGED' });
      expect(await requests(assignment.assignmentId)).toEqual([]);
      expect(await versions(assignment.assignmentId)).toHaveLength(1);
    });

    it("after the recipient's death the terminated assignment continues with the father: the removed months come back, no account yet means nothing to pay", async () => {
      const { mother, assignment } = await birthAssignment();
      await h.publish(
        PersonDiedV1,
        { personId: mother, deathDate: '2026-03-05', katottg: KATOTTG, source: 'ДРАЦС', recordedAt: '2026-03-06T10:00:00.000Z' },
        mother,
      );
      const ended = await publishedVersion(AssignmentTerminatedV2, assignment.assignmentId, 2);
      expect(ended.assignment.periodTo).toBe('2026-03');
      const father = await person('1990-05-05', 'Мельник', 'Петро');

      const asked = await ask(assignment.assignmentId, father);
      expect(asked.status).toBe(202);
      expect((await h.approve(asked.body.id, tokens.supervisor)).status).toBe(200);
      const continued = await publishedVersion(AssignmentChangedV2, assignment.assignmentId, 3);
      expect(continued.assignment).toMatchObject({
        status: 'active',
        recipientPersonId: father,
        periodTo: assignment.periodTo,
        payment: null,
        payee: null,
      });
      expect(continued.assignment.months).toEqual(assignment.months);
      expect(continued.effectiveFrom).toBe('2026-04');
      expect(continued.differences[0]).toEqual({ month: '2026-04', previousKopiyky: '0', newKopiyky: '86000', differenceKopiyky: '86000' });
      expect(continued.differences).toHaveLength(assignment.months.filter((m) => m.month > '2026-03').length);
    });

    it('a terminated assignment not ended by the death of its recipient does not continue', async () => {
      const { assignment } = await birthAssignment();
      const father = await person('1990-05-05', 'Мельник', 'Петро');
      const t = await h
        .http()
        .post(`/assignments/${assignment.assignmentId}/terminate`)
        .set('authorization', `Bearer ${tokens.officer}`)
        .send({ month: '2026-03', reasonCode: 'OFFICER', reasonText: 'test' });
      expect(t.status).toBe(202);
      expect((await h.approve(t.body.id, tokens.supervisor)).status).toBe(200);
      await publishedVersion(AssignmentTerminatedV2, assignment.assignmentId, 2);
      const refused = await ask(assignment.assignmentId, father);
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('ASSIGNMENT_TERMINATED');
    });
  });
});
