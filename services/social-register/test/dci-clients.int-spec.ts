import { Role } from '@eisss/contracts';
import { auditTable } from '@eisss/platform';
import { ServiceApp, TestEnvironment, expectEventually, tokenFor } from '@eisss/testing';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { signEnvelope } from '../src/dci/dci-signature';
import { definition } from '../src/service.definition';
import { CallbackServer, admin, registerClient, registerPublicKey, type TestClient } from './dci-support';
import { newPerson } from './support';

/**
 * DCI traffic between known parties: the register of DCI clients (administrators), signed requests,
 * callbacks only to the registered address (signed, with the register's credentials, no redirects,
 * no private addresses unless allowed), delivered from an outbox, and record quotas.
 */
describe('DCI clients, signatures and callbacks', () => {
  let env: TestEnvironment;
  let app: ServiceApp;
  let sql: Client;
  const servers: CallbackServer[] = [];
  const registrar = tokenFor({ id: 'registrar-1', roles: [Role.Registrar], territory: 'UA' });
  const ts = () => new Date().toISOString();
  const CREDENTIAL = 'Bearer register-callback-credential';

  const header = (senderId: string, action: string, extra: Record<string, unknown> = {}) => ({
    version: '1.0.0',
    message_id: randomUUID(),
    message_ts: ts(),
    action,
    sender_id: senderId,
    total_count: 1,
    ...extra,
  });
  const search = (c: TestClient, query: unknown, extra: Record<string, unknown> = {}, pagination = { page_size: 10, page_number: 1 }) => ({
    header: header(c.senderId, 'search', extra),
    message: {
      transaction_id: `txn-${randomUUID()}`,
      search_request: [
        {
          reference_id: 'r-1',
          timestamp: ts(),
          search_criteria: { reg_type: 'ns:ua:RegistryType:Social', query_type: 'idtype-value', query, pagination },
        },
      ],
    },
  });
  const post = (path: string, c: { token: string }, body: unknown) =>
    app
      .http()
      .post(path)
      .set('authorization', `Bearer ${c.token}`)
      .send(body as object);
  const server = async () => {
    const s = await CallbackServer.start();
    s.registerKey = await registerPublicKey(app);
    servers.push(s);
    return s;
  };
  const subscribeRegister = (c: TestClient, uri: string, ref: string) =>
    post(
      '/registry/subscribe',
      c,
      c.sign({
        header: header(c.senderId, 'subscribe', { sender_uri: `${uri}/registry/on-subscribe` }),
        message: {
          transaction_id: `txn-${ref}`,
          subscribe_request: [
            {
              reference_id: ref,
              timestamp: ts(),
              subscribe_criteria: {
                reg_event_type: 'REGISTER',
                filter_type: 'expression',
                filter: { type: 'expression', value: { expression: { query: { admin_area_code: { $eq: 'UA80' } } } } },
                notify_record_type: 'SRPerson',
              },
            },
          ],
        },
      }),
    );
  async function person(overrides: Record<string, unknown> = {}) {
    const body = newPerson(overrides);
    const res = await app.http().post('/persons').set('authorization', `Bearer ${registrar}`).send(body);
    expect(res.status).toBe(201);
    return { ...body, id: res.body.id as string };
  }

  beforeAll(async () => {
    env = await TestEnvironment.create();
    app = await ServiceApp.start(
      definition,
      env.env('social-register', {
        DCI_CALLBACK_AUTHORIZATION: CREDENTIAL,
        DCI_CALLBACK_MAX_ATTEMPTS: '2',
        DCI_CALLBACK_RETRY_BASE_MS: '50',
        DCI_CALLBACK_POLL_INTERVAL_MS: '100',
      }),
    );
    sql = await env.sql('social-register');
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all(servers.map((s) => s.stop()));
    await sql?.end();
    await env?.destroy();
  });

  describe('the register of DCI clients', () => {
    it('is kept by an administrator, validated field by field, paginated, and every change is audited', async () => {
      const s = await server();
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const body = {
        senderId: 'adm-client',
        name: 'Адмін-клієнт',
        callbackUri: `${s.url}/dci/`,
        publicKey: publicKey.export({ format: 'jwk' }),
        keyId: 'k-1',
        allowedActions: ['search'],
        maxRecordsPerRequest: 10,
        maxRecordsPerDay: 100,
        allowPrivateAddress: true,
      };
      const officer = await app.http().post('/dci/clients').set('authorization', `Bearer ${registrar}`).send(body);
      expect(officer.status).toBe(403);
      const created = await app.http().post('/dci/clients').set('authorization', `Bearer ${admin}`).send(body);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        senderId: 'adm-client',
        callbackUri: `${s.url}/dci`,
        keyAlgorithm: 'es256',
        allowedQueryTypes: ['idtype-value', 'expression', 'predicate'],
        active: true,
        version: 1,
        createdBy: 'admin-1',
      });

      const again = await app.http().post('/dci/clients').set('authorization', `Bearer ${admin}`).send(body);
      expect({ status: again.status, code: again.body.error?.code, field: again.body.error?.field }).toEqual({
        status: 409,
        code: 'DCI_CLIENT_SENDER_TAKEN',
        field: 'senderId',
      });
      const badKey = await app
        .http()
        .post('/dci/clients')
        .set('authorization', `Bearer ${admin}`)
        .send({ ...body, senderId: 'x-1', publicKey: 'not a key' });
      expect({ status: badKey.status, code: badKey.body.error?.code, field: badKey.body.error?.field }).toEqual({
        status: 400,
        code: 'DCI_CLIENT_KEY_INVALID',
        field: 'publicKey',
      });
      const privateKey = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
      const notPublic = await app
        .http()
        .post('/dci/clients')
        .set('authorization', `Bearer ${admin}`)
        .send({ ...body, senderId: 'x-2', publicKey: privateKey });
      expect(notPublic.body.error?.code).toBe('DCI_CLIENT_KEY_INVALID');
      for (const uri of [
        'http://127.0.0.1:9/dci',
        'http://[::1]:9/',
        'http://169.254.169.254/',
        'http://[::ffff:10.0.0.1]/',
        'http://localhost:9/',
      ]) {
        const priv = await app
          .http()
          .post('/dci/clients')
          .set('authorization', `Bearer ${admin}`)
          .send({ ...body, senderId: 'x-3', callbackUri: uri, allowPrivateAddress: false });
        expect({ uri, status: priv.status, code: priv.body.error?.code, field: priv.body.error?.field }).toEqual({
          uri,
          status: 400,
          code: 'DCI_CLIENT_CALLBACK_PRIVATE',
          field: 'callbackUri',
        });
      }
      const badUri = await app
        .http()
        .post('/dci/clients')
        .set('authorization', `Bearer ${admin}`)
        .send({ ...body, senderId: 'x-4', callbackUri: 'ftp://example.org/x?y=1' });
      expect(badUri.body.error).toMatchObject({ code: 'DCI_CLIENT_CALLBACK_INVALID', field: 'callbackUri' });
      const badAction = await app
        .http()
        .post('/dci/clients')
        .set('authorization', `Bearer ${admin}`)
        .send({ ...body, senderId: 'x-5', allowedActions: ['delete'] });
      expect(badAction.status).toBe(400);
      const quota = await app
        .http()
        .post('/dci/clients')
        .set('authorization', `Bearer ${admin}`)
        .send({ ...body, senderId: 'x-6', maxRecordsPerRequest: 1000, maxRecordsPerDay: 10 });
      expect(quota.body.error).toMatchObject({ code: 'DCI_CLIENT_QUOTA_INVALID', field: 'maxRecordsPerRequest' });

      const newKey = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' });
      const noKid = await app
        .http()
        .patch(`/dci/clients/${created.body.id}`)
        .set('authorization', `Bearer ${admin}`)
        .send({ publicKey: newKey });
      expect(noKid.body.error).toMatchObject({ code: 'DCI_CLIENT_KEY_ID_REQUIRED', field: 'keyId' });
      const changed = await app
        .http()
        .patch(`/dci/clients/${created.body.id}`)
        .set('authorization', `Bearer ${admin}`)
        .send({ callbackUri: `${s.url}/dci2`, publicKey: newKey, keyId: 'k-2', maxRecordsPerDay: 200, expectedVersion: 1 });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({
        callbackUri: `${s.url}/dci2`,
        keyId: 'k-2',
        keyAlgorithm: 'ed25519',
        maxRecordsPerDay: 200,
        version: 2,
      });
      const stale = await app
        .http()
        .patch(`/dci/clients/${created.body.id}`)
        .set('authorization', `Bearer ${admin}`)
        .send({ active: false, expectedVersion: 1 });
      expect(stale.body.error?.code).toBe('DCI_CLIENT_VERSION_CONFLICT');

      const audit = await sql.query(
        `SELECT action, actor_id, purpose FROM ${auditTable('social_register')} WHERE subject_type = 'dci_client' AND subject_id = $1 ORDER BY id`,
        [created.body.id],
      );
      expect(audit.rows.map((r) => r.action)).toEqual([
        'dci-client.register',
        'dci-client.callback-change',
        'dci-client.key-change',
        'dci-client.update',
      ]);
      expect(audit.rows.every((r) => r.actor_id === 'admin-1')).toBe(true);
      expect(audit.rows[1].purpose).toContain(`${s.url}/dci → ${s.url}/dci2`);
      expect(audit.rows[2].purpose).toContain(`k-1 es256 ${created.body.keyThumbprint} → k-2 ed25519 ${changed.body.keyThumbprint}`);

      const page = await app.http().get('/dci/clients?limit=1&offset=0&q=adm').set('authorization', `Bearer ${admin}`);
      expect(page.body).toMatchObject({ total: 1, limit: 1, offset: 0, items: [{ senderId: 'adm-client' }] });
      const tooBig = await app.http().get('/dci/clients?limit=100000').set('authorization', `Bearer ${admin}`);
      expect(tooBig.status).toBe(400);
      const missing = await app.http().get(`/dci/clients/${randomUUID()}`).set('authorization', `Bearer ${admin}`);
      expect(missing.body.error?.code).toBe('DCI_CLIENT_NOT_FOUND');
    });
  });

  describe('requests', () => {
    it('refuses an unregistered or inactive sender, an action it may not use, and a missing or invalid signature', async () => {
      const s = await server();
      const stranger = { token: tokenFor({ id: 'stranger', roles: [Role.System], territory: 'UA' }) };
      const strangerBody = { ...search({ senderId: 'stranger' } as TestClient, { type: 'ID', value: randomUUID() }) };
      const unregistered = await post('/registry/sync/search', stranger, {
        ...strangerBody,
        signature: signEnvelope(
          strangerBody,
          { id: 'stranger', keyId: 'k', privateKey: generateKeyPairSync('ed25519').privateKey },
          new Date(),
        ),
      });
      expect({ status: unregistered.status, code: unregistered.body.message?.error?.code }).toEqual({
        status: 403,
        code: 'err.sender_id.invalid',
      });

      const c = await registerClient(app, 'sig-client', s.url, { allowedActions: ['search'] });
      const unsigned = await post('/registry/sync/search', c, search(c, { type: 'ID', value: randomUUID() }));
      expect({ status: unsigned.status, ack: unsigned.body.message?.ack_status, code: unsigned.body.message?.error?.code }).toEqual({
        status: 401,
        ack: 'ERR',
        code: 'err.signature.missing',
      });
      const other = generateKeyPairSync('ed25519').privateKey;
      const body = search(c, { type: 'ID', value: randomUUID() });
      const forged = await post('/registry/sync/search', c, {
        ...body,
        signature: signEnvelope(body, { id: c.senderId, keyId: c.keyId, privateKey: other }, new Date()),
      });
      expect({ status: forged.status, code: forged.body.message?.error?.code }).toEqual({ status: 401, code: 'err.signature.invalid' });
      const tampered = c.sign(search(c, { type: 'ID', value: randomUUID() }));
      tampered.message.transaction_id = 'changed-after-signing';
      expect((await post('/registry/sync/search', c, tampered)).body.message?.error?.code).toBe('err.signature.invalid');
      expect((await post('/registry/sync/search', c, { ...body, signature: 'Signature keyId="nope"' })).body.message?.error?.code).toBe(
        'err.signature.invalid',
      );

      const ok = await post('/registry/sync/search', c, c.sign(search(c, { type: 'ID', value: randomUUID() })));
      expect(ok.status).toBe(200);
      expect(ok.body.header.status).toBe('succ');

      const forbidden = await subscribeRegister(c, s.url, 'sub-forbidden');
      expect({ status: forbidden.status, code: forbidden.body.message?.error?.code }).toEqual({
        status: 403,
        code: 'err.request.forbidden',
      });

      await app.http().patch(`/dci/clients/${c.id}`).set('authorization', `Bearer ${admin}`).send({ active: false }).expect(200);
      const inactive = await post('/registry/sync/search', c, c.sign(search(c, { type: 'ID', value: randomUUID() })));
      expect(inactive.body.message?.error?.code).toBe('err.sender_id.invalid');
    });

    it('refuses an async search whose sender_uri is not the registered callback, or whose callback is a private address the client may not use', async () => {
      const s = await server();
      const c = await registerClient(app, 'uri-client', s.url);
      const elsewhere = await post(
        '/registry/search',
        c,
        c.sign(search(c, { type: 'ID', value: randomUUID() }, { sender_uri: 'https://attacker.example.org/' })),
      );
      expect({ status: elsewhere.status, code: elsewhere.body.message?.error?.code }).toEqual({
        status: 400,
        code: 'err.sender_uri.invalid',
      });
      const otherPort = await post(
        '/registry/search',
        c,
        c.sign(search(c, { type: 'ID', value: randomUUID() }, { sender_uri: 'http://127.0.0.1:1/' })),
      );
      expect(otherPort.body.message?.error?.code).toBe('err.sender_uri.invalid');
      // the same address written with a trailing slash is the registered one
      const same = await post('/registry/search', c, c.sign(search(c, { type: 'ID', value: randomUUID() }, { sender_uri: `${s.url}/` })));
      expect(same.body.message.ack_status).toBe('ACK');
      // the callback name now points at a private address the client is not allowed (as after a DNS change)
      await sql.query(`UPDATE social_register.dci_client SET allow_private_address = false WHERE sender_id = 'uri-client'`);
      const priv = await post('/registry/search', c, c.sign(search(c, { type: 'ID', value: randomUUID() }, { sender_uri: s.url })));
      expect({ status: priv.status, code: priv.body.message?.error?.code }).toEqual({ status: 400, code: 'err.sender_uri.invalid' });
      expect(priv.body.message.error.message).toMatch(/private/);
    });
  });

  describe('callbacks', () => {
    it('are signed by the register, carry its credentials, and go only to the registered callback', async () => {
      const s = await server();
      const decoy = await server();
      const c = await registerClient(app, 'cb-client', s.url);
      const p = await person();
      const res = await post(
        '/registry/search',
        c,
        c.sign(search(c, { type: 'RNOKPP', value: p.rnokpp }, { sender_uri: `${s.url}/registry/on-search` })),
      );
      expect(res.body.message.ack_status).toBe('ACK');
      const cb = await expectEventually(() => {
        const x = s.on('/registry/on-search').find((r) => r.body.message?.correlation_id === res.body.message.correlation_id);
        expect(x).toBeDefined();
        return x!;
      });
      expect(cb.signatureProblem).toBeNull();
      expect(cb.body.signature).toMatch(/kidId="social-register\|social-register-1\|ed25519"/);
      expect(cb.headers.authorization).toBe(CREDENTIAL);
      expect(cb.body.message.search_response[0].data.reg_records[0]['@id']).toContain(p.id);
      await expectEventually(async () => {
        const r = await sql.query(`SELECT status, attempts, body FROM social_register.dci_callback WHERE sender_id = 'cb-client'`);
        expect(r.rows).toEqual([{ status: 'delivered', attempts: 1, body: null }]);
      });

      // re-pointed by the administrator: the next answer goes to the new address only
      await app.http().patch(`/dci/clients/${c.id}`).set('authorization', `Bearer ${admin}`).send({ callbackUri: decoy.url }).expect(200);
      const old = await post(
        '/registry/search',
        c,
        c.sign(search(c, { type: 'RNOKPP', value: p.rnokpp }, { sender_uri: `${s.url}/registry/on-search` })),
      );
      expect(old.body.message?.error?.code).toBe('err.sender_uri.invalid');
      const moved = await post(
        '/registry/search',
        c,
        c.sign(search(c, { type: 'RNOKPP', value: p.rnokpp }, { sender_uri: `${decoy.url}/registry/on-search` })),
      );
      await expectEventually(() =>
        expect(decoy.on('/registry/on-search').map((r) => r.body.message.correlation_id)).toContain(moved.body.message.correlation_id),
      );
      expect(s.on('/registry/on-search')).toHaveLength(1);
    });

    it('never follow a redirect: a 3xx is a failed attempt, retried, then dead', async () => {
      const s = await server();
      const target = await server();
      s.answer = { status: 302, location: `${target.url}/registry/on-search` };
      const c = await registerClient(app, 'redirect-client', s.url);
      const res = await post(
        '/registry/search',
        c,
        c.sign(search(c, { type: 'ID', value: randomUUID() }, { sender_uri: `${s.url}/registry/on-search` })),
      );
      expect(res.body.message.ack_status).toBe('ACK');
      await expectEventually(async () => {
        const r = await sql.query(
          `SELECT status, attempts, last_status, last_error, body IS NULL AS dropped FROM social_register.dci_callback WHERE sender_id = 'redirect-client'`,
        );
        expect(r.rows).toEqual([{ status: 'dead', attempts: 2, last_status: 302, last_error: 'redirect 302 not followed', dropped: true }]);
      });
      expect(s.on('/registry/on-search')).toHaveLength(2);
      expect(target.received).toEqual([]);
      const txn = await sql.query(`SELECT status, error FROM social_register.dci_transaction WHERE correlation_id = $1`, [
        res.body.message.correlation_id,
      ]);
      expect(txn.rows[0]).toMatchObject({ status: 'succ', error: expect.stringContaining('on-search callback failed after 2 attempt(s)') });
    });

    it('a dead callback does not stall notifications to other clients or later events', async () => {
      const dead = await server();
      dead.answer = { status: 500 };
      const live = await server();
      const a = await registerClient(app, 'notify-dead', dead.url);
      const b = await registerClient(app, 'notify-live', live.url);
      expect((await subscribeRegister(a, dead.url, 'sub-dead')).body.message.ack_status).toBe('ACK');
      expect((await subscribeRegister(b, live.url, 'sub-live')).body.message.ack_status).toBe('ACK');
      await expectEventually(() => expect(live.on('/registry/on-subscribe')).toHaveLength(1));
      const first = await person();
      const second = await person();
      await expectEventually(() => {
        const ids = live.on('/registry/notify').map((r) => r.body.message.notify_event[0].data.reg_records['@id']);
        expect(ids).toEqual(
          expect.arrayContaining([`urn:eisss:social-register:person:${first.id}`, `urn:eisss:social-register:person:${second.id}`]),
        );
      });
      expect(live.on('/registry/notify').every((r) => r.signatureProblem === null)).toBe(true);
      await expectEventually(async () => {
        const r = await sql.query(
          `SELECT n.outcome, count(*)::int AS n FROM social_register.dci_notification n JOIN social_register.dci_subscription s ON s.code = n.subscription_code WHERE s.reference_id = 'sub-dead' GROUP BY 1`,
        );
        expect(r.rows).toEqual([{ outcome: 'failed', n: 2 }]);
      });
      const cbs = await sql.query(
        `SELECT status, attempts FROM social_register.dci_callback WHERE sender_id = 'notify-dead' AND endpoint = 'notify'`,
      );
      expect(cbs.rows).toEqual([
        { status: 'dead', attempts: 2 },
        { status: 'dead', attempts: 2 },
      ]);
    });
  });

  describe('quotas', () => {
    it('cuts pages to the per-request quota, stops at the daily quota, and counts the records given', async () => {
      const s = await server();
      const c = await registerClient(app, 'quota-client', s.url, { maxRecordsPerRequest: 2, maxRecordsPerDay: 3 });
      const lastName = `Квотенко${Date.now() % 100000}`;
      for (let i = 0; i < 4; i++) await person({ lastName });
      const query = { type: 'expression', value: { expression: { query: { last_name: { $eq: lastName } } } } };
      const item = (ref: string) => ({
        reference_id: ref,
        timestamp: ts(),
        search_criteria: {
          reg_type: 'ns:ua:RegistryType:Social',
          query_type: 'expression',
          query,
          pagination: { page_size: 10, page_number: 1 },
        },
      });
      const first = await post(
        '/registry/sync/search',
        c,
        c.sign({
          header: header(c.senderId, 'search', { total_count: 2 }),
          message: { transaction_id: 'txn-q-1', search_request: [item('q-1'), item('q-2')] },
        }),
      );
      expect(first.status).toBe(200);
      const [a, b] = first.body.message.search_response;
      expect(a).toMatchObject({ status: 'succ', pagination: { page_size: 2, total_count: 4 } });
      expect(a.data.reg_records).toHaveLength(2);
      expect(b).toMatchObject({ status: 'rjct', status_reason_code: 'rjct.search.too_many_records_found' });

      const second = await post(
        '/registry/sync/search',
        c,
        c.sign({ header: header(c.senderId, 'search'), message: { transaction_id: 'txn-q-2', search_request: [item('q-3')] } }),
      );
      expect(second.body.message.search_response[0].data.reg_records).toHaveLength(1);
      const third = await post(
        '/registry/sync/search',
        c,
        c.sign({ header: header(c.senderId, 'search'), message: { transaction_id: 'txn-q-3', search_request: [item('q-4')] } }),
      );
      expect({ status: third.status, code: third.body.message?.error?.code }).toEqual({
        status: 429,
        code: 'err.request.too_many_requests',
      });
      const usage = await sql.query(`SELECT records FROM social_register.dci_client_usage WHERE sender_id = 'quota-client'`);
      expect(usage.rows).toEqual([{ records: 3 }]);
    });

    it('counts notified records against the daily quota and skips, without sending, the notifications beyond it', async () => {
      const s = await server();
      const c = await registerClient(app, 'notify-quota', s.url, { maxRecordsPerRequest: 1, maxRecordsPerDay: 2 });
      expect((await subscribeRegister(c, s.url, 'sub-quota')).body.message.ack_status).toBe('ACK');
      await expectEventually(() => expect(s.on('/registry/on-subscribe')).toHaveLength(1));
      for (let i = 0; i < 4; i++) await person();
      await expectEventually(async () => {
        const r = await sql.query(
          `SELECT n.outcome, count(*)::int AS n FROM social_register.dci_notification n JOIN social_register.dci_subscription s ON s.code = n.subscription_code WHERE s.reference_id = 'sub-quota' GROUP BY 1 ORDER BY 1`,
        );
        expect(r.rows).toEqual([
          { outcome: 'delivered', n: 2 },
          { outcome: 'skipped_quota', n: 2 },
        ]);
      });
      expect(s.on('/registry/notify')).toHaveLength(2);
      const cbs = await sql.query(
        `SELECT count(*)::int AS n FROM social_register.dci_callback WHERE sender_id = 'notify-quota' AND endpoint = 'notify'`,
      );
      expect(cbs.rows[0].n).toBe(2);
      const usage = await sql.query(`SELECT records FROM social_register.dci_client_usage WHERE sender_id = 'notify-quota'`);
      expect(usage.rows).toEqual([{ records: 2 }]);
      const metrics = await app.http().get('/metrics');
      expect(metrics.text).toMatch(/dci_notifications_skipped_total\{reason="daily_quota"[^}]*\} [1-9]/);
    });
  });
});
