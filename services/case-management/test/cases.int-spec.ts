import {
  Role,
  CaseAssessedV1,
  CaseClosedV1,
  CaseDeadlineMissedV1,
  CaseOpenedV1,
  CasePlanApprovedV1,
  CaseServiceProvidedV1,
  StatusGrantedV1,
  type EventContract,
  type PayloadOf,
} from '@eisss/contracts';
import { KafkaProbe, ServiceApp, TestEnvironment, envelopeOf, expectEventually, produceRaw, tokenFor } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { definition } from '../src/service.definition';

const KYIV = 'UA80000000000093317';
const KYIV_OTHER = 'UA80000000000126643';
const LVIV = 'UA46060250010015970';

/**
 * case-management in-process against real Postgres and Kafka: the case lifecycle over REST, events on
 * the topics, intake from the register's status events, deadlines, access by territory.
 */
describe('case-management service', () => {
  let env: TestEnvironment;
  let app: ServiceApp;
  let probe: KafkaProbe;
  let sql: Client;
  const topic = (c: EventContract) => env.topicPrefix + c.topic;
  const worker = tokenFor({ id: 'worker-1', roles: [Role.CaseWorker], territory: KYIV });
  const manager = tokenFor({ id: 'manager-1', roles: [Role.CaseManager], territory: KYIV });
  const oblastManager = tokenFor({ id: 'manager-oblast', roles: [Role.CaseManager], territory: 'UA80' });
  const lvivWorker = tokenFor({ id: 'worker-lviv', roles: [Role.CaseWorker], territory: 'UA46' });
  const supervisor = tokenFor({ id: 'supervisor-1', roles: [Role.Supervisor], territory: 'UA' });
  const system = tokenFor({ id: 'scheduler', roles: [Role.System], territory: 'UA' });

  const http = () => app.http();

  async function openCase(body: Record<string, unknown> = {}, token = worker): Promise<any> {
    const res = await http()
      .post('/cases')
      .set('authorization', `Bearer ${token}`)
      .send({ personId: randomUUID(), katottg: KYIV, channel: 'self', requestDate: '2026-11-23', ...body });
    expect(res.status).toBe(201);
    return res.body;
  }

  const post = (path: string, body: unknown, token = manager) =>
    http()
      .post(path)
      .set('authorization', `Bearer ${token}`)
      .send(body as object);
  const get = (path: string, token = manager) => http().get(path).set('authorization', `Bearer ${token}`);

  async function toInService(id: string): Promise<void> {
    expect(
      (
        await post(
          `/cases/${id}/assessment`,
          { assessedOn: '2026-11-25', findings: 'cannot shop or cook alone', needsIdentified: ['015.1'] },
          worker,
        )
      ).status,
    ).toBe(200);
    expect((await post(`/cases/${id}/decision`, { decision: 'grant', decidedOn: '2026-11-26', reasons: 'needs home care' })).status).toBe(
      200,
    );
    const plan = await post(`/cases/${id}/plan`, {
      approvedOn: '2026-11-27',
      goals: 'live at home safely',
      services: [
        { code: '015.1', providerId: 'tcsp-kyiv-1', frequency: '3 visits a week', periodFrom: '2026-12-01', periodTo: '2027-05-31' },
      ],
    });
    expect(plan.status).toBe(200);
    expect(
      (
        await post(`/cases/${id}/contracts`, {
          providerId: 'tcsp-kyiv-1',
          providerName: 'ТЦСП Київ',
          contractNumber: `C-${id.slice(0, 8)}`,
          signedOn: '2026-11-30',
        })
      ).status,
    ).toBe(200);
  }

  beforeAll(async () => {
    env = await TestEnvironment.create();
    probe = await KafkaProbe.start(
      [CaseOpenedV1, CaseAssessedV1, CasePlanApprovedV1, CaseServiceProvidedV1, CaseClosedV1, CaseDeadlineMissedV1].map(
        (c) => env.topicPrefix + c.topic,
      ),
    );
    app = await ServiceApp.start(definition, env.env('case-management'));
    sql = await env.sql('case-management');
  });

  afterAll(async () => {
    await sql?.end();
    await app?.close();
    await probe?.stop();
    await env?.destroy();
  });

  it('runs a case from request to closure and publishes each stage when driven over REST', async () => {
    const c = await openCase({ requestedServices: ['002.0'], workerId: 'worker-1' });
    expect(c).toMatchObject({ status: 'open', ruleSetVersion: 'CMU-64-2026', assessmentDue: '2026-11-30', decisionDue: '2026-12-07' });
    await toInService(c.id);
    const visit = await post(
      `/cases/${c.id}/provisions`,
      { clientId: 'tablet-1:visit-1', serviceCode: '015.1', providedOn: '2026-12-01', durationMinutes: 90 },
      worker,
    );
    expect(visit.status).toBe(201);
    const review = await post(`/cases/${c.id}/monitoring`, { kind: 'review', heldOn: '2027-03-01', findings: 'plan works' }, worker);
    expect(review.body.reviewDue).toBe('2027-09-01');
    const closed = await post(`/cases/${c.id}/closure`, {
      closedOn: '2027-05-31',
      outcome: 'goals_achieved',
      finalEvaluation: 'manages with day care',
    });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');

    await expectEventually(() => {
      for (const contract of [CaseOpenedV1, CaseAssessedV1, CasePlanApprovedV1, CaseServiceProvidedV1, CaseClosedV1]) {
        expect(probe.envelopes(topic(contract)).some((e) => e.aggregateId === c.id)).toBe(true);
      }
    });
    const provided = probe
      .envelopes<PayloadOf<typeof CaseServiceProvidedV1>>(topic(CaseServiceProvidedV1))
      .find((e) => e.aggregateId === c.id)!;
    expect(provided.payload).toMatchObject({
      serviceCode: '015.1',
      serviceName: 'Догляд вдома',
      providerId: 'tcsp-kyiv-1',
      providedOn: '2026-12-01',
      personId: c.personId,
    });
    const file = await get(`/cases/${c.id}`);
    expect(file.body.journal.map((j: any) => j.action)).toEqual([
      'open',
      'assess',
      'grant',
      'approvePlan',
      'signContract',
      'review',
      'close',
    ]);
  });

  it('returns the same case when the request is retried with the same clientRequestId', async () => {
    const body = {
      personId: randomUUID(),
      katottg: KYIV,
      channel: 'worker',
      requestDate: '2026-11-23',
      clientRequestId: `req-${randomUUID()}`,
    };
    const first = await post('/cases', body, worker);
    const again = await post('/cases', body, worker);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
  });

  it('records a visit once with its real date when the offline client retries it days later', async () => {
    const c = await openCase();
    await toInService(c.id);
    const body = { clientId: 'offline-42', serviceCode: '015.1', providedOn: '2026-12-02', notes: 'during a power cut' };
    const first = await post(`/cases/${c.id}/provisions`, body, worker);
    const retry = await post(`/cases/${c.id}/provisions`, body, worker);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    const list = await get(`/cases/${c.id}/provisions`);
    expect(list.body).toMatchObject({ total: 1, items: [{ providedOn: '2026-12-02', clientId: 'offline-42' }] });
    const conflicting = await post(`/cases/${c.id}/provisions`, { ...body, providedOn: '2026-12-03' }, worker);
    expect(conflicting.status).toBe(409);
    expect(conflicting.body.error.code).toBe('CASE_CLIENT_ID_CONFLICT');
    const notPlanned = await post(`/cases/${c.id}/provisions`, { clientId: 'x-1', serviceCode: '013.0', providedOn: '2026-12-02' }, worker);
    expect(notPlanned.status).toBe(422);
    expect(notPlanned.body.error.code).toBe('CASE_SERVICE_NOT_IN_PLAN');
  });

  it('answers 409 CASE_ILLEGAL_TRANSITION with from/to and changes nothing when a stage is skipped', async () => {
    const c = await openCase();
    const plan = await post(`/cases/${c.id}/plan`, {
      approvedOn: '2026-11-27',
      goals: 'x',
      services: [{ code: '015.1', providerId: 'p', frequency: 'daily', periodFrom: '2026-12-01', periodTo: '2026-12-31' }],
    });
    expect(plan.status).toBe(409);
    expect(plan.body.error).toMatchObject({ code: 'CASE_ILLEGAL_TRANSITION', details: { from: 'open', to: 'plan_approved' } });
    const decide = await post(`/cases/${c.id}/decision`, { decision: 'grant', decidedOn: '2026-11-24', reasons: 'x' });
    expect(decide.body.error).toMatchObject({ code: 'CASE_ILLEGAL_TRANSITION', details: { from: 'open', to: 'decided' } });
    const visit = await post(`/cases/${c.id}/provisions`, { clientId: 'v', serviceCode: '015.1', providedOn: '2026-12-01' }, worker);
    expect(visit.status).toBe(409);
    expect((await get(`/cases/${c.id}`)).body).toMatchObject({ status: 'open', acts: [] });
  });

  it('keeps every version of a signed assessment and demands a reason when it is corrected', async () => {
    const c = await openCase();
    await post(`/cases/${c.id}/assessment`, { assessedOn: '2026-11-24', findings: 'first', needsIdentified: ['002.0'] }, worker);
    const silent = await post(
      `/cases/${c.id}/assessment`,
      { assessedOn: '2026-11-25', findings: 'changed', needsIdentified: ['015.1'] },
      worker,
    );
    expect(silent.status).toBe(400);
    expect(silent.body.error).toMatchObject({ code: 'CASE_CORRECTION_REASON_REQUIRED', field: 'correctionReason' });
    const corrected = await post(
      `/cases/${c.id}/assessment`,
      { assessedOn: '2026-11-25', findings: 'changed', needsIdentified: ['015.1'], correctionReason: 'mobility was misjudged' },
      worker,
    );
    expect(corrected.status).toBe(200);
    const file = (await get(`/cases/${c.id}`)).body;
    const acts = file.acts.filter((a: any) => a.kind === 'assessment');
    expect(acts.map((a: any) => [a.actVersion, a.data.findings, a.correctionReason])).toEqual([
      [1, 'first', null],
      [2, 'changed', 'mobility was misjudged'],
    ]);
    expect(file.journal.find((j: any) => j.action === 'correct-assessment')).toMatchObject({
      actorId: 'worker-1',
      reason: 'mobility was misjudged',
    });
    const form = await get(`/cases/${c.id}/forms/assessment`, worker);
    expect(form.status).toBe(200);
    expect(form.headers['content-type']).toMatch(/text\/plain/);
    expect(form.text).toContain('Версія акта: 2');
    expect(form.text).toContain('Підстава виправлення: mobility was misjudged');
    expect((await get(`/cases/${c.id}/forms/assessment?version=1`, worker)).text).toContain('first');
    expect((await get(`/cases/${c.id}/forms/plan`, worker)).body.error.code).toBe('CASE_ACT_NOT_FOUND');
    expect((await get(`/cases/${c.id}/forms/assessment`, lvivWorker)).status).toBe(403);
  });

  it('re-routes a returned case to another body with its acts and history when the registrar was wrong', async () => {
    const c = await openCase({}, worker);
    await post(`/cases/${c.id}/notes`, { text: 'first visit', notedOn: '2026-11-23' }, worker);
    await post(`/cases/${c.id}/assessment`, { assessedOn: '2026-11-24', findings: 'f', needsIdentified: ['002.0'] }, worker);
    const returned = await post(`/cases/${c.id}/return`, { reason: 'lives in another community' });
    expect(returned.body).toMatchObject({ status: 'returned' });
    const rerouted = await post(`/cases/${c.id}/reroute`, { katottg: KYIV_OTHER, reason: 'actual residence' }, oblastManager);
    expect(rerouted.status).toBe(200);
    expect(rerouted.body).toMatchObject({ status: 'assessed', katottg: KYIV_OTHER, workerId: null });
    expect((await get(`/cases/${c.id}`, worker)).status).toBe(403);
    const file = (await get(`/cases/${c.id}`, oblastManager)).body;
    expect(file.notes).toHaveLength(1);
    expect(file.acts).toHaveLength(1);
    expect(file.journal.map((j: any) => j.action)).toEqual(['open', 'assess', 'return', 'reroute']);
  });

  it('hides cases of other communities and audits every read when workers look', async () => {
    const c = await openCase();
    expect((await get(`/cases/${c.id}`, lvivWorker)).status).toBe(403);
    const lvivList = await get(`/cases?personId=${c.personId}`, lvivWorker);
    expect(lvivList.body.total).toBe(0);
    const own = await get(`/cases?personId=${c.personId}&limit=5`, worker);
    expect(own.body).toMatchObject({ total: 1, limit: 5, offset: 0 });
    await get(`/cases/${c.id}`, worker);
    const { rows } = await sql.query(
      `SELECT actor_id, purpose FROM case_management_audit.audit_log WHERE subject_id = $1 ORDER BY occurred_at`,
      [c.personId],
    );
    expect(rows.map((r) => r.actor_id)).toEqual(['worker-1', 'worker-1']);
    expect(rows[1].purpose).toBe(`case ${c.id}`);
    const bad = await post('/cases', { personId: randomUUID(), katottg: LVIV, channel: 'self', requestDate: '2026-11-23' }, worker);
    expect(bad.status).toBe(403);
  });

  it('opens one case per register status of difficult life circumstances when the event is delivered twice', async () => {
    const personId = randomUUID();
    const status = {
      ...StatusGrantedV1.fixture,
      statusId: randomUUID(),
      personId,
      type: 'difficult_circumstances' as const,
      validFrom: '2026-12-24',
      katottg: KYIV,
      details: { crisis: true },
    };
    const e = envelopeOf(StatusGrantedV1, status, personId);
    await produceRaw(topic(StatusGrantedV1), [{ key: personId, value: JSON.stringify(e) }]);
    await produceRaw(topic(StatusGrantedV1), [{ key: personId, value: JSON.stringify({ ...e, eventId: randomUUID() }) }]);
    const idp = envelopeOf(StatusGrantedV1, { ...status, statusId: randomUUID(), type: 'idp' }, personId);
    await produceRaw(topic(StatusGrantedV1), [{ key: personId, value: JSON.stringify(idp) }]);
    const opened = await expectEventually(async () => {
      const res = await get(`/cases?personId=${personId}`);
      expect(res.body.total).toBe(1);
      return res.body.items[0];
    });
    expect(opened).toMatchObject({
      channel: 'register',
      crisis: true,
      requestDate: '2026-12-24',
      assessmentDue: '2026-12-25',
      status: 'open',
    });
    await expectEventually(() => expect(probe.envelopes(topic(CaseOpenedV1)).filter((x) => x.aggregateId === opened.id)).toHaveLength(1));
    const { rows } = await sql.query(`SELECT count(*)::int AS n FROM case_management."case" WHERE person_id = $1`, [personId]);
    expect(rows[0].n).toBe(1);
  });

  it('lists overdue stages per office and worker and emits deadline-missed once per case and stage when scanned', async () => {
    const late = await openCase({ requestDate: '2026-06-01', workerId: 'late-worker', katottg: KYIV });
    const overdue = await get(`/deadlines/overdue?asOf=2026-06-20&workerId=late-worker`);
    expect(overdue.body.items.filter((i: any) => i.caseId === late.id).map((i: any) => [i.stage, i.dueDate])).toEqual([
      ['assessment', '2026-06-08'],
      ['decision', '2026-06-15'],
    ]);
    const first = await post('/deadlines/scan', { asOf: '2026-06-20' }, system);
    expect(first.status).toBe(200);
    expect(first.body.emitted).toBeGreaterThanOrEqual(2);
    const again = await post('/deadlines/scan', { asOf: '2026-06-21' }, system);
    expect(again.body.emitted).toBe(0);
    const events = await expectEventually(() => {
      const mine = probe
        .envelopes<PayloadOf<typeof CaseDeadlineMissedV1>>(topic(CaseDeadlineMissedV1))
        .filter((x) => x.aggregateId === late.id);
      expect(mine).toHaveLength(2);
      return mine;
    });
    expect(events.map((x) => x.payload.stage).sort()).toEqual(['assessment', 'decision']);
    const lviv = await get(`/deadlines/overdue?asOf=2026-06-20`, lvivWorker);
    expect(lviv.body.items.some((i: any) => i.caseId === late.id)).toBe(false);
    const load = await get(`/workload?asOf=2026-06-20`);
    expect(load.body.find((w: any) => w.workerId === 'late-worker')).toMatchObject({ activeCases: 1, overdueStages: 2 });
  });

  it('reopens the decision when a person upholds an appeal against an automated refusal', async () => {
    const c = await openCase();
    await post(`/cases/${c.id}/assessment`, { assessedOn: '2026-11-24', findings: 'f', needsIdentified: ['015.1'] }, worker);
    await post(`/cases/${c.id}/decision`, {
      decision: 'refuse',
      decidedOn: '2026-11-25',
      reasons: 'income above threshold',
      automated: true,
    });
    const appeal = await post(
      `/cases/${c.id}/appeals`,
      { subject: 'decision', reason: 'income was counted twice' },
      tokenFor({ id: 'citizen-1', roles: [Role.Citizen], territory: 'UA', personId: c.personId }),
    );
    expect(appeal.status).toBe(201);
    expect((await post(`/appeals/${appeal.body.id}/review`, { outcome: 'upheld', resolution: 'recount' }, system)).status).toBe(403);
    const reviewed = await post(`/appeals/${appeal.body.id}/review`, { outcome: 'upheld', resolution: 'income recounted' }, supervisor);
    expect(reviewed.body.status).toBe('assessed');
    const twice = await post(`/appeals/${appeal.body.id}/review`, { outcome: 'dismissed', resolution: 'x' }, supervisor);
    expect(twice.body.error.code).toBe('CASE_APPEAL_ALREADY_REVIEWED');
  });

  it('refuses 403 and writes nothing when someone other than the person or staff of the territory appeals', async () => {
    const c = await openCase();
    await post(`/cases/${c.id}/assessment`, { assessedOn: '2026-11-24', findings: 'f', needsIdentified: ['015.1'] }, worker);
    await post(`/cases/${c.id}/decision`, { decision: 'refuse', decidedOn: '2026-11-25', reasons: 'income above threshold' });
    const rows = async () => {
      const appeals = await sql.query(`SELECT count(*)::int AS n FROM case_management.appeal WHERE case_id = $1`, [c.id]);
      const journal = await sql.query(`SELECT count(*)::int AS n FROM case_management.case_journal WHERE case_id = $1`, [c.id]);
      return { appeals: appeals.rows[0].n, journal: journal.rows[0].n };
    };
    const before = await rows();
    const body = { subject: 'decision', reason: 'not mine to appeal' };
    const stranger = tokenFor({ id: 'citizen-2', roles: [Role.Citizen], territory: 'UA', personId: randomUUID() });
    const noPerson = tokenFor({ id: 'citizen-3', roles: [Role.Citizen], territory: 'UA' });
    for (const token of [stranger, noPerson]) {
      const res = await post(`/cases/${c.id}/appeals`, body, token);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('CASE_APPEAL_FORBIDDEN');
    }
    const otherTerritory = await post(`/cases/${c.id}/appeals`, body, lvivWorker);
    expect(otherTerritory.status).toBe(403);
    expect(otherTerritory.body.error.code).toBe('TERRITORY_FORBIDDEN');
    expect(await rows()).toEqual(before);

    const own = await post(
      `/cases/${c.id}/appeals`,
      { subject: 'decision', reason: 'my income was counted twice' },
      tokenFor({ id: 'citizen-1', roles: [Role.Citizen], territory: 'UA', personId: c.personId }),
    );
    expect(own.status).toBe(201);
    const staff = await post(`/cases/${c.id}/appeals`, { subject: 'decision', reason: 'on behalf of the person' }, worker);
    expect(staff.status).toBe(201);
    expect((await rows()).appeals).toBe(before.appeals + 2);
  });

  it('places a child deprived of parental care with one candidate at a time', async () => {
    const child = await openCase({ category: 'child_deprived_of_parental_care', crisis: true });
    expect(child.assessmentDue).toBe('2026-11-24');
    const g = await post(`/cases/${child.id}/placement-candidates`, { kind: 'guardian', candidateName: 'Бабуся' });
    const f = await post(`/cases/${child.id}/placement-candidates`, { kind: 'foster_family', candidateName: 'Родина Коваль' });
    expect(
      (await post(`/cases/${child.id}/placements`, { candidateId: g.body.id, placedOn: '2026-11-24', decisionRef: 'рішення №1' })).status,
    ).toBe(201);
    const second = await post(`/cases/${child.id}/placements`, {
      candidateId: f.body.id,
      placedOn: '2026-11-25',
      decisionRef: 'рішення №2',
    });
    expect(second.body.error.code).toBe('CASE_PLACEMENT_ACTIVE');
    expect((await post(`/cases/${child.id}/placements/end`, { endedOn: '2026-12-01', reason: 'guardian ill' })).status).toBe(204);
    expect(
      (await post(`/cases/${child.id}/placements`, { candidateId: f.body.id, placedOn: '2026-12-01', decisionRef: 'рішення №2' })).status,
    ).toBe(201);
    const file = (await get(`/cases/${child.id}`)).body;
    expect(file.children.placements.map((p: any) => [p.placedOn, p.endedOn])).toEqual([
      ['2026-11-24', '2026-12-01'],
      ['2026-12-01', null],
    ]);
    const adult = await openCase();
    expect((await post(`/cases/${adult.id}/placement-candidates`, { kind: 'guardian', candidateName: 'x' })).body.error.code).toBe(
      'CASE_NOT_A_CHILD_CASE',
    );
  });

  it('keeps attachments by reference with their checksum and a multidisciplinary team when added', async () => {
    const c = await openCase({ workerId: 'worker-1' });
    const sha = 'a'.repeat(64);
    const a1 = await post(
      `/cases/${c.id}/attachments`,
      { uri: 's3://cases/a.pdf', sha256: sha, fileName: 'a.pdf', mediaType: 'application/pdf' },
      worker,
    );
    const a2 = await post(
      `/cases/${c.id}/attachments`,
      { uri: 's3://cases/a-copy.pdf', sha256: sha.toUpperCase(), fileName: 'a.pdf', mediaType: 'application/pdf' },
      worker,
    );
    expect(a2.body.id).toBe(a1.body.id);
    const bad = await post(
      `/cases/${c.id}/attachments`,
      { uri: 's3://x', sha256: 'zz', fileName: 'a', mediaType: 'application/pdf' },
      worker,
    );
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'sha256' });
    expect((await post(`/cases/${c.id}/team`, { memberId: 'psy-1', role: 'psychologist', organisation: 'ЦСССДМ' })).status).toBe(204);
    await post(`/cases/${c.id}/assignment`, { workerId: 'worker-2', reason: 'vacation' });
    const file = (await get(`/cases/${c.id}`)).body;
    expect(file.attachments).toHaveLength(1);
    expect(file.team).toEqual([{ memberId: 'psy-1', role: 'psychologist', organisation: 'ЦСССДМ' }]);
    expect(file.workerId).toBe('worker-2');
    expect(file.journal.find((j: any) => j.action === 'reassign')).toMatchObject({
      reason: 'vacation',
      data: { from: 'worker-1', to: 'worker-2' },
    });
  });

  it('documents every case endpoint in OpenAPI when /docs-json is asked', async () => {
    const res = await http().get('/docs-json');
    expect(res.status).toBe(200);
    const paths = Object.keys(res.body.paths);
    for (const p of [
      '/cases',
      '/cases/{id}',
      '/cases/{id}/assessment',
      '/cases/{id}/provisions',
      '/cases/{id}/forms/{kind}',
      '/deadlines/overdue',
      '/deadlines/scan',
      '/workload',
      '/appeals/{id}/review',
    ]) {
      expect(paths).toContain(p);
    }
  });

  it('rejects an unknown service code and a date before the request with the field at fault', async () => {
    const c = await openCase();
    const unknown = await post(
      `/cases/${c.id}/assessment`,
      { assessedOn: '2026-11-24', findings: 'f', needsIdentified: ['999.9'] },
      worker,
    );
    expect(unknown.body.error).toMatchObject({ code: 'CASE_UNKNOWN_SERVICE_CODE', field: 'needsIdentified' });
    const early = await post(`/cases/${c.id}/assessment`, { assessedOn: '2026-11-20', findings: 'f', needsIdentified: ['002.0'] }, worker);
    expect(early.body.error).toMatchObject({ code: 'CASE_DATE_BEFORE_REQUEST', field: 'assessedOn' });
  });
  it('emits deadline-missed by itself when the periodic scan is switched on', async () => {
    const late = await openCase({ requestDate: '2026-05-04', workerId: 'periodic-worker' });
    const scanning = await ServiceApp.start(definition, env.env('case-management', { CASE_DEADLINE_SCAN_INTERVAL_MS: '200' }));
    try {
      await expectEventually(() => {
        const mine = probe
          .envelopes<PayloadOf<typeof CaseDeadlineMissedV1>>(topic(CaseDeadlineMissedV1))
          .filter((x) => x.aggregateId === late.id);
        expect(mine.map((x) => x.payload.stage).sort()).toEqual(['assessment', 'decision']);
      });
    } finally {
      await scanning.close();
    }
  });
});
