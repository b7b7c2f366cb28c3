import { Role } from '@eisss/contracts';
import { ServiceApp, TestEnvironment, tokenFor } from '@eisss/testing';
import type { Client } from 'pg';
import { definition } from '../src/service.definition';
import { newPerson } from './support';

/** Service sessions in the register: identification, expiry, who may use and see them (the cross-service flow is tests/service-session.flow-spec.ts). */
describe('social-register service sessions', () => {
  let env: TestEnvironment;
  let app: ServiceApp;
  let sql: Client;
  const registrar = tokenFor({ id: 'registrar-kyiv', roles: [Role.Registrar], territory: 'UA80' });
  const lviv = tokenFor({ id: 'officer-lviv', roles: [Role.Officer], territory: 'UA46' });
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });

  beforeAll(async () => {
    env = await TestEnvironment.create();
    app = await ServiceApp.start(definition, env.env('social-register'));
    sql = await env.sql('social-register');
  });
  afterAll(async () => {
    await app?.close();
    await sql?.end();
    await env?.destroy();
  });

  async function person(): Promise<{ id: string; rnokpp: string }> {
    const body = newPerson();
    const res = await app.http().post('/persons').set(auth(registrar)).send(body);
    expect(res.status).toBe(201);
    return { id: res.body.id, rnokpp: body.rnokpp };
  }
  const open = (token: string, body: object) => app.http().post('/service-sessions').set(auth(token)).send(body);

  it('opens a session by a Diia consent, and refuses an unknown РНОКПП, a bad one, a bad purpose and a citizen', async () => {
    const p = await person();
    const res = await open(lviv, {
      identification: { method: 'diia-consent', rnokpp: p.rnokpp, consentId: 'diia-consent-42' },
      purpose: 'consultation',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      personId: p.id,
      identifiedBy: 'diia-consent',
      evidence: 'diia consent diia-consent-42',
      purpose: 'consultation',
      active: true,
    });
    const lasting = (new Date(res.body.expiresAt).getTime() - new Date(res.body.openedAt).getTime()) / 60000;
    expect(Math.round(lasting)).toBe(240);

    const unknown = await open(lviv, {
      identification: { method: 'diia-consent', rnokpp: newPerson().rnokpp, consentId: 'c' },
      purpose: 'application',
    });
    expect({ status: unknown.status, code: unknown.body.error?.code, field: unknown.body.error?.field }).toEqual({
      status: 404,
      code: 'PERSON_NOT_IDENTIFIED',
      field: 'identification.rnokpp',
    });
    const badRnokpp = await open(lviv, {
      identification: { method: 'diia-consent', rnokpp: '1234567890', consentId: 'c' },
      purpose: 'application',
    });
    expect({ status: badRnokpp.status, field: badRnokpp.body.error?.field }).toEqual({ status: 400, field: 'identification.rnokpp' });
    const badPurpose = await open(lviv, {
      identification: { method: 'diia-consent', rnokpp: p.rnokpp, consentId: 'c' },
      purpose: 'curiosity',
    });
    expect({ status: badPurpose.status, field: badPurpose.body.error?.field }).toEqual({ status: 400, field: 'purpose' });
    const tooLong = await open(lviv, {
      identification: { method: 'diia-consent', rnokpp: p.rnokpp, consentId: 'c' },
      purpose: 'application',
      expiresInMinutes: 100000,
    });
    expect({ status: tooLong.status, field: tooLong.body.error?.field }).toEqual({ status: 400, field: 'expiresInMinutes' });
    const citizen = tokenFor({ id: 'citizen', roles: [Role.Citizen], territory: 'UA', personId: p.id });
    expect(
      (await open(citizen, { identification: { method: 'diia-consent', rnokpp: p.rnokpp, consentId: 'c' }, purpose: 'application' }))
        .status,
    ).toBe(403);
    const { rows } = await sql.query(`SELECT count(*)::int AS n FROM social_register.service_session WHERE person_id = $1`, [p.id]);
    expect(rows[0].n).toBe(1);
  });

  it('opens nothing once the session has expired', async () => {
    const p = await person();
    const res = await open(lviv, {
      identification: { method: 'document', rnokpp: p.rnokpp, documentType: 'passport', documentNumber: 'КВ 123456' },
      purpose: 'status',
    });
    expect(res.status).toBe(201);
    expect(res.body.evidence).toBe('passport …456');
    const card = () => app.http().get(`/persons/${p.id}`).set(auth(lviv)).set('x-service-session', res.body.id);
    expect((await card()).status).toBe(200);
    await sql.query(
      `UPDATE social_register.service_session SET opened_at = now() - interval '2 hours', expires_at = now() - interval '1 second' WHERE id = $1`,
      [res.body.id],
    );
    const after = await card();
    expect({ status: after.status, code: after.body.error?.code }).toEqual({ status: 403, code: 'SERVICE_SESSION_INVALID' });
    const session = await app.http().get(`/service-sessions/${res.body.id}`).set(auth(lviv));
    expect(session.body).toMatchObject({ active: false, closedAt: null });
  });

  it('shows the person their sessions, and not to a citizen who is someone else', async () => {
    const p = await person();
    expect(
      (await open(lviv, { identification: { method: 'diia-consent', rnokpp: p.rnokpp, consentId: 'c-1' }, purpose: 'application' })).status,
    ).toBe(201);
    const self = tokenFor({ id: 'citizen-self', roles: [Role.Citizen], territory: 'UA', personId: p.id });
    const mine = await app.http().get(`/persons/${p.id}/service-sessions`).set(auth(self));
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ total: 1, limit: 50, offset: 0 });
    expect(mine.body.items[0]).toMatchObject({ officerId: 'officer-lviv', officeTerritory: 'UA46' });
    // Reading the sessions is a read of the person's data: it is in the trail.
    const { rows: reads } = await sql.query(
      `SELECT actor_id, purpose FROM social_register_audit.audit_log WHERE subject_id = $1 AND action = 'read'`,
      [p.id],
    );
    expect(reads).toEqual(expect.arrayContaining([{ actor_id: 'citizen-self', purpose: 'service sessions' }]));
    const other = tokenFor({ id: 'citizen-other', roles: [Role.Citizen], territory: 'UA', personId: (await person()).id });
    expect((await app.http().get(`/persons/${p.id}/service-sessions`).set(auth(other))).status).toBe(403);
  });
});
