import { PersonDiedV1, PersonMergedV1, PersonRegisteredV1, PersonUpdatedV1 } from '@eisss/contracts';
import { KafkaProbe, ServiceApp, TestEnvironment, expectEventually, tokenFor } from '@eisss/testing';
import type { Client } from 'pg';
import { definition } from '../src/service.definition';
import { KYIV, LVIV, newPerson } from './support';

describe('social-register persons', () => {
  let env: TestEnvironment;
  let app: ServiceApp;
  let probe: KafkaProbe;
  let sql: Client;
  const registrar = tokenFor({ id: 'registrar-1', roles: ['registrar'], territory: 'UA80' });
  const officer = tokenFor({ id: 'officer-1', roles: ['officer'], territory: 'UA' });
  const supervisor = tokenFor({ id: 'supervisor-1', roles: ['supervisor'], territory: 'UA80' });
  const lvivOfficer = tokenFor({ id: 'officer-lviv', roles: ['officer'], territory: 'UA46' });
  const topic = (c: { topic: string }) => env.topicPrefix + c.topic;

  beforeAll(async () => {
    env = await TestEnvironment.create();
    probe = await KafkaProbe.start([PersonRegisteredV1, PersonUpdatedV1, PersonDiedV1, PersonMergedV1].map(topic));
    app = await ServiceApp.start(definition, env.env('social-register'));
    sql = await env.sql('social-register');
  });

  afterAll(async () => {
    await app?.close();
    await probe?.stop();
    await sql?.end();
    await env?.destroy();
  });

  const count = async (table: string) => Number((await sql.query(`SELECT count(*)::int AS n FROM social_register.${table}`)).rows[0].n);

  async function register(body: Record<string, unknown>, token = registrar) {
    return app.http().post('/persons').set('authorization', `Bearer ${token}`).send(body);
  }

  describe('registration', () => {
    it('registers a person with contacts, address and IBAN and publishes person.registered when the data are valid', async () => {
      const body = newPerson();
      const res = await register(body);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ rnokpp: body.rnokpp, iban: body.iban, phone: body.phone, katottg: KYIV, duplicateReviewId: null, mergedInto: null });
      const outbox = await sql.query(`SELECT topic, message_key FROM social_register.outbox WHERE message_key = $1`, [res.body.id]);
      expect(outbox.rows.map((r) => r.topic)).toEqual([PersonRegisteredV1.topic]);
      const event = await expectEventually(() => {
        const e = probe.envelopes<{ rnokppMasked: string }>(topic(PersonRegisteredV1)).find((x) => x.aggregateId === res.body.id);
        expect(e).toBeDefined();
        return e!;
      });
      expect(event.payload.rnokppMasked).toBe(`******${body.rnokpp.slice(-4)}`);
      expect(JSON.stringify(event)).not.toContain(body.rnokpp);
    });

    it('rejects a РНОКПП with a wrong check digit with VALIDATION_FAILED on rnokpp and writes nothing', async () => {
      const body = newPerson();
      const bad = body.rnokpp.slice(0, 9) + String((Number(body.rnokpp[9]) + 1) % 10);
      const before = await count('person');
      const res = await register({ ...body, rnokpp: bad });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'rnokpp' });
      expect(await count('person')).toBe(before);
    });

    it('rejects an IBAN whose mod-97 check fails with VALIDATION_FAILED on iban', async () => {
      const res = await register({ ...newPerson(), iban: 'UA213223130000026007233566002' });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'iban' });
    });

    it('rejects a РНОКПП that encodes another birth date with RNOKPP_BIRTH_DATE_MISMATCH', async () => {
      const res = await register({ ...newPerson(), birthDate: '1970-01-01' });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'RNOKPP_BIRTH_DATE_MISMATCH', field: 'birthDate' });
    });

    it('refuses an exact duplicate with 409 PERSON_DUPLICATE and the existing id, writing nothing', async () => {
      const body = newPerson();
      const first = await register(body);
      expect(first.status).toBe(201);
      const [persons, outbox, reviews] = [await count('person'), await count('outbox'), await count('duplicate_review')];
      const again = await register({ ...body, lastName: 'Інше', firstName: 'Прізвище' });
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({ code: 'PERSON_DUPLICATE', field: 'rnokpp', details: { existingPersonId: first.body.id } });
      expect([await count('person'), await count('outbox'), await count('duplicate_review')]).toEqual([persons, outbox, reviews]);
    });

    it('answers 409 PERSON_DUPLICATE, never 500, when the same person is registered twice at the same moment', async () => {
      const body = newPerson();
      const results = await Promise.all([register(body), register(body), register(body)]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      const created = results.find((r) => r.status === 201)!;
      for (const r of results.filter((x) => x.status === 409)) expect(r.body.error.details.existingPersonId).toBe(created.body.id);
    });

    it('refuses a registration outside the registrar’s territory with TERRITORY_FORBIDDEN', async () => {
      const res = await register(newPerson({ katottg: LVIV }));
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('TERRITORY_FORBIDDEN');
    });
  });

  describe('probable duplicates and merge', () => {
    it('opens a duplicate review when the same name and birth date come with another identifier, and merges keeping both histories', async () => {
      const original = newPerson({ lastName: 'Дем’яненко', firstName: 'Марія' });
      const first = await register(original);
      expect(first.status).toBe(201);
      const unzr = `${original.birthDate.replace(/-/g, '')}-00042`;
      const second = await register({ ...newPerson(), rnokpp: undefined, unzr, birthDate: original.birthDate, lastName: "ДЕМ'ЯНЕНКО", firstName: 'марія' });
      expect(second.status).toBe(201);
      expect(second.body.probableDuplicateIds).toEqual([first.body.id]);
      expect(second.body.duplicateReviewId).toEqual(expect.any(String));

      const open = await app.http().get('/duplicate-reviews?status=open&limit=100').set('authorization', `Bearer ${supervisor}`);
      expect(open.status).toBe(200);
      expect(open.body.items.map((r: { id: string }) => r.id)).toContain(second.body.duplicateReviewId);

      // a status on the duplicate record moves to the survivor
      const status = await app.http().post(`/persons/${second.body.id}/statuses`).set('authorization', `Bearer ${registrar}`).send({ type: 'large_family', validFrom: '2026-01-01', source: 'посвідчення багатодітної сім’ї' });
      expect(status.status).toBe(201);

      const resolved = await app
        .http()
        .post(`/duplicate-reviews/${second.body.duplicateReviewId}/resolve`)
        .set('authorization', `Bearer ${supervisor}`)
        .send({ decision: 'merge', survivorPersonId: first.body.id, reason: 'the same person confirmed by passport' });
      expect(resolved.status).toBe(200);
      expect(resolved.body).toMatchObject({ status: 'merged', mergeId: expect.any(String) });

      const merged = await app.http().get(`/persons/${second.body.id}`).set('authorization', `Bearer ${officer}`);
      expect(merged.body.mergedInto).toBe(first.body.id);
      const history = await app.http().get(`/persons/${first.body.id}/history`).set('authorization', `Bearer ${officer}`);
      expect(history.status).toBe(200);
      const entries = history.body.history.map((h: { personId: string; action: string }) => `${h.personId === first.body.id ? 'survivor' : 'merged'}:${h.action}`);
      expect(entries).toEqual(expect.arrayContaining(['survivor:registered', 'merged:registered', 'merged:merged-into', 'survivor:merged-from']));
      expect(history.body.merges[0]).toMatchObject({ mergedPersonId: second.body.id, survivorPersonId: first.body.id, actorId: 'supervisor-1' });
      const statuses = await app.http().get(`/persons/${first.body.id}/statuses`).set('authorization', `Bearer ${officer}`);
      expect(statuses.body.items.map((s: { id: string }) => s.id)).toContain(status.body.id);

      const event = await expectEventually(() => {
        const e = probe.envelopes<{ survivorPersonId: string }>(topic(PersonMergedV1)).find((x) => x.aggregateId === second.body.id);
        expect(e).toBeDefined();
        return e!;
      });
      expect(event.payload.survivorPersonId).toBe(first.body.id);

      const again = await app.http().post(`/duplicate-reviews/${second.body.duplicateReviewId}/resolve`).set('authorization', `Bearer ${supervisor}`).send({ decision: 'distinct', reason: 'x' });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('DUPLICATE_REVIEW_CLOSED');
    });

    it('refuses to merge a person into itself with PERSON_MERGE_SELF', async () => {
      const p = await register(newPerson());
      const res = await app.http().post(`/persons/${p.body.id}/merge`).set('authorization', `Bearer ${supervisor}`).send({ survivorPersonId: p.body.id, reason: 'x' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('PERSON_MERGE_SELF');
    });
  });

  describe('change requests', () => {
    it('applies a change only when another user approves it, and publishes person.updated and person.died', async () => {
      const p = await register(newPerson());
      const cr = await app
        .http()
        .post(`/persons/${p.body.id}/change-requests`)
        .set('authorization', `Bearer ${registrar}`)
        .send({ changes: { actualAddress: 'м. Київ, вул. Січових Стрільців, 5', actualKatottg: KYIV, deathDate: '2026-11-20' }, reason: 'довідка ДРАЦС', source: 'ДРАЦС' });
      expect(cr.status).toBe(201);
      expect(cr.body.status).toBe('pending');
      const unchanged = await app.http().get(`/persons/${p.body.id}`).set('authorization', `Bearer ${officer}`);
      expect(unchanged.body.deathDate).toBeNull();

      const self = await app.http().post(`/change-requests/${cr.body.id}/approve`).set('authorization', `Bearer ${tokenFor({ id: 'registrar-1', roles: ['supervisor'], territory: 'UA' })}`).send({});
      expect(self.status).toBe(403);
      expect(self.body.error.code).toBe('CHANGE_REQUEST_SELF_APPROVAL');

      const approved = await app.http().post(`/change-requests/${cr.body.id}/approve`).set('authorization', `Bearer ${supervisor}`).send({ note: 'ok' });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ status: 'approved', decidedBy: 'supervisor-1' });
      const after = await app.http().get(`/persons/${p.body.id}`).set('authorization', `Bearer ${officer}`);
      expect(after.body).toMatchObject({ deathDate: '2026-11-20', actualKatottg: KYIV, version: 2 });

      const twice = await app.http().post(`/change-requests/${cr.body.id}/approve`).set('authorization', `Bearer ${supervisor}`).send({});
      expect(twice.status).toBe(409);
      expect(twice.body.error.code).toBe('CHANGE_REQUEST_NOT_PENDING');

      const history = await app.http().get(`/persons/${p.body.id}/history`).set('authorization', `Bearer ${officer}`);
      const updated = history.body.history.find((h: { action: string }) => h.action === 'updated');
      expect(updated).toMatchObject({ actorId: 'supervisor-1', reason: 'довідка ДРАЦС', source: 'ДРАЦС', changes: { deathDate: { from: null, to: '2026-11-20' } } });

      await expectEventually(() => {
        const u = probe.envelopes<{ changedFields: string[] }>(topic(PersonUpdatedV1)).find((x) => x.aggregateId === p.body.id);
        expect(u?.payload.changedFields.sort()).toEqual(['actualAddress', 'actualKatottg', 'deathDate']);
        const d = probe.envelopes<{ deathDate: string }>(topic(PersonDiedV1)).find((x) => x.aggregateId === p.body.id);
        expect(d?.payload.deathDate).toBe('2026-11-20');
      });
    });

    it('keeps the record unchanged when the change request is rejected', async () => {
      const p = await register(newPerson());
      const cr = await app.http().post(`/persons/${p.body.id}/change-requests`).set('authorization', `Bearer ${registrar}`).send({ changes: { lastName: 'Нове' }, reason: 'шлюб', source: 'свідоцтво' });
      const rejected = await app.http().post(`/change-requests/${cr.body.id}/reject`).set('authorization', `Bearer ${supervisor}`).send({ note: 'немає документа' });
      expect(rejected.body.status).toBe('rejected');
      const after = await app.http().get(`/persons/${p.body.id}`).set('authorization', `Bearer ${officer}`);
      expect(after.body.lastName).toBe(p.body.lastName);
    });

    it('lets a citizen ask to change their own bank account but not their name', async () => {
      const p = await register(newPerson());
      const citizen = tokenFor({ id: 'citizen-1', roles: ['citizen'], territory: 'UA', personId: p.body.id });
      const ok = await app.http().post(`/persons/${p.body.id}/change-requests`).set('authorization', `Bearer ${citizen}`).send({ changes: { iban: 'UA903052992990004149123456789' }, reason: 'новий рахунок', source: 'Дія' });
      expect(ok.status).toBe(201);
      const badIban = await app.http().post(`/persons/${p.body.id}/change-requests`).set('authorization', `Bearer ${citizen}`).send({ changes: { iban: 'UA903052992990004149123456780' }, reason: 'x', source: 'Дія' });
      expect(badIban.status).toBe(400);
      expect(badIban.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'changes.iban' });
      const name = await app.http().post(`/persons/${p.body.id}/change-requests`).set('authorization', `Bearer ${citizen}`).send({ changes: { lastName: 'Інша' }, reason: 'x', source: 'Дія' });
      expect(name.status).toBe(403);
      expect(name.body.error.code).toBe('CHANGE_REQUEST_FIELD_FORBIDDEN');
    });
  });

  describe('search, territory and access log', () => {
    it('finds persons by normalised name and birth date with pagination and total', async () => {
      const a = newPerson({ lastName: 'Пошуковенко', firstName: 'Іван' });
      await register(a);
      await register(newPerson({ lastName: 'Пошуковенко', firstName: 'Петро' }));
      const all = await app.http().get('/persons?lastName=пошуковенко&limit=1&offset=0').set('authorization', `Bearer ${officer}`);
      expect(all.status).toBe(200);
      expect(all.body.total).toBe(2);
      expect(all.body.items).toHaveLength(1);
      const one = await app.http().get(`/persons?lastName=ПОШУКОВЕНКО&birthDate=${a.birthDate}`).set('authorization', `Bearer ${officer}`);
      expect(one.body.total).toBe(1);
      expect(one.body.items[0].firstName).toBe('Іван');
      const lviv = await app.http().get('/persons?lastName=пошуковенко').set('authorization', `Bearer ${lvivOfficer}`);
      expect(lviv.body.total).toBe(0);
    });

    it('refuses an officer of another territory with 403 TERRITORY_FORBIDDEN', async () => {
      const p = await register(newPerson());
      const res = await app.http().get(`/persons/${p.body.id}`).set('authorization', `Bearer ${lvivOfficer}`);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('TERRITORY_FORBIDDEN');
    });

    it('shows the person who read their data, and refuses another citizen', async () => {
      const p = await register(newPerson());
      await app.http().get(`/persons/${p.body.id}`).set('authorization', `Bearer ${officer}`).expect(200);
      const me = tokenFor({ id: 'citizen-me', roles: ['citizen'], territory: 'UA', personId: p.body.id });
      const log = await app.http().get(`/persons/${p.body.id}/access-log`).set('authorization', `Bearer ${me}`);
      expect(log.status).toBe(200);
      expect(log.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ actorId: 'officer-1', action: 'read', purpose: 'person card' })]));
      expect(log.body.total).toBeGreaterThanOrEqual(1);
      const other = tokenFor({ id: 'citizen-other', roles: ['citizen'], territory: 'UA', personId: '00000000-0000-4000-8000-000000000000' });
      const denied = await app.http().get(`/persons/${p.body.id}/access-log`).set('authorization', `Bearer ${other}`);
      expect(denied.status).toBe(403);
      expect(denied.body.error.code).toBe('ACCESS_LOG_FORBIDDEN');
      const deniedCard = await app.http().get(`/persons/${p.body.id}`).set('authorization', `Bearer ${other}`);
      expect(deniedCard.status).toBe(403);
    });
  });
});
