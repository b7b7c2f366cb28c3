import {
  AssignmentChangedV2,
  AssignmentGrantedV2,
  HouseholdChangedV1,
  PaymentSettledV1,
  Role,
  StatusEndedV1,
  StatusGrantedV1,
  type EventContract,
  type EventEnvelope,
} from '@eisss/contracts';
import { KafkaProbe, ServiceApp, TestEnvironment, expectEventually, produceRaw, tokenFor } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { definition } from '../src/service.definition';
import { KYIV, LVIV, newPerson } from './support';

describe('social-register households, statuses, entitlements and providers', () => {
  let env: TestEnvironment;
  let app: ServiceApp;
  let probe: KafkaProbe;
  let sql: Client;
  const registrar = tokenFor({ id: 'registrar-1', roles: [Role.Registrar], territory: 'UA80' });
  const officer = tokenFor({ id: 'officer-1', roles: [Role.Officer], territory: 'UA80' });
  const supervisor = tokenFor({ id: 'supervisor-1', roles: [Role.Supervisor], territory: 'UA' });
  const lvivOfficer = tokenFor({ id: 'officer-lviv', roles: [Role.Officer], territory: 'UA46' });
  const topic = (c: { topic: string }) => env.topicPrefix + c.topic;
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });

  beforeAll(async () => {
    env = await TestEnvironment.create();
    probe = await KafkaProbe.start([HouseholdChangedV1, StatusGrantedV1, StatusEndedV1].map(topic));
    app = await ServiceApp.start(definition, env.env('social-register'));
    sql = await env.sql('social-register');
  });

  afterAll(async () => {
    await app?.close();
    await probe?.stop();
    await sql?.end();
    await env?.destroy();
  });

  async function person(overrides: Record<string, unknown> = {}): Promise<string> {
    const res = await app.http().post('/persons').set(auth(registrar)).send(newPerson(overrides));
    expect(res.status).toBe(201);
    return res.body.id;
  }

  describe('households', () => {
    it('creates a household, adds and removes members and publishes household.changed with the full composition', async () => {
      const [head, child, grandma] = [await person(), await person(), await person()];
      const created = await app
        .http()
        .post('/households')
        .set(auth(registrar))
        .send({
          katottg: KYIV,
          address: 'м. Київ',
          clientRequestId: `hh-${head}`,
          members: [
            { personId: head, role: 'head', joinedOn: '2026-01-01' },
            { personId: child, role: 'dependant', joinedOn: '2026-01-01' },
          ],
        });
      expect(created.status).toBe(201);
      expect(created.body.members).toHaveLength(2);
      const retry = await app
        .http()
        .post('/households')
        .set(auth(registrar))
        .send({
          katottg: KYIV,
          address: 'м. Київ',
          clientRequestId: `hh-${head}`,
          members: [{ personId: head, role: 'head', joinedOn: '2026-01-01' }],
        });
      expect(retry.body.id).toBe(created.body.id);

      const joined = await app
        .http()
        .post(`/households/${created.body.id}/members`)
        .set(auth(registrar))
        .send({ personId: grandma, role: 'recipient', joinedOn: '2026-02-01' });
      expect(joined.status).toBe(201);
      expect(joined.body.version).toBe(2);
      const left = await app
        .http()
        .post(`/households/${created.body.id}/members/${child}/leave`)
        .set(auth(registrar))
        .send({ leftOn: '2026-06-30' });
      expect(left.status).toBe(201);
      expect(left.body.members.find((m: { personId: string }) => m.personId === child)).toMatchObject({
        leftOn: '2026-06-30',
        role: 'dependant',
      });

      const events = await expectEventually(() => {
        const es = probe
          .envelopes<{ change: string; members: unknown[] }>(topic(HouseholdChangedV1))
          .filter((e) => e.aggregateId === created.body.id);
        expect(es.map((e) => e.payload.change)).toEqual(['created', 'member-joined', 'member-left']);
        return es;
      });
      expect(events[2]!.payload.members).toHaveLength(3);
      const listed = await app.http().get(`/households?personId=${grandma}`).set(auth(officer));
      expect(listed.body).toMatchObject({ total: 1, items: [{ id: created.body.id }] });
      expect(listed.body.items[0].members).toHaveLength(3);
    });

    it('refuses a person who is an active member of another household with HOUSEHOLD_MEMBER_ALREADY_ACTIVE', async () => {
      const [a, b] = [await person(), await person()];
      await app
        .http()
        .post('/households')
        .set(auth(registrar))
        .send({ katottg: KYIV, members: [{ personId: a, role: 'head', joinedOn: '2026-01-01' }] })
        .expect(201);
      const res = await app
        .http()
        .post('/households')
        .set(auth(registrar))
        .send({
          katottg: KYIV,
          members: [
            { personId: b, role: 'head', joinedOn: '2026-01-01' },
            { personId: a, role: 'dependant', joinedOn: '2026-01-01' },
          ],
        });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'HOUSEHOLD_MEMBER_ALREADY_ACTIVE', field: 'members.1.personId' });
      const noHead = await app
        .http()
        .post('/households')
        .set(auth(registrar))
        .send({ katottg: KYIV, members: [{ personId: b, role: 'dependant', joinedOn: '2026-01-01' }] });
      expect(noHead.status).toBe(400);
      expect(noHead.body.error.code).toBe('HOUSEHOLD_HEAD_REQUIRED');
    });

    it('hides a household of another territory with TERRITORY_FORBIDDEN', async () => {
      const a = await person();
      const h = await app
        .http()
        .post('/households')
        .set(auth(registrar))
        .send({ katottg: KYIV, members: [{ personId: a, role: 'head', joinedOn: '2026-01-01' }] });
      const res = await app.http().get(`/households/${h.body.id}`).set(auth(lvivOfficer));
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('TERRITORY_FORBIDDEN');
    });
  });

  describe('statuses', () => {
    const idp = { certificateNumber: '8000-0000012345', certificateDate: '2026-03-01', originKatottg: 'UA14000000000000000' };

    it('grants, corrects and ends a status keeping every version with who, why and source, and publishes each change', async () => {
      const p = await person();
      const granted = await app
        .http()
        .post(`/persons/${p}/statuses`)
        .set(auth(registrar))
        .send({ type: 'idp', validFrom: '2026-03-01', source: 'ЄІБД ВПО', reason: 'довідка ВПО', details: idp });
      expect(granted.status).toBe(201);
      expect(granted.body).toMatchObject({ type: 'idp', validFrom: '2026-03-01', validTo: null, katottg: KYIV, version: 1 });

      const corrected = await app
        .http()
        .post(`/statuses/${granted.body.id}/correct`)
        .set(auth(officer))
        .send({
          validFrom: '2026-03-02',
          source: 'ЄІБД ВПО',
          reason: 'помилка в даті',
          details: { ...idp, certificateDate: '2026-03-02' },
        });
      expect(corrected.status).toBe(200);
      expect(corrected.body).toMatchObject({ id: granted.body.id, validFrom: '2026-03-02', version: 2 });

      const ended = await app
        .http()
        .post(`/statuses/${granted.body.id}/end`)
        .set(auth(officer))
        .send({ validTo: '2026-10-31', reason: 'повернення до місця проживання', source: 'ЄІБД ВПО' });
      expect(ended.status).toBe(200);
      expect(ended.body).toMatchObject({ validTo: '2026-10-31', version: 3 });
      const endedTwice = await app
        .http()
        .post(`/statuses/${granted.body.id}/end`)
        .set(auth(officer))
        .send({ validTo: '2026-11-30', reason: 'x', source: 'x' });
      expect(endedTwice.status).toBe(409);
      expect(endedTwice.body.error.code).toBe('STATUS_ALREADY_ENDED');

      const withHistory = await app.http().get(`/statuses/${granted.body.id}`).set(auth(officer));
      expect(
        withHistory.body.history.map((h: { action: string; actorId: string; reason: string }) => [h.action, h.actorId, h.reason]),
      ).toEqual([
        ['granted', 'registrar-1', 'довідка ВПО'],
        ['corrected', 'officer-1', 'помилка в даті'],
        ['ended', 'officer-1', 'повернення до місця проживання'],
      ]);
      expect(withHistory.body.history[0].snapshot.validFrom).toBe('2026-03-01');

      await expectEventually(() => {
        const g = probe
          .envelopes<{ statusId: string; validFrom: string }>(topic(StatusGrantedV1))
          .filter((e) => e.payload.statusId === granted.body.id);
        expect(g.map((e) => e.payload.validFrom)).toEqual(['2026-03-01', '2026-03-02']);
        expect(g.every((e) => e.aggregateId === p)).toBe(true);
        const e = probe
          .envelopes<{ statusId: string; validTo: string }>(topic(StatusEndedV1))
          .filter((x) => x.payload.statusId === granted.body.id);
        expect(e.map((x) => x.payload.validTo)).toEqual(['2026-10-31']);
      });
    });

    it('shows a citizen their own statuses and entitlements but not another person’s', async () => {
      const [me, other] = [await person(), await person()];
      await app
        .http()
        .post(`/persons/${me}/statuses`)
        .set(auth(registrar))
        .send({ type: 'low_income', validFrom: '2026-01-01', source: 'УСЗН' })
        .expect(201);
      const citizen = tokenFor({ id: 'citizen-me', roles: [Role.Citizen], territory: 'UA', personId: me });
      const own = await app.http().get(`/persons/${me}/statuses`).set(auth(citizen));
      expect(own.status).toBe(200);
      expect(own.body.items.map((x: { type: string }) => x.type)).toEqual(['low_income']);
      for (const path of [`/persons/${other}/statuses`, `/persons/${other}/entitlements`, `/persons/${other}`]) {
        const res = await app.http().get(path).set(auth(citizen));
        expect({ path, status: res.status, code: res.body.error?.code }).toEqual({ path, status: 403, code: 'PERSON_FORBIDDEN' });
      }
    });

    it('names the missing detail when an IDP status has no region of origin', async () => {
      const p = await person();
      const res = await app
        .http()
        .post(`/persons/${p}/statuses`)
        .set(auth(registrar))
        .send({ type: 'idp', validFrom: '2026-03-01', source: 'ЄІБД ВПО', details: { ...idp, originKatottg: undefined } });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'STATUS_DETAILS_INVALID', field: 'details.originKatottg' });
      const disability = await app
        .http()
        .post(`/persons/${p}/statuses`)
        .set(auth(registrar))
        .send({ type: 'disability', validFrom: '2026-03-01', source: 'ЦБІ', details: { group: 'IV' } });
      expect(disability.body.error).toMatchObject({ code: 'STATUS_DETAILS_INVALID', field: 'details.group' });
    });

    it('refuses an overlapping status of the same type with STATUS_OVERLAP and writes nothing', async () => {
      const p = await person();
      await app
        .http()
        .post(`/persons/${p}/statuses`)
        .set(auth(registrar))
        .send({ type: 'disability', validFrom: '2026-01-01', validTo: '2026-12-31', source: 'ЦБІ', details: { group: 'II' } })
        .expect(201);
      const before = Number((await sql.query(`SELECT count(*)::int AS n FROM social_register.outbox`)).rows[0].n);
      const res = await app
        .http()
        .post(`/persons/${p}/statuses`)
        .set(auth(registrar))
        .send({ type: 'disability', validFrom: '2026-06-01', source: 'ЦБІ', details: { group: 'I' } });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('STATUS_OVERLAP');
      expect(Number((await sql.query(`SELECT count(*)::int AS n FROM social_register.outbox`)).rows[0].n)).toBe(before);
      const list = await app.http().get(`/persons/${p}/statuses?activeOn=2026-06-01`).set(auth(officer));
      expect(list.body.items).toHaveLength(1);
    });

    it('grants one of two overlapping statuses asked at the same moment and refuses the other with STATUS_OVERLAP', async () => {
      const p = await person();
      const grant = (group: string) =>
        app
          .http()
          .post(`/persons/${p}/statuses`)
          .set(auth(registrar))
          .send({ type: 'disability', validFrom: '2026-02-01', source: 'ЦБІ', details: { group } });
      const results = await Promise.all([grant('I'), grant('II'), grant('III')]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      const granted = results.find((r) => r.status === 201)!;
      for (const r of results.filter((x) => x.status === 409))
        expect(r.body.error).toMatchObject({ code: 'STATUS_OVERLAP', details: { statusIds: [granted.body.id] } });
      const history = await app.http().get(`/statuses/${granted.body.id}`).set(auth(officer));
      expect(history.body.history).toHaveLength(1);
      expect(history.body.history[0]).toMatchObject({ action: 'granted', version: 1 });
      expect(history.body.history[0].snapshot).toEqual(granted.body);
    });
  });

  describe('entitlements', () => {
    function envelope<P>(contract: EventContract, aggregateId: string, payload: P): EventEnvelope<P> {
      return {
        eventId: randomUUID(),
        eventType: contract.eventType,
        eventVersion: contract.eventVersion,
        occurredAt: '2026-11-25T10:00:00.000Z',
        producer: contract.producer,
        aggregateType: contract.aggregateType,
        aggregateId,
        correlationId: 'corr-entitlements',
        causationId: null,
        payload,
      };
    }

    it('shows the right to support and its use from processing and treasury events, a second delivery changing nothing', async () => {
      const p = await person();
      const assignmentId = randomUUID();
      const assignment = {
        ...AssignmentGrantedV2.fixture.assignment,
        assignmentId,
        recipientPersonId: p,
        memberPersonIds: [p],
        months: [
          { month: '2026-11', amountKopiyky: '200000', explanation: 'КМУ № 332 п. 4' },
          { month: '2026-12', amountKopiyky: '200000', explanation: 'КМУ № 332 п. 4' },
        ],
      };
      const granted = envelope(AssignmentGrantedV2, assignmentId, { ...AssignmentGrantedV2.fixture, assignment });
      await produceRaw(topic(AssignmentGrantedV2), [{ key: assignmentId, value: JSON.stringify(granted) }]);
      const settled = envelope(PaymentSettledV1, assignmentId, {
        ...PaymentSettledV1.fixture,
        paymentId: randomUUID(),
        assignmentId,
        recipientPersonId: p,
      });
      await produceRaw(topic(PaymentSettledV1), [{ key: assignmentId, value: JSON.stringify(settled) }]);

      const read = async () => (await app.http().get(`/persons/${p}/entitlements`).set(auth(officer))).body;
      await expectEventually(async () => {
        const body = await read();
        expect(body.items).toHaveLength(1);
        expect(body.items[0]).toMatchObject({ assignmentId, status: 'active', entitledKopiyky: '400000', paidKopiyky: '200000' });
      });

      // the same event again, then a changed assignment as a marker behind it on the same partition
      await produceRaw(topic(PaymentSettledV1), [{ key: assignmentId, value: JSON.stringify(settled) }]);
      await produceRaw(topic(PaymentSettledV1), [{ key: assignmentId, value: JSON.stringify({ ...settled, eventId: randomUUID() }) }]);
      const changed = envelope(AssignmentChangedV2, assignmentId, {
        ...AssignmentGrantedV2.fixture,
        assignment: { ...assignment, version: 2, status: 'suspended' },
      });
      await produceRaw(topic(AssignmentChangedV2), [{ key: assignmentId, value: JSON.stringify(changed) }]);
      const stale = envelope(AssignmentGrantedV2, assignmentId, {
        ...AssignmentGrantedV2.fixture,
        assignment: { ...assignment, version: 1, status: 'active' },
      });
      await produceRaw(topic(AssignmentGrantedV2), [{ key: assignmentId, value: JSON.stringify(stale) }]);
      await expectEventually(async () => {
        const inbox = await sql.query(`SELECT count(*)::int AS n FROM social_register.inbox WHERE event_id = $1`, [stale.eventId]);
        expect(inbox.rows[0].n).toBe(1);
      });
      const body = await read();
      expect(body.items[0]).toMatchObject({ status: 'suspended', assignmentVersion: 2, paidKopiyky: '200000' });
      expect(body.items[0].payments).toHaveLength(1);
    });
  });

  describe('providers', () => {
    it('registers providers, returns the same record on a retry, refuses a taken code and filters by type and territory', async () => {
      const body = {
        code: `P-${Date.now()}`,
        name: 'Територіальний центр соціального обслуговування',
        type: 'territorial_centre',
        katottg: KYIV,
      };
      const created = await app.http().post('/providers').set(auth(registrar)).send(body);
      expect(created.status).toBe(201);
      const retry = await app.http().post('/providers').set(auth(registrar)).send(body);
      expect(retry.status).toBe(200);
      expect(retry.body.id).toBe(created.body.id);
      const taken = await app
        .http()
        .post('/providers')
        .set(auth(registrar))
        .send({ ...body, name: 'Інший' });
      expect(taken.status).toBe(409);
      expect(taken.body.error).toMatchObject({ code: 'PROVIDER_CODE_TAKEN', field: 'code' });
      const bad = await app
        .http()
        .post('/providers')
        .set(auth(registrar))
        .send({ ...body, code: 'X-1', type: 'bank' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('type');

      const list = await app.http().get('/providers?type=territorial_centre&katottg=UA80&limit=10').set(auth(officer));
      expect(list.status).toBe(200);
      expect(list.body.items.map((x: { id: string }) => x.id)).toContain(created.body.id);
      const lviv = await app.http().get('/providers?type=territorial_centre').set(auth(lvivOfficer));
      expect(lviv.body.items.map((x: { id: string }) => x.id)).not.toContain(created.body.id);
      const forbidden = await app.http().get(`/providers/${created.body.id}`).set(auth(lvivOfficer));
      expect(forbidden.status).toBe(403);
      const patched = await app.http().patch(`/providers/${created.body.id}`).set(auth(supervisor)).send({ active: false });
      expect(patched.body).toMatchObject({ active: false, version: 2 });
      const lvivCreate = await app
        .http()
        .post('/providers')
        .set(auth(registrar))
        .send({ ...body, code: `L-${Date.now()}`, katottg: LVIV });
      expect(lvivCreate.status).toBe(403);
    });
  });
  describe('OpenAPI', () => {
    it('describes every endpoint of the register with a tag, bearer security and a success response', async () => {
      const res = await app.http().get('/docs-json');
      expect(res.status).toBe(200);
      const paths = res.body.paths as Record<
        string,
        Record<string, { tags?: string[]; security?: unknown[]; responses: Record<string, unknown> }>
      >;
      const expected = [
        'post /persons',
        'get /persons',
        'get /persons/{id}',
        'get /persons/{id}/history',
        'get /persons/{id}/access-log',
        'post /persons/{id}/change-requests',
        'post /persons/{id}/merge',
        'get /change-requests',
        'get /change-requests/{id}',
        'post /change-requests/{id}/approve',
        'post /change-requests/{id}/reject',
        'get /duplicate-reviews',
        'post /duplicate-reviews/{id}/resolve',
        'post /households',
        'get /households',
        'get /households/{id}',
        'post /households/{id}/members',
        'post /households/{id}/members/{personId}/leave',
        'post /persons/{personId}/statuses',
        'get /persons/{personId}/statuses',
        'get /statuses/{id}',
        'post /statuses/{id}/end',
        'post /statuses/{id}/correct',
        'get /persons/{personId}/entitlements',
        'post /providers',
        'get /providers',
        'get /providers/{id}',
        'patch /providers/{id}',
        'post /registry/sync/search',
        'post /registry/search',
        'post /registry/subscribe',
        'post /registry/unsubscribe',
        'post /registry/sync/txn/status',
        'post /dci/clients',
        'get /dci/clients',
        'get /dci/clients/{id}',
        'patch /dci/clients/{id}',
        'get /dci/register-key',
        'get /approvals',
        'get /approvals/{id}',
        'post /approvals/{id}/approve',
        'post /approvals/{id}/reject',
        'post /service-sessions',
        'get /service-sessions/{id}',
        'patch /service-sessions/{id}',
        'post /service-sessions/{id}/close',
        'get /persons/{id}/service-sessions',
      ];
      for (const key of expected) {
        const [method, path] = key.split(' ') as [string, string];
        const op = paths[path]?.[method];
        expect({ key, documented: !!op }).toEqual({ key, documented: true });
        expect({
          key,
          tags: (op!.tags ?? []).length > 0,
          security: (op!.security ?? []).length > 0,
          ok: Object.keys(op!.responses).some((c) => c.startsWith('2')),
        }).toEqual({ key, tags: true, security: true, ok: true });
      }
    });
  });
});
