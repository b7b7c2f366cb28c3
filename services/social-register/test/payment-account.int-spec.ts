import {
  ApplicationPaymentAccountProposedV2,
  PersonPaymentAccountChangedV2,
  Role,
  type EventEnvelope,
  type PayloadOf,
} from '@eisss/contracts';
import { SealedField, maskIban, maskRnokpp, sealFor, type SealedAccount } from '@eisss/platform';
import {
  KafkaProbe,
  ServiceApp,
  TestEnvironment,
  expectEventually,
  openedByTreasury,
  payeeOpenedByTreasury,
  proposedAccount,
  publishEvent,
  tokenFor,
} from '@eisss/testing';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { JWK } from 'jose';
import type { Client } from 'pg';
import { definition } from '../src/service.definition';
import { KYIV, VALID_IBAN, newPerson } from './support';

type AccountChanged = PayloadOf<typeof PersonPaymentAccountChangedV2>;
type Proposed = PayloadOf<typeof ApplicationPaymentAccountProposedV2>['account'];
const OTHER_IBAN = 'UA903052992990004149123456789';

/** The account reference of a published bank account (null for post or none). */
const refOf = (a: SealedAccount | null) => (a?.method === 'bank' ? a.accountRef : null);
/** What the treasury reads out of a published account (null stays null). */
const opened = (a: SealedAccount | null) => (a ? openedByTreasury(a) : Promise.resolve(null));

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
    probe = await KafkaProbe.start([topic(PersonPaymentAccountChangedV2), topic(ApplicationPaymentAccountProposedV2) + '.dlq']);
    app = await ServiceApp.start(definition, env.env('social-register'));
    sql = await env.sql('social-register');
  });

  afterAll(async () => {
    await app?.close();
    await probe?.stop();
    await sql?.end();
    await env?.destroy();
  });

  /** PersonPaymentAccountChangedV2 envelopes written to the outbox for a person, in order. */
  async function accountEnvelopes(personId: string): Promise<EventEnvelope<AccountChanged>[]> {
    const rows = await sql.query(`SELECT envelope FROM social_register.outbox WHERE topic = $1 AND message_key = $2 ORDER BY seq`, [
      PersonPaymentAccountChangedV2.topic,
      personId,
    ]);
    return rows.rows.map((r) => r.envelope);
  }
  async function accountEvents(personId: string): Promise<AccountChanged[]> {
    return (await accountEnvelopes(personId)).map((e) => e.payload);
  }

  /** Asserts that none of `plain` (IBANs, РНОКПП) occurs anywhere in the person's account events. */
  async function expectNoPlainValues(personId: string, plain: string[]): Promise<void> {
    const json = JSON.stringify(await accountEnvelopes(personId));
    expect(json).toContain(personId);
    for (const v of plain) expect(json).not.toContain(v);
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
      expect(cr.body).toMatchObject({
        personId: res.body.id,
        status: 'pending',
        requestedBy: 'registrar-1',
        source: 'intake',
        changes: { iban: VALID_IBAN },
      });
      expect(await person(res.body.id)).toMatchObject({ iban: null, paymentAccount: null });
      expect(await accountEvents(res.body.id)).toEqual([]);

      const self = await approve(res.body.accountChangeRequestId, registrarAsSupervisor);
      expect(self.status).toBe(403);
      expect(self.body.error.code).toBe('CHANGE_REQUEST_SELF_APPROVAL');
      expect(await person(res.body.id)).toMatchObject({ iban: null });
      expect(await accountEvents(res.body.id)).toEqual([]);

      const approved = await approve(res.body.accountChangeRequestId);
      expect(approved.status).toBe(200);
      expect(await person(res.body.id)).toMatchObject({
        iban: VALID_IBAN,
        paymentAccount: { method: 'bank', iban: VALID_IBAN },
        version: 2,
      });
      const events = await accountEvents(res.body.id);
      expect(events).toEqual([
        {
          personId: res.body.id,
          account: {
            method: 'bank',
            ibanMasked: maskIban(VALID_IBAN),
            accountRef: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
            ibanSealed: expect.any(String),
          },
          holder: {
            fullName: `${body.lastName} Олена Іванівна`,
            rnokppMasked: maskRnokpp(body.rnokpp),
            documentNumberMasked: null,
            identityRef: expect.any(String),
            identitySealed: expect.any(String),
          },
          changeRequestId: res.body.accountChangeRequestId,
          requestedBy: 'registrar-1',
          approvedBy: 'supervisor-1',
          version: 2,
          changedAt: expect.any(String),
        },
      ]);
      // the IBAN and the РНОКПП travel only sealed for the treasury
      await expectNoPlainValues(res.body.id, [VALID_IBAN, body.rnokpp]);
      expect(await openedByTreasury(events[0]!.account!)).toEqual({ method: 'bank', iban: VALID_IBAN });
      expect(await payeeOpenedByTreasury(events[0]!.holder)).toEqual({
        fullName: `${body.lastName} Олена Іванівна`,
        rnokpp: body.rnokpp,
        documentNumber: null,
      });
      // published on its topic, keyed by the person, as written
      await expectEventually(() => {
        const e = probe.on(topic(PersonPaymentAccountChangedV2)).find((m) => m.key === res.body.id);
        expect(e).toBeDefined();
        expect(e!.value).not.toContain(VALID_IBAN);
        expect(e!.value).not.toContain(body.rnokpp);
        expect(JSON.parse(e!.value!).payload.account).toEqual(events[0]!.account);
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
      const res = await app
        .http()
        .post('/persons')
        .set(auth(registrar))
        .send(newPerson({ paymentPostcode: '1001' }));
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
      expect(events[1]).toMatchObject({
        account: { method: 'bank', ibanMasked: maskIban(VALID_IBAN) },
        holder: { fullName: 'Новаченко Олена', rnokppMasked: maskRnokpp(body.rnokpp) },
        changeRequestId: cr.body.id,
        version: 3,
      });
      // the same IBAN: the same reference, sealed afresh
      expect(refOf(events[1]!.account)).toBe(refOf(events[0]!.account));
      expect(events[1]!.holder.identityRef).toBe(events[0]!.holder.identityRef);
      expect(await opened(events[1]!.account)).toEqual({ method: 'bank', iban: VALID_IBAN });
      expect(await payeeOpenedByTreasury(events[1]!.holder)).toEqual({
        fullName: 'Новаченко Олена',
        rnokpp: body.rnokpp,
        documentNumber: null,
      });
      await expectNoPlainValues(id, [VALID_IBAN, body.rnokpp]);
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
      const { body, id } = await withAccount();
      const citizen = tokenFor({ id: 'citizen-acc', roles: [Role.Citizen], territory: 'UA', personId: id });
      const mine = await change(id, { iban: OTHER_IBAN }, citizen);
      expect(mine.status).toBe(201);
      // a supervisor who is the person themselves does not decide on their own record
      const ownRecord = await approve(
        mine.body.id,
        tokenFor({ id: 'supervisor-self', roles: [Role.Supervisor], territory: 'UA', personId: id }),
      );
      expect(ownRecord.status).toBe(403);
      await approve(mine.body.id).expect(200);
      await approve((await change(id, { iban: null })).body.id).expect(200);
      const events = await accountEvents(id);
      expect(await Promise.all(events.map(async (e) => [await opened(e.account), e.requestedBy]))).toEqual([
        [{ method: 'bank', iban: VALID_IBAN }, 'registrar-1'],
        [{ method: 'bank', iban: OTHER_IBAN }, 'citizen-acc'],
        [null, 'registrar-1'],
      ]);
      // another IBAN: another reference
      expect(refOf(events[1]!.account)).toEqual(expect.any(String));
      expect(refOf(events[1]!.account)).not.toBe(refOf(events[0]!.account));
      await expectNoPlainValues(id, [VALID_IBAN, OTHER_IBAN, body.rnokpp]);
      expect(await person(id)).toMatchObject({ iban: null, paymentAccount: null });
    });
  });

  describe('accounts proposed by applications', () => {
    const proposal = (personId: string, applicationId: string, account: Proposed) => ({
      applicationId,
      personId,
      account,
      proposedBy: 'officer-7',
      channel: 'cnap' as const,
      katottg: KYIV,
      proposedAt: new Date().toISOString(),
    });
    const processed = (eventId: string) =>
      expectEventually(
        async () => {
          const r = await sql.query(
            `SELECT count(*)::int AS n FROM social_register.inbox WHERE consumer_group LIKE '%account-proposals' AND event_id = $1`,
            [eventId],
          );
          expect(r.rows[0].n).toBe(1);
        },
        { timeoutMs: 30_000 },
      );
    const requestsOf = async (personId: string) =>
      (
        await sql.query(
          `SELECT id, changes, source, reason, requested_by, client_request_id, status FROM social_register.change_request WHERE person_id = $1 AND source = 'application' ORDER BY requested_at`,
          [personId],
        )
      ).rows;

    it('opens exactly one change request per application, authored by the proposer, even when delivered twice', async () => {
      const { res } = await register({ iban: undefined });
      const applicationId = randomUUID();
      const payload = proposal(res.body.id, applicationId, await proposedAccount({ method: 'bank', iban: OTHER_IBAN }));
      const first = await publishEvent(env.topicPrefix, ApplicationPaymentAccountProposedV2, payload, applicationId);
      // the same event again (redelivery) and the same proposal as a new event (a re-send by processing)
      await publishEvent(env.topicPrefix, ApplicationPaymentAccountProposedV2, payload, applicationId, { eventId: first.eventId });
      const resent = await publishEvent(env.topicPrefix, ApplicationPaymentAccountProposedV2, payload, applicationId);
      await processed(first.eventId);
      await processed(resent.eventId);
      const requests = await requestsOf(res.body.id);
      expect(requests).toEqual([
        // stored encrypted (personal data at rest), shown in clear by the API
        {
          id: expect.any(String),
          changes: { iban: expect.stringMatching(/^v1:/) },
          source: 'application',
          reason: expect.stringContaining(applicationId),
          requested_by: 'officer-7',
          client_request_id: `application:${applicationId}`,
          status: 'pending',
        },
      ]);
      expect((await app.http().get(`/change-requests/${requests[0].id}`).set(auth(officer))).body.changes).toEqual({ iban: OTHER_IBAN });
      const inbox = await sql.query(`SELECT count(*)::int AS n FROM social_register.inbox WHERE event_id = $1`, [first.eventId]);
      expect(inbox.rows[0].n).toBe(1);
      // the account is not set until a second person approves; the proposer cannot
      expect(await person(res.body.id)).toMatchObject({ iban: null });
      const byProposer = await approve(requests[0].id, tokenFor({ id: 'officer-7', roles: [Role.Supervisor], territory: 'UA80' }));
      expect(byProposer.status).toBe(403);
      await approve(requests[0].id).expect(200);
      const events = await accountEvents(res.body.id);
      expect(await Promise.all(events.map(async (e) => [await opened(e.account), e.requestedBy, e.approvedBy]))).toEqual([
        [{ method: 'bank', iban: OTHER_IBAN }, 'officer-7', 'supervisor-1'],
      ]);
      await expectNoPlainValues(res.body.id, [OTHER_IBAN]);
    });

    it('opens nothing when the proposed account is the approved one, and a post proposal replaces the IBAN', async () => {
      const { res } = await register();
      await approve(res.body.accountChangeRequestId).expect(200);
      const same = randomUUID();
      const e1 = await publishEvent(
        env.topicPrefix,
        ApplicationPaymentAccountProposedV2,
        proposal(res.body.id, same, await proposedAccount({ method: 'bank', iban: VALID_IBAN })),
        same,
      );
      const post = randomUUID();
      const e2 = await publishEvent(
        env.topicPrefix,
        ApplicationPaymentAccountProposedV2,
        proposal(res.body.id, post, { method: 'post', postcode: '79000' }),
        post,
      );
      await processed(e1.eventId);
      await processed(e2.eventId);
      const requests = await requestsOf(res.body.id);
      expect(requests.map((r) => [r.client_request_id, r.changes])).toEqual([
        [`application:${post}`, { iban: null, paymentPostcode: '79000' }],
      ]);
    });

    it('dead-letters a proposal that does not open (sealed to another key, tampered with) and opens no change request for it, then takes a valid one', async () => {
      const { res } = await register({ iban: undefined });
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const stranger = { kid: 'dev-register-1', publicJwk: publicKey.export({ format: 'jwk' }) as JWK };
      const good = (await proposedAccount({ method: 'bank', iban: OTHER_IBAN })) as Extract<Proposed, { method: 'bank' }>;
      const parts = good.ibanSealed.split('.');
      parts[3] = (parts[3]![0] === 'A' ? 'B' : 'A') + parts[3]!.slice(1);
      const bad = {
        otherKey: { ...good, ibanSealed: await sealFor(stranger, SealedField.Iban, OTHER_IBAN) },
        tampered: { ...good, ibanSealed: parts.join('.') },
      };
      const dlqTopic = topic(ApplicationPaymentAccountProposedV2) + '.dlq';
      for (const [what, account] of Object.entries(bad)) {
        const applicationId = randomUUID();
        const e = await publishEvent(
          env.topicPrefix,
          ApplicationPaymentAccountProposedV2,
          proposal(res.body.id, applicationId, account),
          applicationId,
        );
        const dead = await expectEventually(
          () => {
            const m = probe.on(dlqTopic).find((x) => x.headers['event-id'] === e.eventId);
            expect(m).toBeDefined();
            return m!;
          },
          { timeoutMs: 30_000 },
        );
        expect([what, dead.headers['dlq-error-code']]).toEqual([what, 'PAYMENT_ACCOUNT_SEAL_INVALID']);
        expect(dead.headers['dlq-reason']).toMatch(/does not open/);
        expect(dead.headers['dlq-reason']).not.toContain(OTHER_IBAN);
      }
      expect(await requestsOf(res.body.id)).toEqual([]);
      // the group moved on: a valid proposal after them opens its change request
      const applicationId = randomUUID();
      const e = await publishEvent(
        env.topicPrefix,
        ApplicationPaymentAccountProposedV2,
        proposal(res.body.id, applicationId, good),
        applicationId,
      );
      await processed(e.eventId);
      const requests = await requestsOf(res.body.id);
      expect(requests.map((r) => [r.client_request_id, r.status])).toEqual([[`application:${applicationId}`, 'pending']]);
      expect((await app.http().get(`/change-requests/${requests[0].id}`).set(auth(officer))).body.changes).toEqual({ iban: OTHER_IBAN });
      expect(await person(res.body.id)).toMatchObject({ iban: null });
    });
  });
});
