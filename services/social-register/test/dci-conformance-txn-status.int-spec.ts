import { Role } from '@eisss/contracts';
import { ServiceApp, TestEnvironment, expectEventually, tokenFor } from '@eisss/testing';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { signEnvelope } from '../src/dci/dci-signature';
import { DciSpec } from '../src/dci/dci-spec';
import { definition } from '../src/service.definition';
import { CallbackServer, dciHeader, dciPost, registerClient, registerPublicKey, type TestClient } from './dci-support';
import { newPerson } from './support';

/**
 * Conformance of POST /registry/sync/txn/status and POST /registry/txn/status (with its callback
 * /registry/txn/on-status) with the DCI Social Registry API v1.0.0: requests valid against the paths'
 * requestBody (TxnStatusRequest), sync answers against paths./registry/sync/txn/status.post.responses.default
 * (the envelope with MsgCallbackHeader action txn-on-status and TxnStatusResponse), acknowledgements
 * against components.responses.Response, callbacks against paths./registry/txn/on-status.post.requestBody,
 * and the error answers in the spec's shapes (Response with Error; HttpErrorResponse for 401/403).
 */
describe('DCI conformance: /registry/sync/txn/status and /registry/txn/status', () => {
  let env: TestEnvironment;
  let app: ServiceApp;
  let sender: CallbackServer;
  let client: TestClient;
  const spec = DciSpec.get();
  const ts = () => new Date().toISOString();
  const registrar = tokenFor({ id: 'registrar-1', roles: [Role.Registrar], territory: 'UA' });
  const SENDER = 'conf-status';

  const statusBody = (q: { txn_type?: string; attribute_type: string; attribute_value: unknown }, extra: Record<string, unknown> = {}) => ({
    header: dciHeader(SENDER, 'txn-status', extra),
    message: {
      transaction_id: `txn-status-${randomUUID()}`,
      txnstatus_request: {
        reference_id: `q-${randomUUID()}`,
        txn_type: q.txn_type ?? 'search',
        attribute_type: q.attribute_type,
        attribute_value: q.attribute_value,
      },
    },
  });

  async function syncStatus(q: Parameters<typeof statusBody>[0]) {
    const body = statusBody(q);
    expect(spec.validateRequest('/registry/sync/txn/status', body)).toEqual([]);
    const res = await dciPost(app, '/registry/sync/txn/status', client, body);
    expect(res.status).toBe(200);
    // paths./registry/sync/txn/status.post.responses.default
    expect(spec.validateSyncResponse('/registry/sync/txn/status', res.body)).toEqual([]);
    expect(typeof res.body.signature).toBe('string');
    expect(res.body.header).toMatchObject({ action: 'txn-on-status', sender_id: 'social-register', receiver_id: SENDER });
    return res.body;
  }

  /** An async search with its on-search callback received. */
  async function asyncSearch(transaction_id: string, rnokpp: string) {
    const body = {
      header: dciHeader(SENDER, 'search', { sender_uri: sender.at('/spmis/on-search') }),
      message: {
        transaction_id,
        search_request: [
          {
            reference_id: `${transaction_id}-r1`,
            timestamp: ts(),
            search_criteria: {
              reg_type: 'ns:ua:RegistryType:Social',
              query_type: 'idtype-value',
              query: { type: 'RNOKPP', value: rnokpp },
              pagination: { page_size: 10, page_number: 1 },
            },
          },
        ],
      },
    };
    expect(spec.validateRequest('/registry/search', body)).toEqual([]);
    const res = await dciPost(app, '/registry/search', client, body);
    expect(res.body.message.ack_status).toBe('ACK');
    const cb = await expectEventually(() => {
      const c = sender.ofAction('on-search').find((x) => x.body.message?.transaction_id === transaction_id);
      expect(c).toBeDefined();
      return c!;
    });
    expect(cb.specErrors).toEqual([]);
    return { correlationId: res.body.message.correlation_id as string, referenceId: `${transaction_id}-r1` };
  }

  beforeAll(async () => {
    env = await TestEnvironment.create();
    app = await ServiceApp.start(definition, env.env('social-register'));
    sender = await CallbackServer.start();
    sender.registerKey = await registerPublicKey(app);
    client = await registerClient(app, SENDER, sender.at('/spmis'), {}, 'UA');
  });

  afterAll(async () => {
    await app?.close();
    await sender?.stop();
    await env?.destroy();
  });

  describe('sync', () => {
    it('reports a search by transaction_id, reference_id_list and correlation_id (TxnStatusRequest.attribute_type) as TxnStatusResponse', async () => {
      const p = newPerson();
      const created = await app.http().post('/persons').set('authorization', `Bearer ${registrar}`).send(p);
      expect(created.status).toBe(201);
      const { correlationId, referenceId } = await asyncSearch('txn-conf-status-1', p.rnokpp);
      for (const [attribute_type, attribute_value] of [
        ['transaction_id', 'txn-conf-status-1'],
        ['reference_id_list', [referenceId]],
        ['correlation_id', correlationId],
      ] as const) {
        const body = await syncStatus({ attribute_type, attribute_value });
        expect(body.header.status).toBe('succ');
        expect(spec.validateSchema('TxnStatusResponse', body.message)).toEqual([]);
        expect(body.message.correlation_id).toBe(correlationId);
        expect(body.message.txnstatus_response).toMatchObject({
          txn_type: 'search',
          txn_status: {
            transaction_id: 'txn-conf-status-1',
            correlation_id: correlationId,
            search_response: [{ reference_id: referenceId, status: 'succ' }],
          },
        });
        expect(body.message.txnstatus_response.txn_status.search_response[0].data.reg_records[0]['@id']).toContain(created.body.id);
      }
      // Each answer hands the person's record out again: audited as a read, once per status request.
      const sql = await env.sql('social-register');
      try {
        const reads = await sql.query(
          `SELECT purpose FROM social_register_audit.audit_log WHERE subject_id = $1 AND purpose LIKE 'DCI txn-status %'`,
          [created.body.id],
        );
        expect(reads.rowCount).toBe(3);
      } finally {
        await sql.end();
      }
    });

    it('reports a subscription (txn_type subscribe) with the status of each subscribe request', async () => {
      const sub = {
        header: dciHeader(SENDER, 'subscribe', { sender_uri: sender.at('/spmis/on-subscribe') }),
        message: {
          transaction_id: 'txn-conf-status-sub',
          subscribe_request: [
            {
              reference_id: 'sub-s-1',
              timestamp: ts(),
              subscribe_criteria: {
                reg_event_type: 'REGISTER',
                filter: { type: 'expression', value: { expression: { query: { location: 'UA80' } } } },
                notify_record_type: 'SRPerson',
              },
            },
          ],
        },
      };
      expect((await dciPost(app, '/registry/subscribe', client, sub)).body.message.ack_status).toBe('ACK');
      const body = await expectEventually(async () => {
        const b = await syncStatus({ txn_type: 'subscribe', attribute_type: 'transaction_id', attribute_value: 'txn-conf-status-sub' });
        expect(b.message?.txnstatus_response.txn_status.search_response[0]).toMatchObject({ reference_id: 'sub-s-1', status: 'succ' });
        return b;
      });
      expect(body.message.txnstatus_response.txn_type).toBe('subscribe');
    });

    it('answers an unknown transaction with the envelope and its header (status rjct), as the path’s default response requires — not another shape', async () => {
      for (const q of [
        { attribute_type: 'correlation_id', attribute_value: randomUUID() },
        { attribute_type: 'transaction_id', attribute_value: 'never-sent' },
        { attribute_type: 'reference_id_list', attribute_value: ['nope-1', 'nope-2'] },
        // a transaction that exists, asked as another txn_type
        { txn_type: 'subscribe', attribute_type: 'transaction_id', attribute_value: 'txn-conf-status-1' },
        { txn_type: 'receipt', attribute_type: 'transaction_id', attribute_value: 'txn-conf-status-1' },
      ]) {
        const body = await syncStatus(q);
        expect(body.header).toMatchObject({
          action: 'txn-on-status',
          status: 'rjct',
          status_reason_message: expect.stringContaining(q.attribute_type),
        });
        expect(body.header.status_reason_code).toBeUndefined();
        expect(body.message).toBeUndefined();
      }
    });

    it('does not report another sender’s transactions', async () => {
      const s2 = await registerClient(app, 'conf-status-other', sender.at('/other'), {}, 'UA');
      const body = statusBody({ attribute_type: 'transaction_id', attribute_value: 'txn-conf-status-1' });
      body.header.sender_id = s2.senderId;
      const res = await dciPost(app, '/registry/sync/txn/status', s2, body);
      expect(spec.validateSyncResponse('/registry/sync/txn/status', res.body)).toEqual([]);
      expect(res.body.header.status).toBe('rjct');
    });
  });

  describe('async', () => {
    it('acknowledges now (Response ACK) and posts the same answer to header.sender_uri exactly as given (paths./registry/txn/on-status)', async () => {
      const p = newPerson();
      expect((await app.http().post('/persons').set('authorization', `Bearer ${registrar}`).send(p)).status).toBe(201);
      const { correlationId } = await asyncSearch('txn-conf-status-async', p.rnokpp);
      const body = statusBody(
        { attribute_type: 'correlation_id', attribute_value: correlationId },
        { sender_uri: sender.at('/spmis/ns/callback/txn/on-status') },
      );
      expect(spec.validateRequest('/registry/txn/status', body)).toEqual([]);
      const res = await dciPost(app, '/registry/txn/status', client, body);
      expect(res.status).toBe(200);
      expect(spec.validateAck(res.body)).toEqual([]);
      expect(res.body.message.ack_status).toBe('ACK');
      const cb = await expectEventually(() => {
        const c = sender.ofAction('txn-on-status').find((x) => x.body.message?.transaction_id === body.message.transaction_id);
        expect(c).toBeDefined();
        return c!;
      });
      expect(cb.path).toBe('/spmis/ns/callback/txn/on-status');
      expect(cb.specPath).toBe('/registry/txn/on-status');
      expect(cb.specErrors).toEqual([]);
      expect(cb.signatureProblem).toBeNull();
      expect(cb.body.header).toMatchObject({ action: 'txn-on-status', status: 'succ', receiver_id: SENDER });
      expect(cb.body.message.txnstatus_response.txn_status).toMatchObject({
        transaction_id: 'txn-conf-status-async',
        correlation_id: correlationId,
        search_response: [{ status: 'succ' }],
      });

      // the same message again: NACK, no second callback
      const again = await dciPost(app, '/registry/txn/status', client, body);
      expect(spec.validateAck(again.body)).toEqual([]);
      expect(again.body.message.ack_status).toBe('NACK');
    });

    it('posts to the registered default <callbackUri>/registry/txn/on-status without sender_uri, and reports an unknown transaction there with a rejected header', async () => {
      const body = statusBody({ attribute_type: 'transaction_id', attribute_value: 'never-sent-async' });
      expect(spec.validateRequest('/registry/txn/status', body)).toEqual([]);
      const res = await dciPost(app, '/registry/txn/status', client, body);
      expect(res.body.message.ack_status).toBe('ACK');
      const cb = await expectEventually(() => {
        const c = sender
          .ofAction('txn-on-status')
          .find((x) => x.body.header.status === 'rjct' && x.path === '/spmis/registry/txn/on-status');
        expect(c).toBeDefined();
        return c!;
      });
      expect(cb.specErrors).toEqual([]);
      expect(cb.body.message).toBeUndefined();
      expect(cb.body.header.status_reason_message).toContain('transaction_id');
    });
  });

  describe('error answers keep the DCI shapes', () => {
    it('a malformed request: ERR acknowledgement (Response with Error.code err.request.bad), naming the field', async () => {
      for (const path of ['/registry/sync/txn/status', '/registry/txn/status']) {
        const res = await dciPost(app, path, client, {
          header: dciHeader(SENDER, 'txn-status'),
          message: {
            transaction_id: 't',
            txnstatus_request: { reference_id: 'q', txn_type: 'lookup', attribute_type: 'transaction_id', attribute_value: 't' },
          },
        });
        expect(res.status).toBe(400);
        expect(spec.validateAck(res.body)).toEqual([]);
        expect(res.body.message).toMatchObject({ ack_status: 'ERR', error: { code: 'err.request.bad' } });
        expect(res.body.message.error.message).toContain('txn_type');
      }
    });

    it('an async status whose sender_uri is not under the registration: ERR err.sender_uri.invalid', async () => {
      const res = await dciPost(
        app,
        '/registry/txn/status',
        client,
        statusBody({ attribute_type: 'transaction_id', attribute_value: 'x' }, { sender_uri: 'https://attacker.example.org/on-status' }),
      );
      expect({ status: res.status, code: res.body.message?.error?.code }).toEqual({ status: 400, code: 'err.sender_uri.invalid' });
      expect(spec.validateAck(res.body)).toEqual([]);
    });

    it('authentication errors (responses 401/403: HttpErrorResponse) keep errors[]{code,message}: no token, a bad token, a role without access, a missing or forged signature, an unregistered sender', async () => {
      const errorsOf = (body: any) => {
        expect(Array.isArray(body.errors)).toBe(true);
        expect(body.errors).toHaveLength(1);
        expect(body.errors[0]).toEqual({ code: expect.any(String), message: expect.any(String) });
        expect(spec.enumOf('Error', 'code')).toContain(body.errors[0].code);
        return body.errors[0].code as string;
      };
      for (const path of ['/registry/sync/txn/status', '/registry/txn/status']) {
        const body = statusBody({ attribute_type: 'transaction_id', attribute_value: 'x' });
        const anonymous = await dciPost(app, path, client, body, { token: null });
        expect({ path, status: anonymous.status, code: errorsOf(anonymous.body) }).toEqual({
          path,
          status: 401,
          code: 'err.request.unauthorized',
        });
        const badToken = await dciPost(app, path, client, body, { token: 'not.a.jwt' });
        expect({ path, status: badToken.status, code: errorsOf(badToken.body) }).toEqual({
          path,
          status: 401,
          code: 'err.request.unauthorized',
        });
        const officer = await dciPost(app, path, client, body, {
          token: tokenFor({ id: 'officer-1', roles: [Role.Officer], territory: 'UA' }),
        });
        expect({ path, status: officer.status, code: errorsOf(officer.body) }).toEqual({
          path,
          status: 403,
          code: 'err.request.forbidden',
        });
        const unsigned = await dciPost(app, path, client, body, { sign: false });
        expect({ path, status: unsigned.status, code: errorsOf(unsigned.body) }).toEqual({
          path,
          status: 401,
          code: 'err.signature.missing',
        });
        const forged = await dciPost(
          app,
          path,
          client,
          {
            ...body,
            signature: signEnvelope(
              body,
              { id: SENDER, keyId: client.keyId, privateKey: generateKeyPairSync('ed25519').privateKey },
              new Date(),
            ),
          },
          { sign: false },
        );
        expect({ path, status: forged.status, code: errorsOf(forged.body) }).toEqual({ path, status: 401, code: 'err.signature.invalid' });
        const stranger = tokenFor({ id: 'stranger', roles: [Role.System], territory: 'UA' });
        const strangerBody = { ...body, header: { ...body.header, sender_id: 'stranger' } };
        const unregistered = await dciPost(app, path, client, strangerBody, { token: stranger });
        expect({ path, status: unregistered.status, code: errorsOf(unregistered.body) }).toEqual({
          path,
          status: 403,
          code: 'err.sender_id.invalid',
        });
      }
    });

    it('a client not allowed txn-status: 403 err.request.forbidden in errors[]', async () => {
      const limited = await registerClient(app, 'conf-status-limited', sender.at('/limited'), { allowedActions: ['search'] }, 'UA');
      const body = statusBody({ attribute_type: 'transaction_id', attribute_value: 'x' });
      body.header.sender_id = limited.senderId;
      const res = await dciPost(app, '/registry/sync/txn/status', limited, body);
      expect(res.status).toBe(403);
      expect(res.body.errors).toEqual([{ code: 'err.request.forbidden', message: expect.any(String) }]);
    });
  });
});
