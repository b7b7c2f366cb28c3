import { ApplicationDecidedV1, AssignmentChangedV2, AssignmentGrantedV2, StatusEndedV1, type PayloadOf, Role } from '@eisss/contracts';
import { addDays, kyivDate, WorkingCalendar } from '@eisss/platform';
import { expectEventually, tokenFor } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import { appealDueOn } from '../src/appeals/appeal-deadline';
import { KATOTTG, ProcessingHarness, tokens } from './processing-harness';

/**
 * Appeals of processing's benefit decisions: by the person, by staff for them, reviewed by a person other
 * than the decider and the appellant; upheld refusal → grant, upheld recalculation → new version with
 * arrears, dismissed → nothing changes; the notice and the explanation show the appeal; overdue list.
 */
describe('social-processing appeals', () => {
  let h: ProcessingHarness;
  const supervisor2 = tokenFor({ id: 'supervisor-2', roles: [Role.Supervisor], territory: 'UA80' });
  const elsewhere = tokenFor({ id: 'officer-9', roles: [Role.Officer], territory: 'UA14' });
  const citizenOf = (personId: string, id = `citizen-${personId.slice(0, 8)}`) =>
    tokenFor({ id, roles: [Role.Citizen], territory: 'UA', personId });
  const fileAppeal = (body: Record<string, unknown>, token: string) =>
    h.http().post('/appeals').set('authorization', `Bearer ${token}`).send(body);
  const review = (id: string, body: Record<string, unknown>, token: string) =>
    h.http().post(`/appeals/${id}/review`).set('authorization', `Bearer ${token}`).send(body);
  const appealCount = async () => (await h.sql.query(`SELECT count(*)::int AS n FROM social_processing.appeal`)).rows[0].n as number;
  const outboxCount = async (key: string) =>
    (await h.sql.query(`SELECT count(*)::int AS n FROM social_processing.outbox WHERE message_key = $1`, [key])).rows[0].n as number;
  const assignmentRow = async (id: string) =>
    (await h.sql.query(`SELECT version, status, months FROM social_processing.assignment WHERE id = $1`, [id])).rows[0] as {
      version: number;
      status: string;
      months: { month: string; amountKopiyky: string }[];
    };
  const noticeText = async (applicationId: string, token = tokens.officer) => {
    const res = await h.http().get(`/applications/${applicationId}/notice`).set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    return (res.body.sections as { lines: string[] }[]).flatMap((s) => s.lines).join('\n');
  };
  const grantedAssignment = (applicationId: string) =>
    expectEventually(
      () => {
        const [e] = h.published(AssignmentGrantedV2, (x) => x.payload.assignment.applicationId === applicationId);
        expect(e).toBeDefined();
        return e!.payload.assignment;
      },
      { timeoutMs: 15000 },
    );
  const today = kyivDate(new Date());

  beforeAll(async () => {
    h = await ProcessingHarness.start([AssignmentGrantedV2, AssignmentChangedV2, ApplicationDecidedV1]);
  });

  afterAll(async () => {
    await h?.close();
  });

  describe('a refusal the rules took alone, appealed by the person', () => {
    let applicant: string;
    let applicationId: string;
    let appealId: string;
    let dueOn: string;
    const finding = 'FINDING_DEPOSIT_OVER_THRESHOLD';
    const body = () => ({
      clientRequestId: `diia-appeal-${randomUUID()}`,
      applicationId,
      programmeCode: 'idp-living-allowance',
      grounds: 'депозит закрито до звернення, довідка банку додається',
      channel: 'diia',
      contestedReasons: [finding],
    });
    let first: ReturnType<typeof body>;

    beforeAll(async () => {
      applicant = await h.idpPerson('1981-03-03');
      const res = await h.submit(h.application(applicant));
      expect(res.status).toBe(201);
      applicationId = res.body.id;
      await h.passVerification(applicationId, [
        {
          findingId: randomUUID(),
          personId: applicant,
          rule: 'deposit-over-threshold',
          recommendedAction: 'refuse',
          effectiveDate: null,
          evidence: [],
        },
      ]);
      await expectEventually(
        async () => expect((await h.getApplication(applicationId)).decisions[0]).toMatchObject({ status: 'refused', decidedBy: 'system' }),
        { timeoutMs: 15000 },
      );
    });

    it("files the person's appeal through Diia (201) with the deadline of the Law, and a retry returns it (200)", async () => {
      first = body();
      const res = await fileAppeal(first, citizenOf(applicant));
      expect(res.status).toBe(201);
      dueOn = appealDueOn(today, new WorkingCalendar()).dueOn;
      expect(res.body).toMatchObject({
        kind: 'refusal',
        status: 'open',
        applicationId,
        personId: applicant,
        katottg: KATOTTG,
        channel: 'diia',
        filedAs: 'person',
        decidedBy: 'system',
        approvedBy: null,
        filedOn: today,
        dueOn,
        filedWithinTerm: true,
        overdue: false,
        contestedReasons: [finding],
      });
      expect(res.body.deadlineRule).toContain('30 calendar days');
      appealId = res.body.id;
      const again = await fileAppeal(first, citizenOf(applicant));
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(appealId);
      const reused = await fileAppeal({ ...first, grounds: 'інші підстави скарги' }, citizenOf(applicant));
      expect(reused.status).toBe(409);
      expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await appealCount()).toBe(1);
    });

    it('refuses another citizen (403 APPEAL_NOT_YOUR_DECISION), a citizen outside Diia, staff of another territory, and a second open appeal, writing nothing', async () => {
      const stranger = await fileAppeal(body(), citizenOf(randomUUID(), 'citizen-stranger'));
      expect(stranger.status).toBe(403);
      expect(stranger.body.error.code).toBe('APPEAL_NOT_YOUR_DECISION');
      const channel = await fileAppeal({ ...body(), channel: 'cnap' }, citizenOf(applicant));
      expect(channel.status).toBe(400);
      expect(channel.body.error).toMatchObject({ code: 'APPEAL_CHANNEL_NOT_ALLOWED', field: 'channel' });
      const far = await fileAppeal({ ...body(), channel: 'office' }, elsewhere);
      expect(far.status).toBe(403);
      expect(far.body.error.code).toBe('TERRITORY_FORBIDDEN');
      const twice = await fileAppeal({ ...body(), channel: 'office' }, tokens.officer);
      expect(twice.status).toBe(409);
      expect(twice.body.error.code).toBe('APPEAL_ALREADY_OPEN');
      const neither = await fileAppeal({ ...body(), applicationId: undefined }, tokens.officer);
      expect(neither.status).toBe(400);
      expect(neither.body.error.code).toBe('APPEAL_TARGET_REQUIRED');
      expect(await appealCount()).toBe(1);
    });

    it("shows the open appeal in the application's notice and to the person, not to another citizen", async () => {
      const text = await noticeText(applicationId, citizenOf(applicant));
      expect(text).toContain('Скарга на рішення (refusal)');
      expect(text).toContain(`appealId=${appealId}`);
      expect(text).toContain('status=open');
      const own = await h
        .http()
        .get('/appeals')
        .set('authorization', `Bearer ${citizenOf(applicant)}`);
      expect(own.body.items.map((a: { id: string }) => a.id)).toEqual([appealId]);
      const other = await h
        .http()
        .get(`/appeals/${appealId}`)
        .set('authorization', `Bearer ${citizenOf(randomUUID(), 'citizen-other')}`);
      expect(other.status).toBe(404);
    });

    it('lists it as overdue only after its due date, and only in its territory', async () => {
      const onDue = await h.http().get(`/appeals/overdue?asOf=${dueOn}`).set('authorization', `Bearer ${tokens.supervisor}`);
      expect(onDue.status).toBe(200);
      expect(onDue.body.items.map((a: { id: string }) => a.id)).not.toContain(appealId);
      const after = await h
        .http()
        .get(`/appeals/overdue?asOf=${addDays(dueOn, 1)}`)
        .set('authorization', `Bearer ${tokens.supervisor}`);
      expect(after.body.items).toEqual([expect.objectContaining({ id: appealId, overdue: true, dueOn })]);
      const far = await h
        .http()
        .get(`/appeals/overdue?asOf=${addDays(dueOn, 1)}`)
        .set('authorization', `Bearer ${elsewhere}`);
      expect(far.body).toMatchObject({ items: [], total: 0 });
      const citizen = await h
        .http()
        .get('/appeals/overdue')
        .set('authorization', `Bearer ${citizenOf(applicant)}`);
      expect(citizen.status).toBe(403);
    });

    it('refuses an upheld review that leaves the finding standing (422 APPEAL_REFUSAL_STANDS) and changes nothing', async () => {
      const res = await review(appealId, { outcome: 'upheld', reasoning: 'підстави скарги обґрунтовані' }, tokens.officer2);
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({
        code: 'APPEAL_REFUSAL_STANDS',
        details: { reasons: [expect.objectContaining({ code: finding })] },
      });
      expect((await h.getApplication(applicationId)).decisions[0].status).toBe('refused');
      expect((await h.http().get(`/appeals/${appealId}`).set('authorization', `Bearer ${tokens.officer}`)).body.status).toBe('open');
      expect(h.published(AssignmentGrantedV2, (x) => x.payload.assignment.applicationId === applicationId)).toEqual([]);
    });

    it('re-decides an upheld refusal (ignoring the contested finding): the rules grant and the assignment is created', async () => {
      const res = await review(
        appealId,
        { outcome: 'upheld', reasoning: 'депозит закрито до звернення', disregardReasons: [finding] },
        tokens.officer2,
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'upheld',
        reviewedBy: 'officer-2',
        reviewedOn: today,
        result: { outcome: 'upheld', granted: true, disregarded: [finding] },
      });
      const assignment = await grantedAssignment(applicationId);
      expect(res.body.result.assignmentId).toBe(assignment.assignmentId);
      expect(assignment).toMatchObject({ version: 1, status: 'active', recipientPersonId: applicant, periodFrom: '2026-03' });
      const view = await h.getApplication(applicationId);
      expect(view.decisions[0]).toMatchObject({
        status: 'granted',
        reasons: [],
        decidedBy: 'officer-2',
        assignmentId: assignment.assignmentId,
      });
      const decided = await h.outbox(ApplicationDecidedV1, applicationId);
      expect(decided.map((d) => d.decisions[0]!.outcome)).toEqual(['refused', 'granted']);
      const v = await h.sql.query(`SELECT created_by, approved_by FROM social_processing.assignment_version WHERE assignment_id = $1`, [
        assignment.assignmentId,
      ]);
      expect(v.rows).toEqual([{ created_by: 'officer-2', approved_by: null }]);
      const text = await noticeText(applicationId);
      expect(text).toContain('Скаргу задоволено (refusal)');
      expect(text).toContain('appeal.re-decision');
      expect(text).toContain('Рішення: призначено');
      const audit = await h.sql.query(
        `SELECT actor_id, action FROM social_processing_audit.audit_log WHERE subject_id = $1 AND action <> 'read' ORDER BY id`,
        [appealId],
      );
      expect(audit.rows).toEqual([
        { actor_id: `citizen-${applicant.slice(0, 8)}`, action: 'appeal.filed' },
        { actor_id: 'officer-2', action: 'appeal.upheld' },
      ]);
      const again = await review(appealId, { outcome: 'dismissed', reasoning: 'повторний розгляд' }, supervisor2);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('APPEAL_ALREADY_REVIEWED');
    });
  });

  describe('an amount and a recalculation, appealed by staff and by the person', () => {
    let applicant: string;
    let child: string;
    let applicationId: string;
    let assignmentId: string;
    let amountAppeal: string;

    beforeAll(async () => {
      applicant = await h.idpPerson('1984-04-04');
      child = await h.idpPerson('2016-06-06', 'Коваленко-Дитина');
      const res = await h.submit(
        h.application(applicant, {
          household: {
            members: [
              { personId: applicant, role: 'applicant', relation: 'self' },
              { personId: child, role: 'member', relation: 'child' },
            ],
          },
        }),
      );
      expect(res.status).toBe(201);
      applicationId = res.body.id;
      await h.passVerification(applicationId);
      await h.decideByTwo(applicationId);
      assignmentId = (await grantedAssignment(applicationId)).assignmentId;
    });

    it("files a representative's appeal of the amount at a ЦНАП (staff, kind amount of version 1)", async () => {
      const res = await fileAppeal(
        {
          clientRequestId: `cnap-appeal-${randomUUID()}`,
          applicationId,
          programmeCode: 'idp-living-allowance',
          grounds: "сума занижена: не враховано статус члена сім'ї",
          channel: 'cnap',
          representative: { fullName: 'Петренко Іван Олегович', authorityDocument: 'довіреність ННЕ 123456 від 01.03.2026' },
        },
        tokens.officer2,
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        kind: 'amount',
        assignmentId,
        assignmentVersion: 1,
        filedAs: 'representative',
        filedBy: 'officer-2',
        decidedBy: 'officer-1',
        approvedBy: 'supervisor-1',
        representative: { fullName: 'Петренко Іван Олегович' },
      });
      amountAppeal = res.body.id;
    });

    it('refuses the review by the decider, by the approver (403 APPEAL_REVIEWER_DECIDED) and by who filed it (403 APPEAL_REVIEWER_IS_APPELLANT)', async () => {
      for (const token of [tokens.officer, tokens.supervisor]) {
        const res = await review(amountAppeal, { outcome: 'upheld', reasoning: 'переглянуто' }, token);
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('APPEAL_REVIEWER_DECIDED');
      }
      const self = await review(amountAppeal, { outcome: 'dismissed', reasoning: 'переглянуто' }, tokens.officer2);
      expect(self.status).toBe(403);
      expect(self.body.error.code).toBe('APPEAL_REVIEWER_IS_APPELLANT');
      const far = await review(amountAppeal, { outcome: 'dismissed', reasoning: 'переглянуто' }, elsewhere);
      expect(far.status).toBe(403);
      expect((await h.http().get(`/appeals/${amountAppeal}`).set('authorization', `Bearer ${tokens.officer}`)).body.status).toBe('open');
    });

    it('changes nothing on a dismissed appeal but the appeal and the explanation', async () => {
      const before = await assignmentRow(assignmentId);
      const events = await outboxCount(assignmentId);
      const res = await review(amountAppeal, { outcome: 'dismissed', reasoning: 'сума відповідає пункту 4 Порядку' }, supervisor2);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'dismissed', reviewedBy: 'supervisor-2', result: { outcome: 'dismissed' } });
      const after = await assignmentRow(assignmentId);
      expect({ version: after.version, status: after.status, months: after.months }).toEqual({
        version: before.version,
        status: before.status,
        months: before.months,
      });
      expect(await outboxCount(assignmentId)).toBe(events);
      const card = await h.http().get(`/assignments/${assignmentId}`).set('authorization', `Bearer ${tokens.officer}`);
      expect(card.status).toBe(200);
      expect(JSON.stringify(card.body)).toContain('Скаргу залишено без задоволення (amount)');
      expect(await noticeText(applicationId)).toContain('Скаргу залишено без задоволення (amount)');
    });

    it('makes an upheld recalculation a new version whose differences carry the arrears', async () => {
      await h.publish(
        StatusEndedV1,
        {
          statusId: randomUUID(),
          personId: child,
          type: 'idp',
          validFrom: '2024-01-01',
          validTo: '2026-05-15',
          source: 'test',
          katottg: KATOTTG,
          details: {},
        },
        child,
      );
      const reduced = await expectEventually(
        () => {
          const [e] = h.published(
            AssignmentChangedV2,
            (x) => x.payload.assignment.assignmentId === assignmentId && x.payload.assignment.version === 2,
          );
          expect(e).toBeDefined();
          return e!.payload;
        },
        { timeoutMs: 20000 },
      );
      const cut = reduced.differences.map((d) => d.month);
      expect(cut.length).toBeGreaterThan(0);
      expect(reduced.differences.every((d) => BigInt(d.differenceKopiyky) < 0n)).toBe(true);

      const filed = await fileAppeal(
        {
          clientRequestId: `diia-appeal-${randomUUID()}`,
          assignmentId,
          version: 2,
          programmeCode: 'idp-living-allowance',
          grounds: 'статус ВПО дитини не припинявся',
          channel: 'diia',
        },
        citizenOf(applicant),
      );
      expect(filed.status).toBe(201);
      expect(filed.body).toMatchObject({ kind: 'recalculation', assignmentVersion: 2, applicationId });
      const wrongProgramme = await fileAppeal(
        {
          clientRequestId: `diia-appeal-${randomUUID()}`,
          assignmentId,
          programmeCode: 'birth-assistance',
          grounds: 'статус ВПО дитини не припинявся',
          channel: 'diia',
        },
        citizenOf(applicant),
      );
      expect(wrongProgramme.status).toBe(422);
      expect(wrongProgramme.body.error.code).toBe('APPEAL_PROGRAMME_MISMATCH');

      const res = await review(
        filed.body.id,
        {
          outcome: 'upheld',
          reasoning: 'статус ВПО дитини чинний (довідка)',
          corrections: [{ personId: child, statuses: [{ type: 'idp', validFrom: '2024-01-01', validTo: null }] }],
        },
        tokens.officer2,
      );
      expect(res.status).toBe(200);
      expect(res.body.result).toMatchObject({ outcome: 'upheld', assignmentId, version: 3, method: 'recomputed', status: 'active' });
      const [changed] = (await h.outbox(AssignmentChangedV2, assignmentId)).filter((p) => p.assignment.version === 3) as PayloadOf<
        typeof AssignmentChangedV2
      >[];
      expect(changed).toBeDefined();
      expect(changed!.reason?.code).toBe('APPEAL_UPHELD');
      expect(changed!.differences).toEqual(
        reduced.differences.map((d) => ({
          month: d.month,
          previousKopiyky: d.newKopiyky,
          newKopiyky: d.previousKopiyky,
          differenceKopiyky: String(-BigInt(d.differenceKopiyky)),
        })),
      );
      expect(changed!.effectiveFrom).toBe(cut[0]);
      const v = await h.sql.query(
        `SELECT created_by, approved_by, event_type FROM social_processing.assignment_version WHERE assignment_id = $1 AND version = 3`,
        [assignmentId],
      );
      expect(v.rows[0]).toEqual({ created_by: 'officer-2', approved_by: null, event_type: AssignmentChangedV2.eventType });
      const card = await h.http().get(`/assignments/${assignmentId}`).set('authorization', `Bearer ${tokens.officer}`);
      expect(JSON.stringify(card.body)).toContain('appeal.new-version');
      expect(await noticeText(applicationId)).toContain('Скаргу задоволено (recalculation)');
    });
  });
});
