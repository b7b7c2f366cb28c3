import { Role } from '@eisss/contracts';
import { ServiceApp, TestEnvironment, expectEventually, tokenFor } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { loadFieldCipher, piiKeysFromConfig, typeormSql } from '@eisss/platform';
import { DciSpec } from '../src/dci/dci-spec';
import { sealDciDocuments } from '../src/migrations/1764600000000-dci-documents-sealed';
import { definition } from '../src/service.definition';
import { CallbackServer, registerClient, registerPublicKey, type TestClient } from './dci-support';
import { KYIV, LVIV, newPerson } from './support';

describe('DCI Social Registry API', () => {
  let env: TestEnvironment;
  let app: ServiceApp;
  let sender: CallbackServer;
  let sql: Client;
  let client: TestClient;
  const spec = DciSpec.get();
  const registrar = tokenFor({ id: 'registrar-1', roles: [Role.Registrar], territory: 'UA' });
  const spmis = tokenFor({ id: 'spmis-kyiv', roles: [Role.System], territory: 'UA80' });
  const ts = () => new Date().toISOString();

  const header = (action: string, count = 1, extra: Record<string, unknown> = {}) => ({
    version: '1.0.0',
    message_id: randomUUID(),
    message_ts: ts(),
    action,
    sender_id: 'spmis-kyiv',
    total_count: count,
    ...extra,
  });
  const searchItem = (reference_id: string, query_type: string, query: unknown, extra: Record<string, unknown> = {}) => ({
    reference_id,
    timestamp: ts(),
    search_criteria: {
      version: '1.0.0',
      reg_type: 'ns:ua:RegistryType:Social',
      query_type,
      query,
      pagination: { page_size: 10, page_number: 1 },
      ...extra,
    },
  });
  // Every message is signed by the registered client (bodies without a header are sent as they are).
  const signed = (body: unknown) =>
    body && typeof body === 'object' && (body as { header?: unknown }).header && typeof (body as { header?: unknown }).header === 'object'
      ? client.sign(body as { header: unknown })
      : body;
  const post = (path: string, body: unknown, token = spmis) =>
    app
      .http()
      .post(path)
      .set('authorization', `Bearer ${token}`)
      .send(signed(body) as object);

  async function person(overrides: Record<string, unknown> = {}) {
    const body = newPerson(overrides);
    const res = await app.http().post('/persons').set('authorization', `Bearer ${registrar}`).send(body);
    expect(res.status).toBe(201);
    return { ...body, id: res.body.id as string };
  }

  beforeAll(async () => {
    env = await TestEnvironment.create();
    app = await ServiceApp.start(definition, env.env('social-register'));
    sender = await CallbackServer.start();
    sql = await env.sql('social-register');
    // The test client calls back on loopback, so it is registered with allowPrivateAddress.
    client = await registerClient(app, 'spmis-kyiv', sender.url);
    sender.registerKey = await registerPublicKey(app);
  });

  afterAll(async () => {
    await app?.close();
    await sender?.stop();
    await sql?.end();
    await env?.destroy();
  });

  describe('sync search', () => {
    it('finds a person by РНОКПП and by expression, answering with the spec’s envelope', async () => {
      const kyiv = await person({ lastName: 'Дсіенко', firstName: 'Ольга' });
      await person({ lastName: 'Дсіенко', firstName: 'Ольга', katottg: LVIV });
      const body = {
        header: header('search', 3),
        message: {
          transaction_id: 'txn-sync-1',
          search_request: [
            searchItem('r-id', 'idtype-value', { type: 'RNOKPP', value: kyiv.rnokpp }),
            searchItem(
              'r-expr',
              'expression',
              {
                type: 'expression',
                value: { expression: { collection: 'Person', query: { $and: [{ last_name: { $eq: 'ДСІЕНКО' } }, { sex: 'female' }] } } },
              },
              { sort: [{ attribute_name: 'birth_date', sort_order: 'desc' }] },
            ),
            // an attribute the register does not know (poverty_score is known since issue 11: it matches nothing)
            searchItem('r-bad', 'expression', { value: { expression: { query: { shoe_size: { $lt: 5 } } } } }),
          ],
        },
      };
      const res = await post('/registry/sync/search', body);
      expect(res.status).toBe(200);
      expect(spec.validateSyncResponse('/registry/sync/search', res.body)).toEqual([]);
      expect(typeof res.body.signature).toBe('string');
      expect(res.body.header).toMatchObject({
        action: 'on-search',
        status: 'succ',
        total_count: 3,
        completed_count: 3,
        receiver_id: 'spmis-kyiv',
      });
      const [byId, byExpr, bad] = res.body.message.search_response;
      expect(byId).toMatchObject({ reference_id: 'r-id', status: 'succ', pagination: { total_count: 1 } });
      expect(byId.data.reg_records[0].identifier).toContainEqual({
        '@type': 'Identifier',
        identifier_type: 'RNOKPP',
        identifier_value: kyiv.rnokpp,
      });
      expect(byId.data.reg_records[0].address.admin_area_code).toBe(KYIV);
      // the Lviv namesake is outside the sender's territory
      expect(byExpr.pagination.total_count).toBe(1);
      expect(bad).toMatchObject({ reference_id: 'r-bad', status: 'rjct', status_reason_code: 'rjct.search_criteria.invalid' });

      const audit = await sql.query(
        `SELECT actor_id FROM social_register_audit.audit_log WHERE subject_id = $1 AND purpose LIKE 'DCI search%'`,
        [kyiv.id],
      );
      expect(audit.rows.map((r) => r.actor_id)).toContain('spmis-kyiv');
    });

    it('rejects the message in its header when total_count disagrees, and a repeated message_id', async () => {
      const h = header('search', 2);
      const body = {
        header: h,
        message: { transaction_id: 'txn-sync-2', search_request: [searchItem('r-1', 'idtype-value', { type: 'ID', value: randomUUID() })] },
      };
      const res = await post('/registry/sync/search', body);
      expect(res.body.header).toMatchObject({ status: 'rjct', status_reason_code: 'rjct.total_count.invalid' });
      const again = await post('/registry/sync/search', body);
      expect(again.body.header).toMatchObject({ status: 'rjct', status_reason_code: 'rjct.message_id.duplicate' });
      const pagination = await post('/registry/sync/search', {
        header: header('search'),
        // a page_size over MAX_PAGE_SIZE is served at MAX_PAGE_SIZE since issue 11; page_number 0 is invalid
        message: {
          transaction_id: 'txn-sync-3',
          search_request: [
            searchItem('r-1', 'idtype-value', { type: 'ID', value: randomUUID() }, { pagination: { page_size: 10, page_number: 0 } }),
          ],
        },
      });
      expect(pagination.body.message.search_response[0].status_reason_code).toBe('rjct.pagination.invalid');
    });

    it('answers ERR with the spec’s error codes when the envelope is invalid, and 401/403 at the transport layer', async () => {
      const noMessageId = await post('/registry/sync/search', {
        header: { ...header('search'), message_id: undefined },
        message: { transaction_id: 't', search_request: [] },
      });
      expect(noMessageId.status).toBe(400);
      expect(noMessageId.body.message).toMatchObject({ ack_status: 'ERR', error: { code: 'err.request.bad' } });
      expect(noMessageId.body.message.error.message).toContain('message_id');
      expect(spec.validateAck(noMessageId.body)).toEqual([]);

      const wrongAction = await post('/registry/sync/search', {
        header: header('subscribe'),
        message: { transaction_id: 't', search_request: [] },
      });
      expect(wrongAction.body.message.error.code).toBe('err.request.bad');
      const version = await post('/registry/sync/search', {
        header: header('search', 1, { version: '2.0.0' }),
        message: { transaction_id: 't', search_request: [] },
      });
      expect(version.body.message.error.code).toBe('err.version.not_supported');
      const encrypted = await post('/registry/sync/search', {
        header: header('search', 1, { is_msg_encrypted: true }),
        message: { header: { alg: 'x', enc: 'y', kid: 'z' }, ciphertext: 'a', encrypted_key: 'b', tag: 'c', iv: 'd' },
      });
      expect(encrypted.body.message.error.code).toBe('err.encryption.invalid');
      const impostor = await post('/registry/sync/search', {
        header: header('search', 1, { sender_id: 'someone-else' }),
        message: { transaction_id: 't', search_request: [searchItem('r', 'idtype-value', { type: 'ID', value: 'x' })] },
      });
      // paths./registry/sync/search.responses.403: HttpErrorResponse, and the ERR acknowledgement with the same code
      expect(impostor.status).toBe(403);
      expect(impostor.body.errors[0].code).toBe('err.sender_id.invalid');
      expect(impostor.body.message.error.code).toBe('err.sender_id.invalid');

      const anonymous = await app.http().post('/registry/sync/search').send({});
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.errors[0].code).toBe('err.request.unauthorized');
      const officer = await post('/registry/sync/search', {}, tokenFor({ id: 'o', roles: [Role.Officer], territory: 'UA' }));
      expect(officer.status).toBe(403);
      expect(officer.body.errors[0].code).toBe('err.request.forbidden');
    });
  });

  describe('async search and transaction status', () => {
    it('acknowledges, posts the result to the sender’s on-search endpoint, and reports the transaction status', async () => {
      const p = await person();
      const body = {
        header: header('search', 1, { sender_uri: `${sender.url}/registry/on-search` }),
        message: {
          transaction_id: 'txn-async-1',
          search_request: [searchItem('r-async', 'idtype-value', { type: 'RNOKPP', value: p.rnokpp })],
        },
      };
      const res = await post('/registry/search', body);
      expect(res.status).toBe(200);
      expect(res.body.message).toMatchObject({ ack_status: 'ACK', correlation_id: expect.any(String) });
      expect(spec.validateAck(res.body)).toEqual([]);

      const callback = await expectEventually(() => {
        const c = sender.on('/registry/on-search').find((x) => x.body.message?.transaction_id === 'txn-async-1');
        expect(c).toBeDefined();
        return c!.body;
      });
      expect(callback.header).toMatchObject({ action: 'on-search', status: 'succ' });
      expect(sender.on('/registry/on-search').find((x) => x.body.message?.transaction_id === 'txn-async-1')!.signatureProblem).toBeNull();
      expect(callback.message.correlation_id).toBe(res.body.message.correlation_id);
      expect(callback.message.search_response[0].data.reg_records[0]['@id']).toContain(p.id);
      expect(spec.validateSchema('SearchResponse', callback.message)).toEqual([]);

      const duplicate = await post('/registry/search', body);
      expect(duplicate.body.message.ack_status).toBe('NACK');

      const status = await expectEventually(async () => {
        const s = await post('/registry/sync/txn/status', {
          header: header('txn-status'),
          message: {
            transaction_id: 'txn-status-1',
            txnstatus_request: {
              reference_id: 'q-1',
              txn_type: 'search',
              attribute_type: 'transaction_id',
              attribute_value: 'txn-async-1',
            },
          },
        });
        expect(s.status).toBe(200);
        expect(s.body.message.txnstatus_response.txn_status.search_response[0].status).toBe('succ');
        return s.body;
      });
      expect(spec.validateSyncResponse('/registry/sync/txn/status', status)).toEqual([]);
      expect(status.message.correlation_id).toBe(res.body.message.correlation_id);

      const unknown = await post('/registry/sync/txn/status', {
        header: header('txn-status'),
        message: {
          transaction_id: 'txn-status-2',
          txnstatus_request: { reference_id: 'q-2', txn_type: 'search', attribute_type: 'correlation_id', attribute_value: randomUUID() },
        },
      });
      // paths./registry/sync/txn/status default response: the envelope with its header, also for an unknown transaction
      expect(unknown.status).toBe(200);
      expect(spec.validateSyncResponse('/registry/sync/txn/status', unknown.body)).toEqual([]);
      expect(unknown.body.header).toMatchObject({ action: 'txn-on-status', status: 'rjct' });
      expect(unknown.body.message).toBeUndefined();
    });

    it('answers an async search without sender_uri at the registered default (MsgHeader_V1.0.0.sender_uri: "Default uri … configured … as part of sender/receiver onboarding")', async () => {
      const res = await post('/registry/search', {
        header: header('search'),
        message: {
          transaction_id: 'txn-default-uri',
          search_request: [searchItem('r', 'idtype-value', { type: 'ID', value: randomUUID() })],
        },
      });
      expect(res.status).toBe(200);
      expect(res.body.message.ack_status).toBe('ACK');
      await expectEventually(() =>
        expect(sender.on('/registry/on-search').map((c) => c.body.message?.transaction_id)).toContain('txn-default-uri'),
      );
    });
  });

  describe('personal data at rest', () => {
    it('keeps the request, the response and the queued callback sealed, and still answers txn-status and the callback with the records', async () => {
      const p = await person();
      const unzr = (p as Record<string, unknown>).unzr as string | undefined;
      const plain = [p.rnokpp, p.phone, p.email, ...(unzr ? [unzr] : [])] as string[];
      // the first attempt fails, so the queued callback row can be read before it is delivered
      sender.answer = { status: 503 };
      let res;
      try {
        res = await post('/registry/search', {
          header: header('search', 1, { sender_uri: `${sender.url}/registry/on-search` }),
          message: {
            transaction_id: 'txn-sealed-1',
            search_request: [searchItem('r-sealed', 'idtype-value', { type: 'RNOKPP', value: p.rnokpp })],
          },
        });
        expect(res.body.message.ack_status).toBe('ACK');
        const queued = await expectEventually(async () => {
          const r = await sql.query(
            `SELECT c.body::text AS body FROM social_register.dci_callback c JOIN social_register.dci_transaction t ON t.id = c.transaction_id WHERE t.transaction_id = 'txn-sealed-1' AND c.status = 'pending' AND c.attempts >= 1`,
          );
          expect(r.rows).toHaveLength(1);
          return r.rows[0].body as string;
        });
        expect(queued).toMatch(/^"v1:/);
        for (const v of plain) expect(queued).not.toContain(v);
      } finally {
        sender.answer = { status: 200 };
      }
      const callback = await expectEventually(
        () => {
          const c = sender
            .on('/registry/on-search')
            .find((x) => x.body.message?.transaction_id === 'txn-sealed-1' && x.body.message.search_response);
          expect(c).toBeDefined();
          return c!.body;
        },
        { timeoutMs: 30000 },
      );
      const delivered = callback.message.search_response[0].data.reg_records[0];
      expect(delivered.identifier).toContainEqual(expect.objectContaining({ identifier_type: 'RNOKPP', identifier_value: p.rnokpp }));
      expect(delivered.email).toBe(p.email);

      const txn = await sql.query(
        `SELECT request::text AS request, response::text AS response FROM social_register.dci_transaction WHERE transaction_id = 'txn-sealed-1'`,
      );
      expect(txn.rows).toHaveLength(1);
      for (const col of [txn.rows[0].request, txn.rows[0].response] as string[]) {
        expect(col).toMatch(/^"v1:/);
        for (const v of plain) expect(col).not.toContain(v);
      }
      const rows = await sql.query(
        `SELECT c.body::text AS body FROM social_register.dci_callback c JOIN social_register.dci_transaction t ON t.id = c.transaction_id WHERE t.transaction_id = 'txn-sealed-1'`,
      );
      for (const r of rows.rows) for (const v of plain) expect(String(r.body)).not.toContain(v);

      const status = await post('/registry/sync/txn/status', {
        header: header('txn-status'),
        message: {
          transaction_id: 'txn-status-sealed',
          txnstatus_request: { reference_id: 'q-s', txn_type: 'search', attribute_type: 'transaction_id', attribute_value: 'txn-sealed-1' },
        },
      });
      expect(status.status).toBe(200);
      const [answered] = status.body.message.txnstatus_response.txn_status.search_response;
      expect(answered).toMatchObject({ reference_id: 'r-sealed', status: 'succ' });
      expect(answered.data.reg_records[0].identifier).toContainEqual(
        expect.objectContaining({ identifier_type: 'RNOKPP', identifier_value: p.rnokpp }),
      );
    });

    it('seals the plain rows written before (migration DciDocumentsSealed), which txn-status still answers', async () => {
      const p = await person();
      const request = {
        header: header('search', 1, { sender_uri: `${sender.url}/registry/on-search` }),
        message: {
          transaction_id: 'txn-legacy-1',
          search_request: [searchItem('r-legacy', 'idtype-value', { type: 'RNOKPP', value: p.rnokpp })],
        },
      };
      const response = {
        header: { status: 'succ' },
        message: {
          transaction_id: 'txn-legacy-1',
          search_response: [
            {
              reference_id: 'r-legacy',
              timestamp: ts(),
              status: 'succ',
              data: { reg_records: [{ identifier: [{ identifier_type: 'RNOKPP', identifier_value: p.rnokpp }], email: p.email }] },
            },
          ],
        },
      };
      const txnId = randomUUID();
      await sql.query(
        `INSERT INTO social_register.dci_transaction (id, sender_id, message_id, transaction_id, correlation_id, action, status, reference_ids, callback_uri, request, response, principal)
         VALUES ($1, 'spmis-kyiv', $2, 'txn-legacy-1', $3, 'search', 'succ', ARRAY['r-legacy'], $4, $5, $6, $7)`,
        [
          txnId,
          request.header.message_id,
          randomUUID(),
          sender.url,
          JSON.stringify(request),
          JSON.stringify(response),
          JSON.stringify({ id: 'spmis-kyiv', roles: [Role.System], territory: 'UA80' }),
        ],
      );
      // a queued callback not due yet (the worker leaves it alone)
      await sql.query(
        `INSERT INTO social_register.dci_callback (id, sender_id, endpoint, url, body, transaction_id, next_attempt_at) VALUES ($1, 'spmis-kyiv', 'on-search', $2, $3, $4, now() + interval '1 day')`,
        [randomUUID(), `${sender.url}/registry/on-search`, JSON.stringify(response), txnId],
      );
      const db = { query: (text: string, params?: unknown[]) => sql.query(text, params).then((r) => r.rows) };
      const { wrapper, hmacKey } = piiKeysFromConfig(env.env('social-register'));
      await sealDciDocuments(db, await loadFieldCipher(typeormSql(db), 'social_register', wrapper, hmacKey));

      const txn = await sql.query(
        `SELECT request::text AS request, response::text AS response FROM social_register.dci_transaction WHERE id = $1`,
        [txnId],
      );
      const cb = await sql.query(`SELECT body::text AS body FROM social_register.dci_callback WHERE transaction_id = $1`, [txnId]);
      for (const col of [txn.rows[0].request, txn.rows[0].response, cb.rows[0].body] as string[]) {
        expect(col).toMatch(/^"v1:/);
        expect(col).not.toContain(p.rnokpp);
        expect(col).not.toContain(p.email);
      }
      const status = await post('/registry/sync/txn/status', {
        header: header('txn-status'),
        message: {
          transaction_id: 'txn-status-legacy',
          txnstatus_request: { reference_id: 'q-l', txn_type: 'search', attribute_type: 'transaction_id', attribute_value: 'txn-legacy-1' },
        },
      });
      expect(status.status).toBe(200);
      expect(status.body.message.txnstatus_response.txn_status.search_response[0].data.reg_records[0].identifier[0].identifier_value).toBe(
        p.rnokpp,
      );
      await sql.query(`DELETE FROM social_register.dci_callback WHERE transaction_id = $1`, [txnId]);
    });
  });

  describe('subscribe and notify', () => {
    it('notifies a subscriber of new registrations in its filter and territory, and stops after unsubscribe', async () => {
      const sub = await post('/registry/subscribe', {
        header: header('subscribe', 2, { sender_uri: `${sender.url}/registry/on-subscribe` }),
        message: {
          transaction_id: 'txn-sub-1',
          subscribe_request: [
            {
              reference_id: 'sub-kyiv',
              timestamp: ts(),
              subscribe_criteria: {
                reg_event_type: 'REGISTER',
                filter_type: 'expression',
                filter: { type: 'expression', value: { expression: { query: { admin_area_code: { $eq: 'UA80' } } } } },
                notify_record_type: 'SRPerson',
              },
            },
            {
              reference_id: 'sub-bad',
              timestamp: ts(),
              subscribe_criteria: {
                reg_event_type: 'LiveBirth',
                filter: { type: 'expression', value: { expression: { query: { sex: 'male' } } } },
                notify_record_type: 'SRPerson',
              },
            },
          ],
        },
      });
      expect(sub.body.message.ack_status).toBe('ACK');
      const onSubscribe = await expectEventually(() => {
        const c = sender.on('/registry/on-subscribe').find((x) => x.body.message?.transaction_id === 'txn-sub-1');
        expect(c).toBeDefined();
        return c!.body;
      });
      expect(spec.validateSchema('SubscribeResponse', onSubscribe.message)).toEqual([]);
      const [ok, bad] = onSubscribe.message.subscribe_response;
      expect(ok).toMatchObject({ reference_id: 'sub-kyiv', status: 'succ' });
      expect(bad).toMatchObject({ reference_id: 'sub-bad', status: 'rjct', status_reason_code: 'rjct.notify_types.invalid' });
      const code = ok.subscriptions[0].code as string;

      const inKyiv = await person();
      const inLviv = await person({ katottg: LVIV });
      const notified = await expectEventually(() => {
        const n = sender.on('/registry/notify').filter((x) => x.body.message.notify_event[0].reference_id === 'sub-kyiv');
        const ids = n.map((x) => x.body.message.notify_event[0].data.reg_records['@id']);
        expect(ids).toContain(`urn:eisss:social-register:person:${inKyiv.id}`);
        return n;
      });
      const first = notified.find((x) => x.body.message.notify_event[0].data.reg_records['@id'].endsWith(inKyiv.id))!.body;
      expect(spec.validateSchema('NotifyEventRequest', first.message)).toEqual([]);
      expect(first.header).toMatchObject({ action: 'notify', sender_id: 'social-register', receiver_id: 'spmis-kyiv' });
      expect(first.message.notify_event[0].data).toMatchObject({ reg_event_type: 'REGISTER', reg_record_type: 'SRPerson' });

      const unsub = await post('/registry/unsubscribe', {
        header: header('unsubscribe', 1, { sender_uri: `${sender.url}/registry/on-unsubscribe` }),
        message: { transaction_id: 'txn-unsub-1', timestamp: ts(), subscription_codes: [code] },
      });
      expect(unsub.body.message.ack_status).toBe('ACK');
      await expectEventually(() =>
        expect(
          sender.on('/registry/on-unsubscribe').find((x) => x.body.message.transaction_id === 'txn-unsub-1')?.body.message
            .subscription_status,
        ).toEqual([{ code, status: 'unsubscribe' }]),
      );
      const after = await person();
      // a later registration (its own event processed by the same consumer, after the one in Lviv) is not sent
      await expectEventually(async () => {
        const r = await sql.query(
          `SELECT count(*)::int AS n FROM social_register.inbox WHERE consumer_group LIKE '%dci-notify' AND event_id IN (SELECT event_id FROM social_register.outbox WHERE message_key = $1)`,
          [after.id],
        );
        expect(r.rows[0].n).toBe(1);
      });
      const ids = sender.on('/registry/notify').map((x) => x.body.message.notify_event[0].data.reg_records['@id']);
      expect(ids).not.toContain(`urn:eisss:social-register:person:${inLviv.id}`);
      expect(ids).not.toContain(`urn:eisss:social-register:person:${after.id}`);
    });
  });
  describe('bad input', () => {
    const txnRows = async (messageId: string) =>
      (await sql.query(`SELECT status, error FROM social_register.dci_transaction WHERE message_id = $1`, [messageId])).rows;

    it.each([
      [
        'a lone surrogate in a query value',
        (h: ReturnType<typeof header>) => ({
          header: h,
          message: {
            transaction_id: 'txn-bad-1',
            search_request: [
              searchItem('r-1', 'expression', {
                type: 'expression',
                value: { expression: { query: { last_name: { $eq: 'Дсі\ud800' } } } },
              }),
            ],
          },
        }),
      ],
      [
        'a lone surrogate in the transaction id',
        (h: ReturnType<typeof header>) => ({
          header: h,
          message: {
            transaction_id: 'txn-\udc00',
            search_request: [searchItem('r-1', 'idtype-value', { type: 'ID', value: randomUUID() })],
          },
        }),
      ],
      [
        'a NUL byte in a reference id',
        (h: ReturnType<typeof header>) => ({
          header: h,
          message: {
            transaction_id: 'txn-bad-2',
            search_request: [searchItem('r-\u0000', 'idtype-value', { type: 'ID', value: randomUUID() })],
          },
        }),
      ],
      [
        'an impossible date in a query',
        (h: ReturnType<typeof header>) => ({
          header: h,
          message: {
            transaction_id: 'txn-bad-3',
            search_request: [
              searchItem('r-1', 'expression', {
                type: 'expression',
                value: { expression: { query: { birth_date: { $eq: '2026-02-30' } } } },
              }),
            ],
          },
        }),
      ],
      [
        'an impossible date in a predicate',
        (h: ReturnType<typeof header>) => ({
          header: h,
          message: {
            transaction_id: 'txn-bad-4',
            search_request: [
              searchItem('r-1', 'predicate', [
                { expression1: { attribute_name: 'birth_date', operator: 'gt', attribute_value: '2025-04-31' } },
              ]),
            ],
          },
        }),
      ],
      [
        'an impossible message_ts',
        (h: ReturnType<typeof header>) => ({
          header: { ...h, message_ts: '2026-02-30T10:00:00Z' },
          message: {
            transaction_id: 'txn-bad-5',
            search_request: [searchItem('r-1', 'idtype-value', { type: 'ID', value: randomUUID() })],
          },
        }),
      ],
    ])('answers a sync search with %s by a DCI ERR 400 and stores no transaction', async (_, build) => {
      const h = header('search');
      const res = await post('/registry/sync/search', build(h));
      expect(res.status).toBe(400);
      expect(res.body.message).toMatchObject({ ack_status: 'ERR', error: { code: 'err.request.bad' } });
      expect(spec.validateAck(res.body)).toEqual([]);
      expect(await txnRows(h.message_id)).toEqual([]);
    });

    it('answers an async search and a subscription with an impossible date or a lone surrogate by ERR 400 and stores nothing', async () => {
      const h1 = header('search', 1, { sender_uri: sender.url });
      const search = await post('/registry/search', {
        header: h1,
        message: {
          transaction_id: 'txn-bad-async',
          search_request: [
            searchItem('r-1', 'expression', {
              type: 'expression',
              value: { expression: { query: { registration_date: { $ge: '2026-02-30' } } } },
            }),
          ],
        },
      });
      expect(search.status).toBe(400);
      expect(search.body.message.error.code).toBe('err.request.bad');
      const h2 = header('subscribe', 1, { sender_uri: sender.url });
      const sub = await post('/registry/subscribe', {
        header: h2,
        message: {
          transaction_id: 'txn-bad-sub',
          subscribe_request: [
            {
              reference_id: 'sub-bad-date',
              timestamp: ts(),
              subscribe_criteria: {
                reg_event_type: 'REGISTER',
                filter_type: 'expression',
                filter: { type: 'expression', value: { expression: { query: { birth_date: { $lt: '2026-02-30' } } } } },
                notify_record_type: 'SRPerson',
              },
            },
          ],
        },
      });
      expect(sub.status).toBe(400);
      expect(sub.body.message.error.code).toBe('err.request.bad');
      const h3 = header('unsubscribe', 1, { sender_uri: sender.url });
      const unsub = await post('/registry/unsubscribe', {
        header: h3,
        message: { transaction_id: 'txn-bad-unsub', timestamp: ts(), subscription_codes: ['\ud800'] },
      });
      expect(unsub.status).toBe(400);
      expect(unsub.body.message.error.code).toBe('err.request.bad');
      for (const h of [h1, h2, h3]) expect(await txnRows(h.message_id)).toEqual([]);
      const subs = await sql.query(`SELECT count(*)::int AS n FROM social_register.dci_subscription WHERE reference_id = 'sub-bad-date'`);
      expect(subs.rows[0].n).toBe(0);
    });

    it('answers a raw body with a lone surrogate escape in the DCI shape, not 500', async () => {
      const h = header('search');
      const raw = JSON.stringify({
        header: h,
        message: { transaction_id: 'txn-raw', search_request: [searchItem('r-1', 'idtype-value', { type: 'ID', value: 'x' })] },
      }).replace('"txn-raw"', '"txn-\\ud83d"');
      const res = await app
        .http()
        .post('/registry/sync/search')
        .set('authorization', `Bearer ${spmis}`)
        .set('content-type', 'application/json')
        .send(raw);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatchObject({ ack_status: 'ERR', error: { code: 'err.request.bad' } });
      expect(await txnRows(h.message_id)).toEqual([]);
    });

    it('answers a body that cannot be read (malformed JSON, too large) in the DCI shape before any route is reached', async () => {
      const malformed = await app
        .http()
        .post('/registry/search')
        .set('authorization', `Bearer ${spmis}`)
        .set('content-type', 'application/json')
        .send('{"header": {"message_id": ');
      expect({
        status: malformed.status,
        ack: malformed.body?.message?.ack_status,
        code: malformed.body?.message?.error?.code,
        platformError: malformed.body?.error,
      }).toEqual({ status: 400, ack: 'ERR', code: 'err.request.bad', platformError: undefined });
      const huge = await app
        .http()
        .post('/registry/sync/search')
        .set('authorization', `Bearer ${spmis}`)
        .set('content-type', 'application/json')
        .send(JSON.stringify({ header: header('search'), pad: 'x'.repeat(200_000) }));
      expect({ status: huge.status, ack: huge.body?.message?.ack_status, code: huge.body?.message?.error?.code }).toEqual({
        status: 413,
        ack: 'ERR',
        code: 'err.request.bad',
      });
      // Other routes keep the platform's error body.
      const person = await app
        .http()
        .post('/persons')
        .set('authorization', `Bearer ${spmis}`)
        .set('content-type', 'application/json')
        .send('{"lastName": ');
      expect(person.body.error).toMatchObject({ code: 'MALFORMED_JSON' });
    });
  });

  describe('restart', () => {
    it('answers an async search that a stopped process had acknowledged but not answered', async () => {
      const p = await person();
      const request = {
        header: header('search', 1, { sender_uri: `${sender.url}/registry/on-search` }),
        message: {
          transaction_id: 'txn-stalled-1',
          search_request: [searchItem('r-stalled', 'idtype-value', { type: 'RNOKPP', value: p.rnokpp })],
        },
      };
      await sql.query(
        `INSERT INTO social_register.dci_transaction (id, sender_id, message_id, transaction_id, correlation_id, action, status, reference_ids, callback_uri, request, principal, created_at)
         VALUES ($1, 'spmis-kyiv', $2, 'txn-stalled-1', $3, 'search', 'pdng', ARRAY['r-stalled'], $4, $5, $6, now() - interval '10 minutes')`,
        [
          randomUUID(),
          request.header.message_id,
          randomUUID(),
          sender.url,
          JSON.stringify(request),
          JSON.stringify({ id: 'spmis-kyiv', roles: [Role.System], territory: 'UA80' }),
        ],
      );
      // one whose query cannot be answered (stored before dates were checked): closed with an error, not left pending
      const broken = {
        header: header('search', 1, { sender_uri: `${sender.url}/registry/on-search` }),
        message: {
          transaction_id: 'txn-stalled-2',
          search_request: [
            searchItem('r-broken', 'expression', {
              type: 'expression',
              value: { expression: { query: { birth_date: { $eq: '2026-02-30' } } } },
            }),
          ],
        },
      };
      await sql.query(
        `INSERT INTO social_register.dci_transaction (id, sender_id, message_id, transaction_id, correlation_id, action, status, reference_ids, callback_uri, request, principal, created_at)
         VALUES ($1, 'spmis-kyiv', $2, 'txn-stalled-2', $3, 'search', 'pdng', ARRAY['r-broken'], $4, $5, $6, now() - interval '10 minutes')`,
        [
          randomUUID(),
          broken.header.message_id,
          randomUUID(),
          sender.url,
          JSON.stringify(broken),
          JSON.stringify({ id: 'spmis-kyiv', roles: [Role.System], territory: 'UA80' }),
        ],
      );
      const second = await ServiceApp.start(definition, env.env('social-register'));
      try {
        const callback = await expectEventually(() => {
          const c = sender.on('/registry/on-search').find((x) => x.body.message?.transaction_id === 'txn-stalled-1');
          expect(c).toBeDefined();
          return c!.body;
        });
        expect(callback.message.search_response[0]).toMatchObject({
          reference_id: 'r-stalled',
          status: 'succ',
          pagination: { total_count: 1 },
        });
        await expectEventually(async () => {
          const r = await sql.query(`SELECT status FROM social_register.dci_transaction WHERE transaction_id = 'txn-stalled-1'`);
          expect(r.rows[0].status).toBe('succ');
        });
        await expectEventually(async () => {
          const r = await sql.query(`SELECT status, error FROM social_register.dci_transaction WHERE transaction_id = 'txn-stalled-2'`);
          expect(r.rows[0]).toMatchObject({ status: 'rjct', error: expect.stringContaining('err.request.bad') });
        });
      } finally {
        await second.close();
      }
    });
  });
});
