import { ServiceApp, TestEnvironment, expectEventually } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import { DciSpec } from '../src/dci/dci-spec';
import { definition } from '../src/service.definition';
import { CallbackServer, dciHeader, dciPost, registerClient, registerPublicKey, type TestClient } from './dci-support';

/**
 * Conformance of POST /registry/unsubscribe with the DCI Social Registry API v1.0.0: requests valid
 * against paths./registry/unsubscribe.post.requestBody, acknowledgements against
 * components.responses.Response, and the on-unsubscribe callback against
 * paths./registry/on-unsubscribe.post.requestBody (UnSubscribeResponse, UnSubscribeStatusReasonCode).
 */
describe('DCI conformance: /registry/unsubscribe', () => {
  let env: TestEnvironment;
  let app: ServiceApp;
  let sender: CallbackServer;
  let client: TestClient;
  let other: TestClient;
  const spec = DciSpec.get();
  const ts = () => new Date().toISOString();

  async function subscribeOne(c: TestClient, ref: string): Promise<string> {
    const body = {
      header: dciHeader(c.senderId, 'subscribe', { sender_uri: sender.at(`/${c.senderId}/on-subscribe`) }),
      message: {
        transaction_id: `txn-${ref}`,
        subscribe_request: [
          {
            reference_id: ref,
            timestamp: ts(),
            subscribe_criteria: {
              reg_event_type: 'UPDATE',
              filter_type: 'expression',
              filter: { type: 'expression', value: { expression: { query: { last_name: ref } } } },
              notify_record_type: 'SRPerson',
            },
          },
        ],
      },
    };
    expect(spec.validateRequest('/registry/subscribe', body)).toEqual([]);
    expect((await dciPost(app, '/registry/subscribe', c, body)).body.message.ack_status).toBe('ACK');
    const cb = await expectEventually(() => {
      const x = sender.ofAction('on-subscribe').find((r) => r.body.message?.transaction_id === `txn-${ref}`);
      expect(x).toBeDefined();
      return x!;
    });
    expect(cb.specErrors).toEqual([]);
    return cb.body.message.subscribe_response[0].subscriptions[0].code;
  }

  const unsubscribeBody = (c: TestClient, transaction_id: string, codes: string[], sender_uri?: string) => ({
    header: dciHeader(c.senderId, 'unsubscribe', sender_uri ? { sender_uri } : {}),
    message: { transaction_id, timestamp: ts(), subscription_codes: codes },
  });

  async function unsubscribe(c: TestClient, transaction_id: string, codes: string[], sender_uri?: string) {
    const body = unsubscribeBody(c, transaction_id, codes, sender_uri);
    expect(spec.validateRequest('/registry/unsubscribe', body)).toEqual([]);
    const res = await dciPost(app, '/registry/unsubscribe', c, body);
    expect(res.status).toBe(200);
    expect(spec.validateAck(res.body)).toEqual([]);
    expect(res.body.message.ack_status).toBe('ACK');
    const cb = await expectEventually(() => {
      const x = sender.ofAction('on-unsubscribe').find((r) => r.body.message?.transaction_id === transaction_id);
      expect(x).toBeDefined();
      return x!;
    });
    // paths./registry/on-unsubscribe.post.requestBody: MsgHeader_V1.0.0 + UnSubscribeResponse
    expect(cb.specErrors).toEqual([]);
    expect(cb.signatureProblem).toBeNull();
    expect(cb.body.header).toMatchObject({ action: 'on-unsubscribe', sender_id: 'social-register', receiver_id: c.senderId });
    expect(cb.body.message.correlation_id).toBe(res.body.message.correlation_id);
    return { res, cb };
  }

  beforeAll(async () => {
    env = await TestEnvironment.create();
    app = await ServiceApp.start(definition, env.env('social-register'));
    sender = await CallbackServer.start();
    sender.registerKey = await registerPublicKey(app);
    client = await registerClient(app, 'conf-unsub', sender.at('/conf-unsub'));
    other = await registerClient(app, 'conf-unsub-other', sender.at('/conf-unsub-other'));
  });

  afterAll(async () => {
    await app?.close();
    await sender?.stop();
    await env?.destroy();
  });

  it('ends subscriptions and answers on-unsubscribe at header.sender_uri exactly as given, with subscription_status per code', async () => {
    const [a, b] = [await subscribeOne(client, 'u-a'), await subscribeOne(client, 'u-bb')];
    const { cb } = await unsubscribe(client, 'txn-unsub-ok', [a, b], sender.at('/conf-unsub/ns/callback/on-unsubscribe'));
    expect(cb.path).toBe('/conf-unsub/ns/callback/on-unsubscribe');
    expect(cb.body.message).toMatchObject({
      status: 'succ',
      subscription_status: [
        { code: a, status: 'unsubscribe' },
        { code: b, status: 'unsubscribe' },
      ],
    });
    expect(cb.body.message.status_reason_code).toBeUndefined();
  });

  it('answers at the registered default <callbackUri>/registry/on-unsubscribe without sender_uri', async () => {
    const code = await subscribeOne(client, 'u-default');
    const { cb } = await unsubscribe(client, 'txn-unsub-default', [code]);
    expect(cb.path).toBe('/conf-unsub/registry/on-unsubscribe');
  });

  it('rejects, in UnSubscribeStatusReasonCode, a code already ended (rjct.event.already_unsubscribed) and a code that is not the sender’s (rjct.subscription_code.invalid)', async () => {
    const mine = await subscribeOne(client, 'u-twice');
    const theirs = await subscribeOne(other, 'u-theirs');
    await unsubscribe(client, 'txn-unsub-first', [mine]);
    const again = await unsubscribe(client, 'txn-unsub-again', [mine]);
    expect(again.cb.body.message).toMatchObject({
      status: 'rjct',
      status_reason_code: 'rjct.event.already_unsubscribed',
      subscription_status: [{ code: mine, status: 'unsubscribe' }],
    });
    const foreign = await unsubscribe(client, 'txn-unsub-foreign', [theirs, `no-such-${randomUUID()}`]);
    expect(foreign.cb.body.message).toMatchObject({
      status: 'rjct',
      status_reason_code: 'rjct.subscription_code.invalid',
      subscription_status: [],
    });
    // the other client's subscription is untouched: it can still end it itself
    const own = await unsubscribe(other, 'txn-unsub-theirs', [theirs]);
    expect(own.cb.body.message).toMatchObject({ status: 'succ', subscription_status: [{ code: theirs, status: 'unsubscribe' }] });
  });

  it('answers a repeated message_id with NACK (Response) and no second callback', async () => {
    const code = await subscribeOne(client, 'u-nack');
    const body = unsubscribeBody(client, 'txn-unsub-nack', [code]);
    expect((await dciPost(app, '/registry/unsubscribe', client, body)).body.message.ack_status).toBe('ACK');
    const again = await dciPost(app, '/registry/unsubscribe', client, body);
    expect(spec.validateAck(again.body)).toEqual([]);
    expect(again.body.message.ack_status).toBe('NACK');
    await expectEventually(() =>
      expect(sender.ofAction('on-unsubscribe').filter((r) => r.body.message?.transaction_id === 'txn-unsub-nack')).toHaveLength(1),
    );
  });

  it('refuses in the DCI shapes: a sender_uri not under the registration (ERR err.sender_uri.invalid), a bad message (ERR err.request.bad), no token (401 HttpErrorResponse), an unsigned message (401)', async () => {
    const code = await subscribeOne(client, 'u-refused');
    const bad = await dciPost(
      app,
      '/registry/unsubscribe',
      client,
      unsubscribeBody(client, 'txn-unsub-bad-uri', [code], sender.at('/conf-unsub-other/on-unsubscribe')),
    );
    expect({ status: bad.status, code: bad.body.message?.error?.code }).toEqual({ status: 400, code: 'err.sender_uri.invalid' });
    expect(spec.validateAck(bad.body)).toEqual([]);
    const noCodes = await dciPost(app, '/registry/unsubscribe', client, {
      header: dciHeader(client.senderId, 'unsubscribe'),
      message: { transaction_id: 't', timestamp: ts() },
    });
    expect({ status: noCodes.status, code: noCodes.body.message?.error?.code }).toEqual({ status: 400, code: 'err.request.bad' });
    expect(noCodes.body.message.error.message).toContain('subscription_codes');
    expect(spec.validateAck(noCodes.body)).toEqual([]);
    const anonymous = await dciPost(app, '/registry/unsubscribe', client, unsubscribeBody(client, 'txn-unsub-anon', [code]), {
      token: null,
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors).toEqual([{ code: 'err.request.unauthorized', message: expect.any(String) }]);
    const unsigned = await dciPost(app, '/registry/unsubscribe', client, unsubscribeBody(client, 'txn-unsub-unsigned', [code]), {
      sign: false,
    });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.errors).toEqual([{ code: 'err.signature.missing', message: expect.any(String) }]);
    // the subscription is still active: ending it now succeeds
    const { cb } = await unsubscribe(client, 'txn-unsub-after', [code]);
    expect(cb.body.message.status).toBe('succ');
  });
});
