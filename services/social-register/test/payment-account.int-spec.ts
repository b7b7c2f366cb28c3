import { ApplicationPaymentAccountProposedV1, PersonPaymentAccountChangedV1, Role, type PayloadOf } from '@eisss/contracts';
import { KafkaProbe, ServiceApp, TestEnvironment, expectEventually, publishEvent, tokenFor } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { definition } from '../src/service.definition';
import { KYIV, VALID_IBAN, newPerson } from './support';

type AccountChanged = PayloadOf<typeof PersonPaymentAccountChangedV1>;
const OTHER_IBAN = 'UA903052992990004149123456789';

describe('social-register payment accounts', () => {
  let env: TestEnvironment;
  let app: ServiceApp;
  let probe: KafkaProbe;
  let sql: Client;
  const registrar = tokenFor({ id: 'registrar-1', roles: [Role.Registrar], territory: 'UA80' });
  const registrarAsSupervisor = tokenFor({ id: 'registrar-1', roles: [Role.Supervisor], territory: 'UA80' });
  const supervisor = tokenFor({ id: 'supervisor-1', roles: [Role.Supervisor], territory: 'UA80' });
  const officer = tokenFor({ id: 'officer-1', roles: [Role.Officer], territory: 'UA80' });
  const topic = (c: { topic: string }) => env.topicPrefix + c.topic;
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });

  beforeAll(async () => {
    env = await TestEnvironment.create();
    probe = await KafkaProbe.start([topic(PersonPaymentAccountChangedV1)]);
    app = await ServiceApp.start(definition, env.env('social-register'));
    sql = await env.sql('social-register');
  });

  afterAll(async () => {
    await app?.close();
    await probe?.stop();
    await sql?.end();
    await env?.destroy();
  });

  /** PersonPaymentAccountChangedV1 payloads written to the outbox for a person, in order. */
  async function accountEvents(personId: string): Promise<AccountChanged[]> {
    const rows = await sql.query(`SELECT envelope FROM social_register.outbox WHERE topic = $1 AND message_key = $2 ORDER BY seq`, [PersonPaymentAccountChangedV1.topic, personId]);
    return rows.rows.map((r) => r.envelope.payload);
  }

  async function register(overrides: Record<string, unknown> = {}) {
    const body = newPerson(overrides);
    const res = await app.http().post('/persons').set(auth(registrar)).send(body);
    expect(res.status).toBe(201);
    return { body, res };
  }

  const approve = (id: string, token = supervisor) => app.http().post(`/change-requests/${id}/approve`).set(auth(token)).send({});
  const person = async (id: string) => (await app.http().get(`/persons/${id}`).set(auth(officer))).body;

  describe('registration', () => {
    it('does not set an IBAN given at registration until a second person approves its change request, then publishes the account with its holder', async () => {
      const { body, res } = await register();
      expect(res.body).toMatchObject({ iban: null, paymentAccount: null, accountChangeRequestId: expect.any(String) });
      const cr = await app.http().get(`/change-requests/${res.body.accountChangeRequestId}`).set(auth(officer));
      expect(cr.body).toMatchObject({ personId: res.body.id, status: 'pending', requestedBy: 'registrar-1', source: 'intake', changes: { iban: VALID_IBAN } });
      expect(await person(res.body.id)).toMatchObject({ iban: null, paymentAccount: null });
      expect(await accountEvents(res.body.id)).toEqual([]);

      const self = await approve(res.body.accountChangeRequestId, registrarAsSupervisor);
      expect(self.status).toBe(403);
      expect(self.body.error.code).toBe('CHANGE_REQUEST_SELF_APPROVAL');
      expect(await person(res.body.id)).toMatchObject({ iban: null });
      expect(await accountEvents(res.body.id)).toEqual([]);

      const approved = await approve(res.body.accountChangeRequestId);
      expect(approved.status).toBe(200);
      expect(await person(res.body.id)).toMatchObject({ iban: VALID_IBAN, paymentAccount: { method: 'bank', iban: VALID_IBAN }, version: 2 });
      const events = await accountEvents(res.body.id);
      expect(events).toEqual([
        {
          personId: res.body.id,
          account: { method: 'bank', iban: VALID_IBAN },
          holder: { fullName: `${body.lastName} Олена Іванівна`, rnokpp: body.rnokpp, documentNumber: null },
          changeRequestId: res.body.accountChangeRequestId,
          requestedBy: 'registrar-1',
          approvedBy: 'supervisor-1',
          version: 2,
          changedAt: expect.any(String),
        },
      ]);
      // published on its topic, keyed by the person
      await expectEventually(() => {
        const e = probe.on(topic(PersonPaymentAccountChangedV1)).find((m) => m.key === res.body.id);
        expect(e).toBeDefined();
        expect(JSON.parse(e!.value!).payload.account).toEqual({ method: 'bank', iban: VALID_IBAN });
      });
    });

    it('opens a post account (postcode) the same way', async () => {
      const { res } = await register({ iban: undefined, paymentPostcode: '01001' });
      expect(res.body).toMatchObject({ paymentPostcode: null, paymentAccount: null, accountChangeRequestId: expect.any(String) });
      await approve(res.body.accountChangeRequestId).expect(200);
      expect(await person(res.body.id)).toMatchObject({ paymentPostcode: '01001', paymentAccount: { method: 'post', postcode: '01001' } });
      expect((await accountEvents(res.body.id)).map((e) => e.account)).toEqual([{ method: 'post', postcode: '01001' }]);
    });

    it('opens no change request when no account is given', async () => {
      const { res } = await register({ iban: undefined });
      expect(res.body.accountChangeRequestId).toBeNull();
    });

    it('refuses a malformed postcode with VALIDATION_FAILED on paymentPostcode', async () => {
      const res = await app.http().post('/persons').set(auth(registrar)).send(newPerson({ paymentPostcode: '1001' }));
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'paymentPostcode' });
    });
  });

  describe('changes of the account and its holder', () => {
    async function withAccount() {
      const { body, res } = await register();
      await approve(res.body.accountChangeRequestId).expect(200);
      return { body, id: res.body.id as string };
    }

    const change = (id: string, changes: Record<string, unknown>, token = registrar) =>
      app.http().post(`/persons/${id}/change-requests`).set(auth(token)).send({ changes, reason: 'заява', source: 'паспорт' });

    it('publishes the account again when the holder’s name changes, with the new name and version', async () => {
      const { body, id } = await withAccount();
      const cr = await change(id, { lastName: 'Новаченко', patronymic: null });
      expect(cr.status).toBe(201);
      await approve(cr.body.id).expect(200);
      const events = await accountEvents(id);
      expect(events).toHaveLength(2);
      expect(events[1]).toMatchObject({ account: { method: 'bank', iban: VALID_IBAN }, holder: { fullName: 'Новаченко Олена', rnokpp: body.rnokpp, documentNumber: null }, changeRequestId: cr.body.id, version: 3 });
    });

    it('publishes nothing for a change that touches neither the account nor its holder, nor for a name change of a person without an account', async () => {
      const { id } = await withAccount();
      await approve((await change(id, { phone: '+380671234567' })).body.id).expect(200);
      expect(await accountEvents(id)).toHaveLength(1);
      const { res } = await register({ iban: undefined });
      await approve((await change(res.body.id, { firstName: 'Ганна' })).body.id).expect(200);
      expect(await accountEvents(res.body.id)).toEqual([]);
    });

    it('publishes a citizen’s new account once a supervisor approves it, and a removed account as null', async () => {
      const { id } = await withAccount();
      const citizen = tokenFor({ id: 'citizen-acc', roles: [Role.Citizen], territory: 'UA', personId: id });
      const mine = await change(id, { iban: OTHER_IBAN }, citizen);
      expect(mine.status).toBe(201);
      // a supervisor who is the person themselves does not decide on their own record
      const ownRecord = await approve(mine.body.id, tokenFor({ id: 'supervisor-self', roles: [Role.Supervisor], territory: 'UA', personId: id }));
      expect(ownRecord.status).toBe(403);
      await approve(mine.body.id).expect(200);
      await approve((await change(id, { iban: null })).body.id).expect(200);
      const events = await accountEvents(id);
      expect(events.map((e) => [e.account, e.requestedBy])).toEqual([
        [{ method: 'bank', iban: VALID_IBAN }, 'registrar-1'],
        [{ method: 'bank', iban: OTHER_IBAN }, 'citizen-acc'],
        [null, 'registrar-1'],
      ]);
      expect(await person(id)).toMatchObject({ iban: null, paymentAccount: null });
    });
  });

  describe('accounts proposed by applications', () => {
    const proposal = (personId: string, applicationId: string, account: PayloadOf<typeof ApplicationPaymentAccountProposedV1>['account']) => ({
      applicationId,
      personId,
      account,
      proposedBy: 'officer-7',
      channel: 'cnap' as const,
      katottg: KYIV,
      proposedAt: new Date().toISOString(),
    });
    const processed = (eventId: string) =>
      expectEventually(async () => {
        const r = await sql.query(`SELECT count(*)::int AS n FROM social_register.inbox WHERE consumer_group LIKE '%account-proposals' AND event_id = $1`, [eventId]);
        expect(r.rows[0].n).toBe(1);
      }, { timeoutMs: 30_000 });
    const requestsOf = async (personId: string) =>
      (await sql.query(`SELECT id, changes, source, reason, requested_by, client_request_id, status FROM social_register.change_request WHERE person_id = $1 AND source = 'application' ORDER BY requested_at`, [personId])).rows;

    it('opens exactly one change request per application, authored by the proposer, even when delivered twice', async () => {
      const { res } = await register({ iban: undefined });
      const applicationId = randomUUID();
      const payload = proposal(res.body.id, applicationId, { method: 'bank', iban: OTHER_IBAN });
      const first = await publishEvent(env.topicPrefix, ApplicationPaymentAccountProposedV1, payload, applicationId);
      // the same event again (redelivery) and the same proposal as a new event (a re-send by processing)
      await publishEvent(env.topicPrefix, ApplicationPaymentAccountProposedV1, payload, applicationId, { eventId: first.eventId });
      const resent = await publishEvent(env.topicPrefix, ApplicationPaymentAccountProposedV1, payload, applicationId);
      await processed(first.eventId);
      await processed(resent.eventId);
      const requests = await requestsOf(res.body.id);
      expect(requests).toEqual([
        // stored encrypted (personal data at rest), shown in clear by the API
        { id: expect.any(String), changes: { iban: expect.stringMatching(/^v1:/) }, source: 'application', reason: expect.stringContaining(applicationId), requested_by: 'officer-7', client_request_id: `application:${applicationId}`, status: 'pending' },
      ]);
      expect((await app.http().get(`/change-requests/${requests[0].id}`).set(auth(officer))).body.changes).toEqual({ iban: OTHER_IBAN });
      const inbox = await sql.query(`SELECT count(*)::int AS n FROM social_register.inbox WHERE event_id = $1`, [first.eventId]);
      expect(inbox.rows[0].n).toBe(1);
      // the account is not set until a second person approves; the proposer cannot
      expect(await person(res.body.id)).toMatchObject({ iban: null });
      const byProposer = await approve(requests[0].id, tokenFor({ id: 'officer-7', roles: [Role.Supervisor], territory: 'UA80' }));
      expect(byProposer.status).toBe(403);
      await approve(requests[0].id).expect(200);
      expect((await accountEvents(res.body.id)).map((e) => [e.account, e.requestedBy, e.approvedBy])).toEqual([[{ method: 'bank', iban: OTHER_IBAN }, 'officer-7', 'supervisor-1']]);
    });

    it('opens nothing when the proposed account is the approved one, and a post proposal replaces the IBAN', async () => {
      const { res } = await register();
      await approve(res.body.accountChangeRequestId).expect(200);
      const same = randomUUID();
      const e1 = await publishEvent(env.topicPrefix, ApplicationPaymentAccountProposedV1, proposal(res.body.id, same, { method: 'bank', iban: VALID_IBAN }), same);
      const post = randomUUID();
      const e2 = await publishEvent(env.topicPrefix, ApplicationPaymentAccountProposedV1, proposal(res.body.id, post, { method: 'post', postcode: '79000' }), post);
      await processed(e1.eventId);
      await processed(e2.eventId);
      const requests = await requestsOf(res.body.id);
      expect(requests.map((r) => [r.client_request_id, r.changes])).toEqual([[`application:${post}`, { iban: null, paymentPostcode: '79000' }]]);
    });
  });
});
