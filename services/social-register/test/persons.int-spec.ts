import { PersonDiedV1, PersonMergedV1, PersonRegisteredV1, PersonUpdatedV1, Role } from '@eisss/contracts';
import { KafkaProbe, ServiceApp, TestEnvironment, expectEventually, tokenFor } from '@eisss/testing';
import { withRnokppChecksum } from '@eisss/platform';
import type { Client } from 'pg';
import { definition } from '../src/service.definition';
import { KYIV, LVIV, newPerson } from './support';

describe('social-register persons', () => {
  let env: TestEnvironment;
  let app: ServiceApp;
  let probe: KafkaProbe;
  let sql: Client;
  const registrar = tokenFor({ id: 'registrar-1', roles: [Role.Registrar], territory: 'UA80' });
  const officer = tokenFor({ id: 'officer-1', roles: [Role.Officer], territory: 'UA' });
  const supervisor = tokenFor({ id: 'supervisor-1', roles: [Role.Supervisor], territory: 'UA80' });
  const supervisor2 = tokenFor({ id: 'supervisor-2', roles: [Role.Supervisor], territory: 'UA80' });
  const lvivSupervisor = tokenFor({ id: 'supervisor-lviv', roles: [Role.Supervisor], territory: 'UA46' });
  const lvivOfficer = tokenFor({ id: 'officer-lviv', roles: [Role.Officer], territory: 'UA46' });
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
    it('registers a person with contacts and address, opens (not sets) the IBAN as a change request and publishes person.registered when the data are valid', async () => {
      const body = newPerson();
      const res = await register(body);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        rnokpp: body.rnokpp,
        iban: null,
        paymentAccount: null,
        phone: body.phone,
        katottg: KYIV,
        duplicateReviewId: null,
        mergedInto: null,
        accountChangeRequestId: expect.any(String),
      });
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

    it('sees namesakes registered at the same moment: each later one names the earlier ones as probable duplicates', async () => {
      const original = newPerson({ lastName: 'Одночасна', firstName: 'Ганна' });
      const serial = (k: number) => withRnokppChecksum(`${original.rnokpp.slice(0, 5)}${String(7000 + k * 2).padStart(4, '0')}`);
      const bodies = [0, 1, 2].map((k) => ({ ...original, rnokpp: serial(k), email: `same${k}@example.com` }));
      const results = await Promise.all(bodies.map((b) => register(b)));
      expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
      const found = results.map((r) => r.body.probableDuplicateIds as string[]).sort((a, b) => a.length - b.length);
      expect(found.map((ids) => ids.length)).toEqual([0, 1, 2]);
      expect(found[2]).toEqual(expect.arrayContaining(found[1]!));
      expect(results.filter((r) => r.body.duplicateReviewId !== null)).toHaveLength(2);
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
      const second = await register({
        ...newPerson(),
        rnokpp: undefined,
        unzr,
        birthDate: original.birthDate,
        lastName: "ДЕМ'ЯНЕНКО",
        firstName: 'марія',
      });
      expect(second.status).toBe(201);
      expect(second.body.probableDuplicateIds).toEqual([first.body.id]);
      expect(second.body.duplicateReviewId).toEqual(expect.any(String));

      const open = await app.http().get('/duplicate-reviews?status=open&limit=100').set('authorization', `Bearer ${supervisor}`);
      expect(open.status).toBe(200);
      expect(open.body.items.map((r: { id: string }) => r.id)).toContain(second.body.duplicateReviewId);

      // a status on the duplicate record moves to the survivor
      const status = await app
        .http()
        .post(`/persons/${second.body.id}/statuses`)
        .set('authorization', `Bearer ${registrar}`)
        .send({ type: 'large_family', validFrom: '2026-01-01', source: 'посвідчення багатодітної сім’ї' });
      expect(status.status).toBe(201);

      const requested = await app
        .http()
        .post(`/duplicate-reviews/${second.body.duplicateReviewId}/resolve`)
        .set('authorization', `Bearer ${supervisor}`)
        .send({ decision: 'merge', survivorPersonId: first.body.id, reason: 'the same person confirmed by passport' });
      expect(requested.status).toBe(202);
      expect(requested.body).toMatchObject({
        action: 'person.merge',
        subjectId: second.body.id,
        status: 'pending',
        requestedBy: 'supervisor-1',
        payload: { survivorPersonId: first.body.id, duplicateReviewId: second.body.duplicateReviewId },
      });
      const stillOpen = await app.http().get('/duplicate-reviews?status=open&limit=100').set('authorization', `Bearer ${supervisor}`);
      expect(stillOpen.body.items.map((r: { id: string }) => r.id)).toContain(second.body.duplicateReviewId);
      expect((await app.http().get(`/persons/${second.body.id}`).set('authorization', `Bearer ${officer}`)).body.mergedInto).toBeNull();

      const resolved = await app
        .http()
        .post(`/approvals/${requested.body.id}/approve`)
        .set('authorization', `Bearer ${supervisor2}`)
        .send({ note: 'паспорт перевірено' });
      expect(resolved.status).toBe(200);
      expect(resolved.body).toMatchObject({
        status: 'executed',
        decidedBy: 'supervisor-2',
        result: { mergeId: expect.any(String), duplicateReviewId: second.body.duplicateReviewId },
      });
      const closed = await app.http().get('/duplicate-reviews?status=merged&limit=100').set('authorization', `Bearer ${supervisor}`);
      expect(closed.body.items.find((r: { id: string }) => r.id === second.body.duplicateReviewId)).toMatchObject({
        status: 'merged',
        resolvedBy: 'supervisor-2',
        mergeId: resolved.body.result.mergeId,
      });

      const merged = await app.http().get(`/persons/${second.body.id}`).set('authorization', `Bearer ${officer}`);
      expect(merged.body.mergedInto).toBe(first.body.id);
      const history = await app.http().get(`/persons/${first.body.id}/history`).set('authorization', `Bearer ${officer}`);
      expect(history.status).toBe(200);
      const entries = history.body.history.map(
        (h: { personId: string; action: string }) => `${h.personId === first.body.id ? 'survivor' : 'merged'}:${h.action}`,
      );
      expect(entries).toEqual(
        expect.arrayContaining(['survivor:registered', 'merged:registered', 'merged:merged-into', 'survivor:merged-from']),
      );
      expect(history.body.merges[0]).toMatchObject({
        mergedPersonId: second.body.id,
        survivorPersonId: first.body.id,
        actorId: 'supervisor-2',
        requestedBy: 'supervisor-1',
        approvalId: requested.body.id,
      });
      const statuses = await app.http().get(`/persons/${first.body.id}/statuses`).set('authorization', `Bearer ${officer}`);
      expect(statuses.body.items.map((s: { id: string }) => s.id)).toContain(status.body.id);

      const event = await expectEventually(() => {
        const e = probe.envelopes<{ survivorPersonId: string }>(topic(PersonMergedV1)).find((x) => x.aggregateId === second.body.id);
        expect(e).toBeDefined();
        return e!;
      });
      expect(event.payload.survivorPersonId).toBe(first.body.id);

      const again = await app
        .http()
        .post(`/duplicate-reviews/${second.body.duplicateReviewId}/resolve`)
        .set('authorization', `Bearer ${supervisor}`)
        .send({ decision: 'distinct', reason: 'x' });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('DUPLICATE_REVIEW_CLOSED');
    });

    it('refuses to merge a person into itself with PERSON_MERGE_SELF, asking nobody', async () => {
      const p = await register(newPerson());
      const before = await count('dual_control_request');
      const res = await app
        .http()
        .post(`/persons/${p.body.id}/merge`)
        .set('authorization', `Bearer ${supervisor}`)
        .send({ survivorPersonId: p.body.id, reason: 'x' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('PERSON_MERGE_SELF');
      expect(await count('dual_control_request')).toBe(before);
    });

    it('makes a merge by one supervisor only a request: their own approval is 403 SECOND_PERSON_REQUIRED, another supervisor’s performs it', async () => {
      const survivor = await register(newPerson());
      const merged = await register(newPerson());
      const [journal, outbox] = [await count('merge_journal'), await count('outbox')];
      const req = await app
        .http()
        .post(`/persons/${merged.body.id}/merge`)
        .set('authorization', `Bearer ${supervisor}`)
        .send({ survivorPersonId: survivor.body.id, reason: 'один і той самий паспорт' });
      expect(req.status).toBe(202);
      expect(req.body).toMatchObject({
        action: 'person.merge',
        subjectType: 'person',
        subjectId: merged.body.id,
        status: 'pending',
        requestedBy: 'supervisor-1',
        katottg: KYIV,
      });
      // nothing is merged yet
      expect([await count('merge_journal'), await count('outbox')]).toEqual([journal, outbox]);
      expect((await app.http().get(`/persons/${merged.body.id}`).set('authorization', `Bearer ${officer}`)).body.mergedInto).toBeNull();

      const twice = await app
        .http()
        .post(`/persons/${merged.body.id}/merge`)
        .set('authorization', `Bearer ${supervisor2}`)
        .send({ survivorPersonId: survivor.body.id, reason: 'ще раз' });
      expect(twice.status).toBe(409);
      expect(twice.body.error.code).toBe('DUAL_CONTROL_ALREADY_PENDING');

      const self = await app.http().post(`/approvals/${req.body.id}/approve`).set('authorization', `Bearer ${supervisor}`).send({});
      expect(self.status).toBe(403);
      expect(self.body.error.code).toBe('SECOND_PERSON_REQUIRED');
      const otherTerritory = await app
        .http()
        .post(`/approvals/${req.body.id}/approve`)
        .set('authorization', `Bearer ${lvivSupervisor}`)
        .send({});
      expect(otherTerritory.status).toBe(404);
      const notSupervisor = await app.http().post(`/approvals/${req.body.id}/approve`).set('authorization', `Bearer ${officer}`).send({});
      expect(notSupervisor.status).toBe(403);
      expect(notSupervisor.body.error.code).toBe('DUAL_CONTROL_ROLE_REQUIRED');
      expect(await count('merge_journal')).toBe(journal);

      const approved = await app.http().post(`/approvals/${req.body.id}/approve`).set('authorization', `Bearer ${supervisor2}`).send({});
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        status: 'executed',
        requestedBy: 'supervisor-1',
        decidedBy: 'supervisor-2',
        result: { mergeId: expect.any(String) },
      });
      expect((await app.http().get(`/persons/${merged.body.id}`).set('authorization', `Bearer ${officer}`)).body.mergedInto).toBe(
        survivor.body.id,
      );
      const events = await sql.query(`SELECT topic FROM social_register.outbox WHERE message_key = $1 AND topic = $2`, [
        merged.body.id,
        PersonMergedV1.topic,
      ]);
      expect(events.rows).toHaveLength(1);
      const audit = await sql.query(
        `SELECT actor_id, action FROM social_register_audit.audit_log WHERE subject_id = $1 AND action LIKE '%person.merge' ORDER BY id`,
        [merged.body.id],
      );
      expect(audit.rows).toEqual([
        { actor_id: 'supervisor-1', action: 'requested:person.merge' },
        { actor_id: 'supervisor-2', action: 'approved:person.merge' },
      ]);
    });

    it('keeps `distinct` a one-person decision', async () => {
      const original = newPerson({ lastName: 'Різненко', firstName: 'Ганна' });
      const first = await register(original);
      const second = await register({
        ...newPerson(),
        rnokpp: undefined,
        unzr: `${original.birthDate.replace(/-/g, '')}-00077`,
        birthDate: original.birthDate,
        lastName: 'Різненко',
        firstName: 'Ганна',
      });
      expect(second.body.probableDuplicateIds).toEqual([first.body.id]);
      const res = await app
        .http()
        .post(`/duplicate-reviews/${second.body.duplicateReviewId}/resolve`)
        .set('authorization', `Bearer ${supervisor}`)
        .send({ decision: 'distinct', reason: 'різні особи за паспортами' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ reviewId: second.body.duplicateReviewId, status: 'distinct', mergeId: null });
    });
  });

  describe('change requests', () => {
    it('applies a change only when another user approves it, and publishes person.updated and person.died', async () => {
      const p = await register(newPerson());
      const cr = await app
        .http()
        .post(`/persons/${p.body.id}/change-requests`)
        .set('authorization', `Bearer ${registrar}`)
        .send({
          changes: { actualAddress: 'м. Київ, вул. Січових Стрільців, 5', actualKatottg: KYIV, deathDate: '2026-11-20' },
          reason: 'довідка ДРАЦС',
          source: 'ДРАЦС',
        });
      expect(cr.status).toBe(201);
      expect(cr.body.status).toBe('pending');
      const unchanged = await app.http().get(`/persons/${p.body.id}`).set('authorization', `Bearer ${officer}`);
      expect(unchanged.body.deathDate).toBeNull();

      const self = await app
        .http()
        .post(`/change-requests/${cr.body.id}/approve`)
        .set('authorization', `Bearer ${tokenFor({ id: 'registrar-1', roles: [Role.Supervisor], territory: 'UA' })}`)
        .send({});
      expect(self.status).toBe(403);
      expect(self.body.error.code).toBe('CHANGE_REQUEST_SELF_APPROVAL');

      const approved = await app
        .http()
        .post(`/change-requests/${cr.body.id}/approve`)
        .set('authorization', `Bearer ${supervisor}`)
        .send({ note: 'ok' });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ status: 'approved', decidedBy: 'supervisor-1' });
      const after = await app.http().get(`/persons/${p.body.id}`).set('authorization', `Bearer ${officer}`);
      expect(after.body).toMatchObject({ deathDate: '2026-11-20', actualKatottg: KYIV, version: 2 });

      const twice = await app.http().post(`/change-requests/${cr.body.id}/approve`).set('authorization', `Bearer ${supervisor}`).send({});
      expect(twice.status).toBe(409);
      expect(twice.body.error.code).toBe('CHANGE_REQUEST_NOT_PENDING');

      const history = await app.http().get(`/persons/${p.body.id}/history`).set('authorization', `Bearer ${officer}`);
      const updated = history.body.history.find((h: { action: string }) => h.action === 'updated');
      expect(updated).toMatchObject({
        actorId: 'supervisor-1',
        reason: 'довідка ДРАЦС',
        source: 'ДРАЦС',
        changes: { deathDate: { from: null, to: '2026-11-20' } },
      });

      await expectEventually(() => {
        const u = probe.envelopes<{ changedFields: string[] }>(topic(PersonUpdatedV1)).find((x) => x.aggregateId === p.body.id);
        expect(u?.payload.changedFields.sort()).toEqual(['actualAddress', 'actualKatottg', 'deathDate']);
        const d = probe.envelopes<{ deathDate: string }>(topic(PersonDiedV1)).find((x) => x.aggregateId === p.body.id);
        expect(d?.payload.deathDate).toBe('2026-11-20');
      });
    });

    it('keeps the record unchanged when the change request is rejected', async () => {
      const p = await register(newPerson());
      const cr = await app
        .http()
        .post(`/persons/${p.body.id}/change-requests`)
        .set('authorization', `Bearer ${registrar}`)
        .send({ changes: { lastName: 'Нове' }, reason: 'шлюб', source: 'свідоцтво' });
      const rejected = await app
        .http()
        .post(`/change-requests/${cr.body.id}/reject`)
        .set('authorization', `Bearer ${supervisor}`)
        .send({ note: 'немає документа' });
      expect(rejected.body.status).toBe('rejected');
      const after = await app.http().get(`/persons/${p.body.id}`).set('authorization', `Bearer ${officer}`);
      expect(after.body.lastName).toBe(p.body.lastName);
    });

    it('lets a citizen ask to change their own bank account but not their name', async () => {
      const p = await register(newPerson());
      const citizen = tokenFor({ id: 'citizen-1', roles: [Role.Citizen], territory: 'UA', personId: p.body.id });
      const ok = await app
        .http()
        .post(`/persons/${p.body.id}/change-requests`)
        .set('authorization', `Bearer ${citizen}`)
        .send({ changes: { iban: 'UA903052992990004149123456789' }, reason: 'новий рахунок', source: 'Дія' });
      expect(ok.status).toBe(201);
      const badIban = await app
        .http()
        .post(`/persons/${p.body.id}/change-requests`)
        .set('authorization', `Bearer ${citizen}`)
        .send({ changes: { iban: 'UA903052992990004149123456780' }, reason: 'x', source: 'Дія' });
      expect(badIban.status).toBe(400);
      expect(badIban.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'changes.iban' });
      const name = await app
        .http()
        .post(`/persons/${p.body.id}/change-requests`)
        .set('authorization', `Bearer ${citizen}`)
        .send({ changes: { lastName: 'Інша' }, reason: 'x', source: 'Дія' });
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

    it('skips the count with ?total=false (total null, the same items) and counts by default', async () => {
      await register(newPerson({ lastName: 'Безлічуваненко', firstName: 'Іван' }));
      await register(newPerson({ lastName: 'Безлічуваненко', firstName: 'Петро' }));
      await register(newPerson({ lastName: 'Безлічуваненко', firstName: 'Семен' }));
      const list = (query: string) => app.http().get(`/persons?lastName=безлічуваненко&${query}`).set('authorization', `Bearer ${officer}`);
      const counted = await list('limit=2&offset=1');
      expect(counted.status).toBe(200);
      expect(counted.body).toMatchObject({ total: 3, limit: 2, offset: 1 });
      const explicit = await list('limit=2&offset=1&total=true');
      expect(explicit.body.total).toBe(3);
      const uncounted = await list('limit=2&offset=1&total=false');
      expect(uncounted.status).toBe(200);
      expect(uncounted.body).toEqual({ items: counted.body.items, total: null, limit: 2, offset: 1 });
      expect(uncounted.body.items).toHaveLength(2);
      const bad = await list('total=maybe');
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'total' });
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
      const me = tokenFor({ id: 'citizen-me', roles: [Role.Citizen], territory: 'UA', personId: p.body.id });
      const log = await app.http().get(`/persons/${p.body.id}/access-log`).set('authorization', `Bearer ${me}`);
      expect(log.status).toBe(200);
      expect(log.body.items).toEqual(
        expect.arrayContaining([expect.objectContaining({ actorId: 'officer-1', action: 'read', purpose: 'person card' })]),
      );
      expect(log.body.total).toBeGreaterThanOrEqual(1);
      const other = tokenFor({
        id: 'citizen-other',
        roles: [Role.Citizen],
        territory: 'UA',
        personId: '00000000-0000-4000-8000-000000000000',
      });
      const denied = await app.http().get(`/persons/${p.body.id}/access-log`).set('authorization', `Bearer ${other}`);
      expect(denied.status).toBe(403);
      expect(denied.body.error.code).toBe('ACCESS_LOG_FORBIDDEN');
      const deniedCard = await app.http().get(`/persons/${p.body.id}`).set('authorization', `Bearer ${other}`);
      expect(deniedCard.status).toBe(403);
    });
  });

  describe('bad input', () => {
    const counts = async () => ({
      person: await count('person'),
      change_request: await count('change_request'),
      outbox: await count('outbox'),
      dual: await count('dual_control_request'),
    });
    const changeRequest = (id: string, body: unknown, token = registrar) =>
      app
        .http()
        .post(`/persons/${id}/change-requests`)
        .set('authorization', `Bearer ${token}`)
        .send(body as object);

    it.each([
      ['without changes', { reason: 'x', source: 'y' }],
      ['with changes null', { changes: null, reason: 'x', source: 'y' }],
      ['with changes a string', { changes: 'lastName=Інша', reason: 'x', source: 'y' }],
      ['with changes a list', { changes: [{ lastName: 'Інша' }], reason: 'x', source: 'y' }],
    ])('refuses a change request %s with 400 VALIDATION_FAILED on changes and writes nothing', async (_, body) => {
      const p = await register(newPerson());
      const before = await counts();
      const res = await changeRequest(p.body.id, body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'changes' });
      expect(await counts()).toEqual(before);
    });

    it('refuses an empty change with CHANGE_REQUEST_EMPTY and a blank name with the field at fault', async () => {
      const p = await register(newPerson());
      const before = await counts();
      const empty = await changeRequest(p.body.id, { changes: {}, reason: 'x', source: 'y' });
      expect(empty.status).toBe(400);
      expect(empty.body.error).toMatchObject({ code: 'CHANGE_REQUEST_EMPTY', field: 'changes' });
      for (const field of ['lastName', 'firstName', 'patronymic']) {
        const blank = await changeRequest(p.body.id, { changes: { [field]: '   ' }, reason: 'x', source: 'y' });
        expect(blank.status).toBe(400);
        expect(blank.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: `changes.${field}` });
      }
      const blankReason = await changeRequest(p.body.id, { changes: { phone: '+380501112233' }, reason: '  ', source: 'y' });
      expect(blankReason.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'reason' });
      expect(await counts()).toEqual(before);
    });

    it.each(['lastName', 'firstName', 'patronymic'])(
      'refuses a registration whose %s is only spaces with 400 on that field and writes nothing',
      async (field) => {
        const before = await counts();
        const res = await register(newPerson({ [field]: ' \t ' }));
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field });
        expect(await counts()).toEqual(before);
      },
    );

    it('trims names at registration and in change requests', async () => {
      const body = newPerson();
      const res = await register({ ...body, lastName: `  ${body.lastName} `, firstName: ' Олена', patronymic: 'Іванівна  ' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ lastName: body.lastName, firstName: 'Олена', patronymic: 'Іванівна' });
      const cr = await changeRequest(res.body.id, { changes: { lastName: '  Нова  ' }, reason: 'шлюб', source: 'свідоцтво' });
      expect(cr.status).toBe(201);
      expect(cr.body.changes).toEqual({ lastName: 'Нова' });
    });

    it('checks that the person exists before anything is written (change request, status, household member, merge)', async () => {
      const missing = '00000000-0000-4000-8000-00000000abcd';
      const p = await register(newPerson());
      const before = { ...(await counts()), status: await count('person_status'), household: await count('household') };
      const after = async () => ({ ...(await counts()), status: await count('person_status'), household: await count('household') });

      const cr = await changeRequest(missing, { changes: { phone: '+380501112233' }, reason: 'x', source: 'y' });
      expect(cr.status).toBe(404);
      expect(cr.body.error.code).toBe('PERSON_NOT_FOUND');
      const status = await app
        .http()
        .post(`/persons/${missing}/statuses`)
        .set('authorization', `Bearer ${registrar}`)
        .send({ type: 'large_family', validFrom: '2026-01-01', source: 'посвідчення' });
      expect(status.status).toBe(404);
      expect(status.body.error.code).toBe('STATUS_PERSON_NOT_FOUND');
      const household = await app
        .http()
        .post('/households')
        .set('authorization', `Bearer ${registrar}`)
        .send({
          katottg: KYIV,
          members: [
            { personId: p.body.id, role: 'head', joinedOn: '2026-01-01' },
            { personId: missing, role: 'dependant', joinedOn: '2026-01-01' },
          ],
        });
      expect(household.status).toBe(422);
      expect(household.body.error).toMatchObject({ code: 'HOUSEHOLD_PERSON_NOT_FOUND', field: 'members.1.personId' });
      const merge = await app
        .http()
        .post(`/persons/${p.body.id}/merge`)
        .set('authorization', `Bearer ${supervisor}`)
        .send({ survivorPersonId: missing, reason: 'x' });
      expect(merge.status).toBe(404);
      expect(merge.body.error.code).toBe('PERSON_NOT_FOUND');
      const notUuid = await app
        .http()
        .post(`/persons/${p.body.id}/merge`)
        .set('authorization', `Bearer ${supervisor}`)
        .send({ survivorPersonId: 'nobody', reason: 'x' });
      expect(notUuid.status).toBe(400);
      expect(notUuid.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'survivorPersonId' });
      expect(await after()).toEqual(before);
    });

    it('refuses a client request id already used for another person with 409 CHANGE_REQUEST_CLIENT_ID_TAKEN', async () => {
      const a = await register(newPerson());
      const b = await register(newPerson());
      const clientRequestId = `crid-${a.body.id}`;
      const first = await changeRequest(a.body.id, { changes: { phone: '+380501112233' }, reason: 'x', source: 'y', clientRequestId });
      expect(first.status).toBe(201);
      const retry = await changeRequest(a.body.id, { changes: { phone: '+380501112233' }, reason: 'x', source: 'y', clientRequestId });
      expect(retry.body.id).toBe(first.body.id);
      const before = await counts();
      const other = await changeRequest(b.body.id, { changes: { phone: '+380501112233' }, reason: 'x', source: 'y', clientRequestId });
      expect(other.status).toBe(409);
      expect(other.body.error).toMatchObject({ code: 'CHANGE_REQUEST_CLIENT_ID_TAKEN', field: 'clientRequestId' });
      expect(await counts()).toEqual(before);
    });
  });
});
