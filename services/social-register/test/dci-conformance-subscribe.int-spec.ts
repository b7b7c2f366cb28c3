import { Role } from '@eisss/contracts';
import { ServiceApp, TestEnvironment, expectEventually, tokenFor } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import { DciSpec } from '../src/dci/dci-spec';
import { definition } from '../src/service.definition';
import {
  CallbackServer,
  admin,
  dciHeader,
  dciPost,
  registerClient,
  registerPublicKey,
  type Received,
  type TestClient,
} from './dci-support';
import { KYIV, LVIV, newPerson } from './support';

/**
 * Conformance of POST /registry/subscribe and the notifications (/registry/notify) with the DCI Social
 * Registry API v1.0.0: every request is valid against paths./registry/subscribe.post.requestBody, every
 * acknowledgement against components.responses.Response, every callback the test callback server
 * receives against the requestBody of its callback path (/registry/on-subscribe, /registry/notify).
 */
describe('DCI conformance: /registry/subscribe and /registry/notify', () => {
  let env: TestEnvironment;
  let app: ServiceApp;
  let sender: CallbackServer;
  let client: TestClient;
  const spec = DciSpec.get();
  const ts = () => new Date().toISOString();
  const registrar = tokenFor({ id: 'registrar-1', roles: [Role.Registrar], territory: 'UA' });
  const supervisor = tokenFor({ id: 'supervisor-1', roles: [Role.Supervisor], territory: 'UA' });
  const supervisor2 = tokenFor({ id: 'supervisor-2', roles: [Role.Supervisor], territory: 'UA' });
  const SENDER = 'conf-sub';
  // The client's registered DCI base URL has a path: a sender_uri must be under it.
  const base = () => `${sender.url}/spmis`;

  const expression = (query: unknown) => ({ type: 'expression', value: { expression: { collection: 'Person', query } } });
  const item = (reference_id: string, reg_event_type: string, filter: unknown, extra: Record<string, unknown> = {}) => ({
    reference_id,
    timestamp: ts(),
    subscribe_criteria: {
      version: '1.0.0',
      reg_type: 'ns:ua:RegistryType:Social',
      reg_event_type,
      filter_type: 'expression',
      filter,
      notify_record_type: 'SRPerson',
      ...extra,
    },
  });
  const subscribeMessage = (transaction_id: string, items: unknown[], sender_uri?: string) => ({
    header: dciHeader(SENDER, 'subscribe', { total_count: items.length, ...(sender_uri ? { sender_uri } : {}) }),
    message: { transaction_id, subscribe_request: items },
  });

  async function subscribe(transaction_id: string, items: unknown[], sender_uri = `${base()}/ns/callback/on-subscribe`) {
    const body = subscribeMessage(transaction_id, items, sender_uri);
    expect(spec.validateRequest('/registry/subscribe', body)).toEqual([]);
    const res = await dciPost(app, '/registry/subscribe', client, body);
    expect(res.status).toBe(200);
    expect(spec.validateAck(res.body)).toEqual([]);
    expect(res.body.message.ack_status).toBe('ACK');
    const cb = await expectEventually(() => {
      const c = sender.ofAction('on-subscribe').find((x) => x.body.message?.transaction_id === transaction_id);
      expect(c).toBeDefined();
      return c!;
    });
    expect(cb.specErrors).toEqual([]);
    expect(cb.signatureProblem).toBeNull();
    expect(cb.body.message.correlation_id).toBe(res.body.message.correlation_id);
    return {
      cb,
      codes: Object.fromEntries(
        cb.body.message.subscribe_response
          .filter((r: any) => r.status === 'succ')
          .map((r: any) => [r.reference_id, r.subscriptions[0].code]),
      ) as Record<string, string>,
    };
  }

  async function person(overrides: Record<string, unknown> = {}) {
    const body = newPerson(overrides);
    const res = await app.http().post('/persons').set('authorization', `Bearer ${registrar}`).send(body);
    expect(res.status).toBe(201);
    return { ...body, id: res.body.id as string };
  }

  /** A child: no РНОКПП yet, an УНЗР that encodes the birth date. */
  const child = (birthDate: string) => ({
    birthDate,
    rnokpp: undefined,
    unzr: `${birthDate.replace(/-/g, '')}-${String(Math.floor(Math.random() * 100000)).padStart(5, '0')}`,
  });
  const notified = (reference: string) =>
    sender.ofAction('notify').filter((n) => n.body.message?.notify_event?.[0]?.reference_id === reference);
  const recordIds = (ns: Received[]) => ns.map((n) => n.body.message.notify_event[0].data.reg_records['@id'] as string);
  /**
   * Notifications are valid against paths./registry/notify.post.requestBody; the one deviation allowed is
   * NotifyEventRequest.notify_event.data.reg_event_type, whose enum names only REGISTER and NewHouseHoldMember
   * (the other types the issue asks for are outside it): with that value alone replaced the body is valid.
   */
  function conforms(n: Received, receiver = SENDER) {
    expect(n.signatureProblem).toBeNull();
    expect(n.path).toBe('/events/notify');
    const type = n.body.message.notify_event[0].data.reg_event_type;
    if (type === 'REGISTER' || type === 'NewHouseHoldMember') expect(n.specErrors).toEqual([]);
    else {
      expect(spec.validateSchema('NotifyEventRequest', n.body.message).map((e) => `${e.instancePath} ${e.keyword}`)).toEqual([
        '/notify_event/0/data/reg_event_type enum',
      ]);
      const asSpec = structuredClone(n.body);
      asSpec.message.notify_event[0].data.reg_event_type = 'REGISTER';
      expect(spec.validateCallback('/registry/notify', asSpec)).toEqual([]);
    }
    expect(n.body.header).toMatchObject({ action: 'notify', status: 'succ', sender_id: 'social-register', receiver_id: receiver });
  }

  beforeAll(async () => {
    env = await TestEnvironment.create();
    app = await ServiceApp.start(definition, env.env('social-register'));
    sender = await CallbackServer.start();
    sender.registerKey = await registerPublicKey(app);
    // A national client: territory UA (the subscription's territory), notifications to a registered notify URI.
    client = await registerClient(app, SENDER, `${sender.url}/spmis`, { notifyUri: `${sender.url}/events/notify` }, 'UA');
  });

  afterAll(async () => {
    await app?.close();
    await sender?.stop();
    await env?.destroy();
  });

  describe('subscribe', () => {
    it('acknowledges (Response) and answers on-subscribe at header.sender_uri exactly as given (MsgHeader_V1.0.0.sender_uri), with a SubscriptionInfo per accepted request', async () => {
      const types = ['REGISTER', 'UPDATE', 'DELETE', 'LINK', 'UNLINK', 'DEATH', 'NewHouseHoldMember'];
      const { cb } = await subscribe(
        'txn-conf-sub-1',
        [
          ...types.map((t) => item(`all-${t}`, t, expression({ location: { $eq: 'UA99' } }))),
          item('bad-type', 'LiveBirth', expression({ sex: 'male' })),
          item('bad-attr', 'REGISTER', expression({ shoe_size: { $gt: 40 } })),
        ],
        `${base()}/ns/callback/on-subscribe`,
      );
      expect(cb.path).toBe('/spmis/ns/callback/on-subscribe');
      expect(cb.specPath).toBe('/registry/on-subscribe');
      expect(cb.body.header).toMatchObject({ action: 'on-subscribe', status: 'succ', total_count: 9, completed_count: 9 });
      const byRef = Object.fromEntries(cb.body.message.subscribe_response.map((r: any) => [r.reference_id, r]));
      for (const t of types) {
        expect(byRef[`all-${t}`]).toMatchObject({
          status: 'succ',
          subscriptions: [{ status: 'subscribe', reg_event_type: t, filter_type: 'expression' }],
        });
        expect(spec.validateSchema('SubscriptionInfo', byRef[`all-${t}`].subscriptions[0])).toEqual([]);
      }
      // SubscribeStatusReasonCode
      expect(byRef['bad-type']).toMatchObject({ status: 'rjct', status_reason_code: 'rjct.notify_types.invalid' });
      expect(byRef['bad-attr']).toMatchObject({ status: 'rjct', status_reason_code: 'rjct.notify_details.invalid' });
      expect(byRef['bad-attr'].status_reason_message).toContain('shoe_size');
    });

    it('answers on-subscribe at the registered default <callbackUri>/registry/on-subscribe when the request has no sender_uri ("Default uri … configured … at onboarding")', async () => {
      const body = subscribeMessage('txn-conf-sub-default', [item('default-uri', 'REGISTER', expression({ location: 'UA98' }))]);
      expect(spec.validateRequest('/registry/subscribe', body)).toEqual([]);
      const res = await dciPost(app, '/registry/subscribe', client, body);
      expect(res.body.message.ack_status).toBe('ACK');
      const cb = await expectEventually(() => {
        const c = sender.ofAction('on-subscribe').find((x) => x.body.message?.transaction_id === 'txn-conf-sub-default');
        expect(c).toBeDefined();
        return c!;
      });
      expect(cb.path).toBe('/spmis/registry/on-subscribe');
      expect(cb.specErrors).toEqual([]);
    });

    it('refuses a sender_uri that is not under the registered callback address (err.sender_uri.invalid) and stores nothing', async () => {
      for (const uri of [
        `${sender.url}/elsewhere/on-subscribe`,
        `${sender.url}/spmisx/on-subscribe`,
        'https://attacker.example.org/spmis/on-subscribe',
        `${base()}/on-subscribe?to=x`,
      ]) {
        const res = await dciPost(
          app,
          '/registry/subscribe',
          client,
          subscribeMessage(`txn-bad-uri-${randomUUID()}`, [item('bad-uri', 'REGISTER', expression({ sex: 'male' }))], uri),
        );
        expect({ uri, status: res.status, code: res.body.message?.error?.code }).toEqual({
          uri,
          status: 400,
          code: 'err.sender_uri.invalid',
        });
        expect(spec.validateAck(res.body)).toEqual([]);
      }
    });

    it('keeps the same subscription once (rjct.event.already_subscribed) and a reference_id once (rjct.reference_id.duplicate)', async () => {
      const filter = expression({ location: 'UA97' });
      await subscribe('txn-conf-dup-1', [item('dup-1', 'UPDATE', filter)]);
      const { cb } = await subscribe('txn-conf-dup-2', [item('dup-2', 'UPDATE', filter), item('dup-1', 'DEATH', filter)]);
      const [same, ref] = cb.body.message.subscribe_response;
      expect(same).toMatchObject({ reference_id: 'dup-2', status: 'rjct', status_reason_code: 'rjct.event.already_subscribed' });
      expect(ref).toMatchObject({ reference_id: 'dup-1', status: 'rjct', status_reason_code: 'rjct.reference_id.duplicate' });
    });
  });

  describe('the notify URI registered for the subscriber', () => {
    it('is kept by the administrator (validated like the callback address) and, cleared, falls back to <callbackUri>/registry/notify', async () => {
      const c = await registerClient(app, 'conf-sub-notify', `${sender.url}/nt`, {}, 'UA');
      const got = await app.http().get(`/dci/clients/${c.id}`).set('authorization', `Bearer ${admin}`);
      expect(got.body).toMatchObject({ callbackUri: `${sender.url}/nt`, notifyUri: null });
      const bad = await app
        .http()
        .patch(`/dci/clients/${c.id}`)
        .set('authorization', `Bearer ${admin}`)
        .send({ notifyUri: 'ftp://example.org/notify' });
      expect({ status: bad.status, code: bad.body.error?.code, field: bad.body.error?.field }).toEqual({
        status: 400,
        code: 'DCI_CLIENT_CALLBACK_INVALID',
        field: 'notifyUri',
      });
      const set = await app
        .http()
        .patch(`/dci/clients/${c.id}`)
        .set('authorization', `Bearer ${admin}`)
        .send({ notifyUri: `${sender.url}/nt-events/in` });
      expect(set.body.notifyUri).toBe(`${sender.url}/nt-events/in`);
      const surname = `Повідомленко${Date.now() % 100000}`;
      const sub = {
        header: dciHeader(c.senderId, 'subscribe'),
        message: {
          transaction_id: 'txn-conf-notify-uri',
          subscribe_request: [item('nt-1', 'REGISTER', expression({ last_name: surname }))],
        },
      };
      expect((await dciPost(app, '/registry/subscribe', c, sub)).body.message.ack_status).toBe('ACK');
      await expectEventually(() =>
        expect(sender.on('/nt/registry/on-subscribe').map((x) => x.body.message.transaction_id)).toContain('txn-conf-notify-uri'),
      );
      await person({ lastName: surname });
      await expectEventually(() =>
        expect(sender.on('/nt-events/in').filter((x) => x.body.message.notify_event[0].reference_id === 'nt-1')).toHaveLength(1),
      );
      const cleared = await app.http().patch(`/dci/clients/${c.id}`).set('authorization', `Bearer ${admin}`).send({ notifyUri: null });
      expect(cleared.body.notifyUri).toBeNull();
      await person({ lastName: surname });
      await expectEventually(() =>
        expect(sender.on('/nt/registry/notify').filter((x) => x.body.message.notify_event[0].reference_id === 'nt-1')).toHaveLength(1),
      );
      for (const n of sender.received.filter((x) => x.body.message?.notify_event?.[0]?.reference_id === 'nt-1'))
        expect(n.specErrors).toEqual([]);
    });
  });

  describe('purpose-limited notifications (subscribe_criteria.authorize.purpose.code, the client’s purposeAttributes)', () => {
    it('refuses a subscription without one of the client’s purposes (rjct.notify_details.invalid) and notifies only the attributes its purpose allows', async () => {
      const limited = await registerClient(
        app,
        'conf-sub-purpose',
        `${sender.url}/purpose`,
        { notifyUri: `${sender.url}/events/notify`, purposeAttributes: { eligibility: ['name', 'birth_date'] } },
        'UA',
      );
      const surname = `Ціленко${Date.now() % 100000}`;
      const items = [
        item('p-none', 'REGISTER', expression({ last_name: surname })),
        item('p-other', 'REGISTER', expression({ last_name: surname }), { authorize: { purpose: { code: 'marketing' } } }),
        item('p-ok', 'REGISTER', expression({ last_name: surname }), { authorize: { purpose: { code: 'eligibility' } } }),
        // A filter on what the purpose may not see (the sex) would let the notifications reveal it.
        item('p-beyond', 'REGISTER', expression({ last_name: surname, gender: 'female' }), {
          authorize: { purpose: { code: 'eligibility' } },
        }),
      ];
      const body = {
        header: dciHeader(limited.senderId, 'subscribe', { total_count: 4, sender_uri: `${sender.url}/purpose/on-subscribe` }),
        message: { transaction_id: 'txn-conf-purpose', subscribe_request: items },
      };
      expect(spec.validateRequest('/registry/subscribe', body)).toEqual([]);
      expect((await dciPost(app, '/registry/subscribe', limited, body)).body.message.ack_status).toBe('ACK');
      const cb = await expectEventually(() => {
        const c = sender.ofAction('on-subscribe').find((x) => x.body.message?.transaction_id === 'txn-conf-purpose');
        expect(c).toBeDefined();
        return c!;
      });
      expect(cb.specErrors).toEqual([]);
      expect(cb.body.message.subscribe_response.map((r: any) => [r.reference_id, r.status, r.status_reason_code])).toEqual([
        ['p-none', 'rjct', 'rjct.notify_details.invalid'],
        ['p-other', 'rjct', 'rjct.notify_details.invalid'],
        ['p-ok', 'succ', undefined],
        ['p-beyond', 'rjct', 'rjct.notify_details.invalid'],
      ]);
      const p = await person({ lastName: surname });
      const n = await expectEventually(() => {
        const x = notified('p-ok');
        expect(x).toHaveLength(1);
        return x[0]!;
      });
      conforms(n, limited.senderId);
      const record = n.body.message.notify_event[0].data.reg_records;
      expect(record).toMatchObject({ '@id': `urn:eisss:social-register:person:${p.id}`, name: { surname }, birth_date: p.birthDate });
      expect(record.identifier).toEqual([{ '@type': 'Identifier', identifier_type: 'ID', identifier_value: p.id }]);
      for (const hidden of ['sex', 'address', 'phone_number', 'email', 'additional_attributes']) expect(record[hidden]).toBeUndefined();
    });
  });

  describe('notify of each event type, filtered on the search attributes', () => {
    it('REGISTER: notifies the subscriptions whose filter holds ($and, $or, $not, comparisons on age, gender, location), an SRPerson per person', async () => {
      const surname = `Підписенко${Date.now() % 100000}`;
      const { codes } = await subscribe('txn-conf-register', [
        // gender and age and location
        item(
          'reg-men-kyiv',
          'REGISTER',
          expression({ $and: [{ gender: { $eq: 'male' } }, { age: { $ge: 18 } }, { location: { $eq: 'UA80' } }] }),
        ),
        // $or of a surname and a birth date
        item('reg-or', 'REGISTER', expression({ $or: [{ last_name: { $eq: surname } }, { birth_date: { $gt: '2020-01-01' } }] })),
        // $not: anywhere but Kyiv, women only
        item('reg-not-kyiv', 'REGISTER', expression({ $and: [{ $not: { location: 'UA80' } }, { gender: 'female' }] })),
        // a predicate filter (SubscriptionInfo.filter anyOf/2): born after 2018 (an integer attribute_value
        // cannot be valid there: it matches both `integer` and `number` of the value's oneOf)
        item(
          'reg-pred',
          'REGISTER',
          [{ seq_num: 1, expression1: { attribute_name: 'birth_date', operator: 'gt', attribute_value: '2018-01-01' } }],
          { filter_type: 'predicate' },
        ),
      ]);
      expect(Object.keys(codes).sort()).toEqual(['reg-men-kyiv', 'reg-not-kyiv', 'reg-or', 'reg-pred']);
      const man = await person({ sex: 'male' });
      const named = await person({ lastName: surname });
      const lviv = await person({ katottg: LVIV, registeredAddress: 'м. Львів, пл. Ринок, 1' });
      const kid = await person(child('2019-06-01'));
      await expectEventually(() => {
        expect(recordIds(notified('reg-men-kyiv'))).toEqual([`urn:eisss:social-register:person:${man.id}`]);
        expect(recordIds(notified('reg-or'))).toEqual([`urn:eisss:social-register:person:${named.id}`]);
        expect(recordIds(notified('reg-not-kyiv'))).toEqual([`urn:eisss:social-register:person:${lviv.id}`]);
        expect(recordIds(notified('reg-pred'))).toEqual([`urn:eisss:social-register:person:${kid.id}`]);
      });
      const n = notified('reg-men-kyiv')[0]!;
      conforms(n);
      expect(spec.validateSchema('NotifyEventRequest', n.body.message)).toEqual([]);
      expect(n.body.message.transaction_id).toBe('txn-conf-register');
      expect(n.body.message.notify_event[0].data).toMatchObject({
        reg_type: 'ns:ua:RegistryType:Social',
        reg_event_type: 'REGISTER',
        reg_record_type: 'SRPerson',
      });
      expect(n.body.message.notify_event[0].data.reg_records.identifier).toContainEqual({
        '@type': 'Identifier',
        identifier_type: 'RNOKPP',
        identifier_value: man.rnokpp,
      });
    });

    it('UPDATE and DEATH: a change of a person’s data (person.updated) and a recorded death (person.died)', async () => {
      const { codes } = await subscribe('txn-conf-update', [
        item('upd-kyiv', 'UPDATE', expression({ location: 'UA80' })),
        item('death-women', 'DEATH', expression({ gender: 'female' })),
      ]);
      expect(Object.keys(codes).sort()).toEqual(['death-women', 'upd-kyiv']);
      const p = await person();
      const cr = await app
        .http()
        .post(`/persons/${p.id}/change-requests`)
        .set('authorization', `Bearer ${registrar}`)
        .send({ changes: { deathDate: '2026-11-20' }, reason: 'довідка ДРАЦС', source: 'ДРАЦС' });
      expect(cr.status).toBe(201);
      await app.http().post(`/change-requests/${cr.body.id}/approve`).set('authorization', `Bearer ${supervisor}`).send({}).expect(200);
      const [upd, death] = await expectEventually(() => {
        const u = notified('upd-kyiv').filter((n) => n.body.message.notify_event[0].data.reg_records['@id'].endsWith(p.id));
        const d = notified('death-women').filter((n) => n.body.message.notify_event[0].data.reg_records['@id'].endsWith(p.id));
        expect([u.length, d.length]).toEqual([1, 1]);
        return [u[0]!, d[0]!];
      });
      for (const n of [upd, death]) conforms(n);
      expect(upd.body.message.notify_event[0].data.reg_event_type).toBe('UPDATE');
      expect(death.body.message.notify_event[0].data).toMatchObject({ reg_event_type: 'DEATH', reg_records: { death_date: '2026-11-20' } });
    });

    it('DELETE: the merged-away record of a merge of duplicates (person.merged), naming its survivor', async () => {
      await subscribe('txn-conf-delete', [item('del-all', 'DELETE', expression({ location: 'UA' }))]);
      const survivor = await person();
      const merged = await person();
      const req = await app
        .http()
        .post(`/persons/${merged.id}/merge`)
        .set('authorization', `Bearer ${supervisor}`)
        .send({ survivorPersonId: survivor.id, reason: 'один і той самий паспорт' });
      expect(req.status).toBe(202);
      await app.http().post(`/approvals/${req.body.id}/approve`).set('authorization', `Bearer ${supervisor2}`).send({}).expect(200);
      const n = await expectEventually(() => {
        const x = notified('del-all');
        expect(recordIds(x)).toEqual([`urn:eisss:social-register:person:${merged.id}`]);
        return x[0]!;
      });
      conforms(n);
      expect(n.body.message.notify_event[0].data.reg_event_type).toBe('DELETE');
      expect(n.body.message.notify_event[0].data.reg_records.additional_attributes).toContainEqual({
        merged_into: `urn:eisss:social-register:person:${survivor.id}`,
      });
    });

    it('LINK, NewHouseHoldMember and UNLINK: household membership (household.changed), an SRGroup filtered on group_size and the member’s attributes', async () => {
      const { codes } = await subscribe('txn-conf-link', [
        item('link-big', 'LINK', expression({ group_size: { $ge: 2 } }), { notify_record_type: 'SRGroup' }),
        item('link-kids', 'LINK', expression({ age: { $lt: 18 } }), { notify_record_type: 'SRGroup' }),
        item('spec-new-member', 'NewHouseHoldMember', expression({ location: 'UA80' }), { notify_record_type: 'SRGroup' }),
        item('unlink-any', 'UNLINK', expression({ location: 'UA80' }), { notify_record_type: 'SRGroup' }),
      ]);
      expect(Object.keys(codes)).toHaveLength(4);
      const [head, partner, kid, alone] = [
        await person(),
        await person({ sex: 'male' }),
        await person(child('2015-03-01')),
        await person(),
      ];
      const household = await app
        .http()
        .post('/households')
        .set('authorization', `Bearer ${registrar}`)
        .send({
          katottg: KYIV,
          members: [
            { personId: head.id, role: 'head', joinedOn: '2026-01-01' },
            { personId: partner.id, role: 'recipient', joinedOn: '2026-01-01' },
          ],
        });
      expect(household.status).toBe(201);
      const single = await app
        .http()
        .post('/households')
        .set('authorization', `Bearer ${registrar}`)
        .send({ katottg: KYIV, members: [{ personId: alone.id, role: 'head', joinedOn: '2026-01-01' }] });
      expect(single.status).toBe(201);
      await app
        .http()
        .post(`/households/${household.body.id}/members`)
        .set('authorization', `Bearer ${registrar}`)
        .send({ personId: kid.id, role: 'dependant', joinedOn: '2026-02-01' })
        .expect(201);
      await app
        .http()
        .post(`/households/${household.body.id}/members/${partner.id}/leave`)
        .set('authorization', `Bearer ${registrar}`)
        .send({ leftOn: '2026-06-30' })
        .expect(201);
      const hh = `urn:eisss:social-register:household:${household.body.id}`;
      await expectEventually(() => {
        // created (2 members) and the kid joining (3): both big; the single household is not
        expect(recordIds(notified('link-big'))).toEqual([hh, hh]);
        // only the kid's joining matches age < 18
        expect(notified('link-kids').map((n) => n.body.message.notify_event[0].data.reg_records.additional_attributes[0])).toEqual([
          { linked_member_ids: [kid.id] },
        ]);
        expect(recordIds(notified('spec-new-member')).sort()).toEqual(
          [hh, hh, `urn:eisss:social-register:household:${single.body.id}`].sort(),
        );
        expect(notified('unlink-any').map((n) => n.body.message.notify_event[0].data.reg_records.additional_attributes[0])).toEqual([
          { unlinked_member_ids: [partner.id] },
        ]);
      });
      for (const n of [...notified('link-big'), ...notified('spec-new-member'), ...notified('unlink-any')]) conforms(n);
      const unlink = notified('unlink-any')[0]!.body.message.notify_event[0].data;
      expect(unlink).toMatchObject({
        reg_event_type: 'UNLINK',
        reg_record_type: 'SRGroup',
        reg_records: { '@type': 'Group', group_type: 'household', group_size: 2, address: { admin_area_code: KYIV } },
      });
      expect(unlink.reg_records.member_list.find((m: any) => m['@id'].endsWith(partner.id)).additional_attributes).toContainEqual({
        left_on: '2026-06-30',
      });
      // the spec's own event type conforms fully
      expect(notified('spec-new-member')[0]!.specErrors).toEqual([]);
    });
  });
});
