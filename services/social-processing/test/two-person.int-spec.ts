import { AssignmentGrantedV2, AssignmentResumedV2, AssignmentSuspendedV2, Role } from '@eisss/contracts';
import { expectEventually, tokenFor } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import { ProcessingHarness, tokens } from './processing-harness';

/**
 * The two-person rule in processing: programme settings (national scope) and manual acts on
 * assignments wait for a second person; decisions the rules take alone are the system's.
 */
describe('social-processing two-person rule', () => {
  let h: ProcessingHarness;
  const settings = (token: string, requiresApproval: boolean, code = 'idp-living-allowance') =>
    h
      .http()
      .put(`/programmes/${code}/settings`)
      .set('authorization', `Bearer ${token}`)
      .send({ requiresApproval, reason: 'наказ про автоматичні рішення' });
  const requiresApproval = async () => {
    const res = await h.http().get('/programmes').set('authorization', `Bearer ${tokens.officer}`);
    expect(res.status).toBe(200);
    return res.body.find((p: { code: string }) => p.code === 'idp-living-allowance').requiresApproval as boolean;
  };
  const requests = async () =>
    (await h.sql.query(`SELECT count(*)::int AS n FROM social_processing.dual_control_request`)).rows[0].n as number;
  const audit = async (subjectId: string) =>
    (
      await h.sql.query(
        `SELECT actor_id, action FROM social_processing_audit.audit_log WHERE subject_id = $1 AND action <> 'read' ORDER BY id`,
        [subjectId],
      )
    ).rows as { actor_id: string; action: string }[];

  beforeAll(async () => {
    h = await ProcessingHarness.start([AssignmentGrantedV2]);
  });

  afterAll(async () => {
    await h?.close();
  });

  describe('programme settings (maker-checker)', () => {
    let requestId: string;

    it('has maker-checker on by default for the IDP allowance: a passed verification waits for an officer', async () => {
      expect(await requiresApproval()).toBe(true);
      const applicant = await h.idpPerson('1985-04-10');
      const res = await h.submit(h.application(applicant));
      await h.passVerification(res.body.id);
      await expectEventually(async () => expect((await h.getApplication(res.body.id)).decisions[0].status).toBe('awaiting_officer'), {
        timeoutMs: 15000,
      });
    });

    it('refuses a regional supervisor with 403 NATIONAL_SCOPE_REQUIRED, an officer with 403 and an unknown programme with 404, writing nothing', async () => {
      const regional = await settings(tokens.supervisor, false);
      expect(regional.status).toBe(403);
      expect(regional.body.error.code).toBe('NATIONAL_SCOPE_REQUIRED');
      expect((await settings(tokens.officer, false)).status).toBe(403);
      const unknown = await settings(tokens.national, false, 'free-money');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('PROGRAMME_UNKNOWN');
      const noReason = await h
        .http()
        .put('/programmes/idp-living-allowance/settings')
        .set('authorization', `Bearer ${tokens.national}`)
        .send({ requiresApproval: false });
      expect(noReason.status).toBe(400);
      expect(noReason.body.error.field).toBe('reason');
      expect(await requests()).toBe(0);
      expect(await requiresApproval()).toBe(true);
    });

    it('makes one national supervisor switching maker-checker off only a request (202), and a second request a 409', async () => {
      const res = await settings(tokens.national, false);
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({
        action: 'programme.settings',
        subjectType: 'programme',
        subjectId: 'idp-living-allowance',
        status: 'pending',
        requestedBy: 'national-1',
        payload: { requiresApproval: false },
        katottg: null,
      });
      requestId = res.body.id;
      expect(await requiresApproval()).toBe(true);
      const again = await settings(tokens.national2, false);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('DUAL_CONTROL_ALREADY_PENDING');
    });

    it('refuses the same person approving with 403 SECOND_PERSON_REQUIRED and a regional supervisor approving, changing nothing', async () => {
      const self = await h.approve(requestId, tokens.national);
      expect(self.status).toBe(403);
      expect(self.body.error.code).toBe('SECOND_PERSON_REQUIRED');
      const regional = await h.approve(requestId, tokens.supervisor);
      expect(regional.status).toBe(404); // a national request is not visible to a regional supervisor
      expect(await requiresApproval()).toBe(true);
      const pending = await h.http().get(`/approvals/${requestId}`).set('authorization', `Bearer ${tokens.national2}`);
      expect(pending.body.status).toBe('pending');
    });

    it('applies it when another national supervisor approves, and audits the request, the approval and the change', async () => {
      const res = await h.approve(requestId, tokens.national2);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'executed',
        requestedBy: 'national-1',
        decidedBy: 'national-2',
        result: { programmeCode: 'idp-living-allowance', requiresApproval: false, previous: true },
      });
      expect(await requiresApproval()).toBe(false);
      const row = await h.sql.query(
        `SELECT requires_approval, updated_by, requested_by FROM social_processing.programme_setting WHERE programme_code = 'idp-living-allowance'`,
      );
      expect(row.rows[0]).toEqual({ requires_approval: false, updated_by: 'national-2', requested_by: 'national-1' });
      expect(await audit('idp-living-allowance')).toEqual([
        { actor_id: 'national-1', action: 'requested:programme.settings' },
        { actor_id: 'national-2', action: 'programme.settings.changed' },
        { actor_id: 'national-2', action: 'approved:programme.settings' },
      ]);
    });
  });

  describe('with maker-checker off', () => {
    let assignmentId: string;
    let applicant: string;
    const action = { month: '2026-05', reasonCode: 'ABROAD_OVER_30_DAYS', reasonText: 'перебування за кордоном понад 30 днів' };
    const assignment = async () =>
      (await h.sql.query(`SELECT version, status FROM social_processing.assignment WHERE id = $1`, [assignmentId])).rows[0] as {
        version: number;
        status: string;
      };
    const outboxCount = async () =>
      (await h.sql.query(`SELECT count(*)::int AS n FROM social_processing.outbox WHERE message_key = $1`, [assignmentId])).rows[0]
        .n as number;

    it("records a decision the rules take alone after a passed verification as the system's, with its explanation tree", async () => {
      applicant = await h.idpPerson('1979-02-02');
      const res = await h.submit(h.application(applicant));
      await h.passVerification(res.body.id);
      const view = await expectEventually(
        async () => {
          const v = await h.getApplication(res.body.id);
          expect(v.status).toBe('decided');
          return v;
        },
        { timeoutMs: 15000 },
      );
      expect(view.decisions[0]).toMatchObject({ status: 'granted', decidedBy: 'system', approvedBy: null });
      expect(view.decisions[0].explanation.children.map((c: { rule: string }) => c.rule)).toEqual(['verification.preventive', 'idp']);
      const g = await expectEventually(
        () => {
          const [e] = h.published(AssignmentGrantedV2, (x) => x.payload.assignment.applicationId === res.body.id);
          expect(e).toBeDefined();
          return e!;
        },
        { timeoutMs: 15000 },
      );
      assignmentId = g.payload.assignment.assignmentId;
      const v = await h.sql.query(`SELECT created_by, approved_by FROM social_processing.assignment_version WHERE assignment_id = $1`, [
        assignmentId,
      ]);
      expect(v.rows).toEqual([{ created_by: 'system', approved_by: null }]);
    });

    it("still needs a supervisor for an officer's decision on an application held for review", async () => {
      const a = await h.idpPerson('1988-08-08');
      const res = await h.submit(h.application(a));
      await h.passVerification(res.body.id, [
        {
          findingId: randomUUID(),
          personId: a,
          rule: 'abroad-over-30-days',
          recommendedAction: 'review',
          effectiveDate: null,
          evidence: [],
        },
      ]);
      await expectEventually(async () => expect((await h.getApplication(res.body.id)).decisions[0].status).toBe('awaiting_officer'), {
        timeoutMs: 15000,
      });
      const proposed = await h
        .http()
        .post(`/applications/${res.body.id}/decisions/idp-living-allowance/proposal`)
        .set('authorization', `Bearer ${tokens.officer}`)
        .send({ outcome: 'granted' });
      expect(proposed.status).toBe(200);
      expect(proposed.body.decisions[0]).toMatchObject({ status: 'awaiting_approval', assignmentId: null });
      expect(h.published(AssignmentGrantedV2, (x) => x.payload.assignment.applicationId === res.body.id)).toEqual([]);
    });

    it('changes nothing on a manual suspension by one person until a second person approves it', async () => {
      const versionBefore = await assignment();
      const eventsBefore = await outboxCount();
      const asked = await h
        .http()
        .post(`/assignments/${assignmentId}/suspend`)
        .set('authorization', `Bearer ${tokens.officer}`)
        .send(action);
      expect(asked.status).toBe(202);
      expect(asked.body).toMatchObject({
        action: 'assignment.suspend',
        subjectType: 'assignment',
        subjectId: assignmentId,
        status: 'pending',
        requestedBy: 'officer-1',
        katottg: 'UA80000000000093317',
      });
      expect(await assignment()).toEqual(versionBefore);
      expect(await outboxCount()).toBe(eventsBefore);

      const self = await h.approve(asked.body.id, tokens.officer);
      expect(self.status).toBe(403);
      expect(self.body.error.code).toBe('SECOND_PERSON_REQUIRED');
      const citizen = await h.approve(asked.body.id, tokenFor({ id: 'c-1', roles: [Role.Citizen], territory: 'UA', personId: applicant }));
      expect(citizen.status).toBe(403);
      const elsewhere = await h.approve(asked.body.id, tokenFor({ id: 'officer-9', roles: [Role.Officer], territory: 'UA14' }));
      expect(elsewhere.status).toBe(404);
      expect(await assignment()).toEqual(versionBefore);

      const approved = await h.approve(asked.body.id, tokens.officer2);
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        status: 'executed',
        decidedBy: 'officer-2',
        result: { assignmentId, status: 'suspended', version: versionBefore.version + 1 },
      });
      expect(await assignment()).toEqual({ version: versionBefore.version + 1, status: 'suspended' });
      const events = await h.outbox(AssignmentSuspendedV2, assignmentId);
      expect(events).toEqual([
        expect.objectContaining({ effectiveFrom: '2026-05', reason: { code: 'ABROAD_OVER_30_DAYS', text: action.reasonText } }),
      ]);
      const view = await h.http().get(`/assignments/${assignmentId}`).set('authorization', `Bearer ${tokens.officer}`);
      expect(view.body.versions.at(-1)).toMatchObject({ createdBy: 'officer-1', approvedBy: 'officer-2' });
      expect((await audit(assignmentId)).map((r) => [r.actor_id, r.action])).toEqual([
        ['officer-1', 'requested:assignment.suspend'],
        ['officer-2', 'approved:assignment.suspend'],
      ]);
    });

    it('refuses to ask for an act that cannot be carried out, and changes nothing when the second person rejects', async () => {
      const hopeless = await h
        .http()
        .post(`/assignments/${assignmentId}/suspend`)
        .set('authorization', `Bearer ${tokens.officer}`)
        .send(action);
      expect(hopeless.status).toBe(409);
      expect(hopeless.body.error.code).toBe('ASSIGNMENT_NOT_ACTIVE');
      const asked = await h
        .http()
        .post(`/assignments/${assignmentId}/resume`)
        .set('authorization', `Bearer ${tokens.officer2}`)
        .send({ ...action, month: '2026-06', reasonCode: 'RETURNED' });
      expect(asked.status).toBe(202);
      const rejected = await h
        .http()
        .post(`/approvals/${asked.body.id}/reject`)
        .set('authorization', `Bearer ${tokens.supervisor}`)
        .send({ note: 'no evidence of return' });
      expect(rejected.status).toBe(200);
      expect(rejected.body).toMatchObject({ status: 'rejected', decidedBy: 'supervisor-1' });
      expect((await assignment()).status).toBe('suspended');
      expect(await h.outbox(AssignmentResumedV2, assignmentId)).toEqual([]);
    });

    it("answers a person's recalculation that changes what is paid with a request, carried out when a second person approves", async () => {
      // The stored months were computed with other parameters than today's (as after a parameter change).
      await h.sql.query(
        `UPDATE social_processing.assignment SET months = jsonb_set(months, '{0,amountKopiyky}', '"100000"') WHERE id = $1`,
        [assignmentId],
      );
      const before = await assignment();
      const asked = await h
        .http()
        .post(`/assignments/${assignmentId}/recalculate`)
        .set('authorization', `Bearer ${tokens.officer}`)
        .send({ reasonCode: 'PARAMETER_CHANGE', reasonText: 'нові параметри' });
      expect(asked.status).toBe(202);
      expect(asked.body).toMatchObject({ action: 'assignment.recalculate', status: 'pending' });
      const programme = await h
        .http()
        .post('/programmes/idp-living-allowance/recalculation')
        .set('authorization', `Bearer ${tokens.supervisor}`)
        .send({ reasonCode: 'PARAMETER_CHANGE', reasonText: 'нові параметри' });
      expect(programme.status).toBe(202);
      expect(programme.body).toMatchObject({
        action: 'programme.recalculation',
        subjectId: 'idp-living-allowance@UA80',
        katottg: 'UA80',
        payload: { expected: { changed: 1 } },
      });
      expect(await assignment()).toEqual(before);

      const approved = await h.approve(asked.body.id, tokens.supervisor);
      expect(approved.status).toBe(200);
      expect(await assignment()).toEqual({ version: before.version + 1, status: 'suspended' });
      const v = await h.sql.query(
        `SELECT differences, created_by, approved_by FROM social_processing.assignment_version WHERE assignment_id = $1 AND version = $2`,
        [assignmentId, before.version + 1],
      );
      expect(v.rows[0]).toEqual({
        differences: [{ month: '2026-03', previousKopiyky: '100000', newKopiyky: '200000', differenceKopiyky: '100000' }],
        created_by: 'officer-1',
        approved_by: 'supervisor-1',
      });
      // Nothing is left to change: the programme-wide request, approved by another supervisor, finds every assignment unchanged.
      const all = await h.approve(programme.body.id, tokenFor({ id: 'supervisor-2', roles: [Role.Supervisor], territory: 'UA80' }));
      expect(all.status).toBe(200);
      expect(all.body.result).toMatchObject({ programmeCode: 'idp-living-allowance', changed: 0, terminated: 0 });
      expect(await assignment()).toEqual({ version: before.version + 1, status: 'suspended' });
    });
  });
});
