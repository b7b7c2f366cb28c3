import { Role } from '@eisss/contracts';
import { ServiceProcess, TestEnvironment, expectEventually, tokenFor } from '@eisss/testing';
import { FLOW_TOKENS, awaitProjected, diiaApplication, grantManually, ok, registerIdpFamily, type Family } from './support/idp-family';

/** A community of Lviv oblast (КАТОТТГ), where the family now lives. */
const LVIV = 'UA46060250010015970';

/**
 * «Єдине вікно» (issue 10, item 6): a person registered in Kyiv is served by an office in Lviv. The Lviv
 * officer cannot browse or search Kyiv's people; with the person present (РНОКПП and a checked
 * document) the officer opens a service session and, within it, reads the person's records and files
 * the application, which Lviv decides; the person's "who looked at my data" shows the session and the
 * reads in it, and the Kyiv office sees that Lviv served its person.
 */
describe('serving a person registered in another oblast', () => {
  let env: TestEnvironment;
  let register: ServiceProcess;
  let processing: ServiceProcess;
  let verification: ServiceProcess;
  let family: Family;
  let sessionId: string;
  const { registrar, officer: kyivOfficer } = FLOW_TOKENS;
  const lvivOfficer = tokenFor({ id: 'officer-lviv', roles: [Role.Officer], territory: 'UA46' });
  const lvivSupervisor = tokenFor({ id: 'supervisor-lviv', roles: [Role.Supervisor], territory: 'UA46' });
  const otherLvivOfficer = tokenFor({ id: 'officer-lviv-2', roles: [Role.Officer], territory: 'UA46' });
  const inSession = () => ({ 'x-service-session': sessionId });

  beforeAll(async () => {
    env = await TestEnvironment.create();
    [register, processing, verification] = await Promise.all([
      ServiceProcess.start('social-register', env.env('social-register')),
      ServiceProcess.start('social-processing', env.env('social-processing')),
      ServiceProcess.start('verification', env.env('verification')),
    ]);
    family = await registerIdpFamily(register, registrar);
    await awaitProjected(env, processing, kyivOfficer, [family.mother.id, family.son.id, family.daughter.id], 4);
  });

  afterAll(async () => {
    await Promise.all([register?.stop(), processing?.stop(), verification?.stop()]);
    await env?.destroy();
  });

  it("refuses the Lviv officer Kyiv's person without a session, and finds nobody of Kyiv by search", async () => {
    const card = await register.request('GET', `/persons/${family.mother.id}`, { token: lvivOfficer });
    expect({ status: card.status, code: card.body?.error?.code }).toEqual({ status: 403, code: 'TERRITORY_FORBIDDEN' });
    const search = await register.request('GET', `/persons?lastName=${encodeURIComponent('Шевчук')}`, { token: lvivOfficer });
    expect(search.status).toBe(200);
    expect(search.body.total).toBe(0);
  });

  it('opens a service session on the person present with a document, and refuses incomplete identification', async () => {
    const incomplete = await register.request('POST', '/service-sessions', {
      token: lvivOfficer,
      body: { identification: { method: 'document', rnokpp: family.mother.rnokpp, documentType: 'id-card' }, purpose: 'application' },
    });
    expect({ status: incomplete.status, code: incomplete.body?.error?.code, field: incomplete.body?.error?.field }).toEqual({
      status: 400,
      code: 'IDENTIFICATION_INCOMPLETE',
      field: 'identification.documentNumber',
    });
    const session = ok(
      await register.request('POST', '/service-sessions', {
        token: lvivOfficer,
        body: {
          identification: { method: 'document', rnokpp: family.mother.rnokpp, documentType: 'id-card', documentNumber: '001234567' },
          purpose: 'application',
          expiresInMinutes: 60,
        },
      }),
      201,
    );
    expect(session).toMatchObject({
      personId: family.mother.id,
      officerId: 'officer-lviv',
      officeTerritory: 'UA46',
      purpose: 'application',
      identifiedBy: 'document',
      evidence: 'id-card …567',
      active: true,
    });
    expect(JSON.stringify(session)).not.toContain('001234567');
    sessionId = session.id;
  });

  it("reads the person's records within the session, but still cannot list or search other people, and nobody else may use the session", async () => {
    const card = ok(await register.request('GET', `/persons/${family.mother.id}`, { token: lvivOfficer, headers: inSession() }));
    expect(card).toMatchObject({ id: family.mother.id, lastName: 'Шевчук' });
    const statuses = ok(
      await register.request('GET', `/persons/${family.mother.id}/statuses`, { token: lvivOfficer, headers: inSession() }),
    );
    expect(statuses.items.map((s: { type: string }) => s.type)).toEqual(['idp']);
    // The session is on the mother only, and lists stay scoped by territory.
    const son = await register.request('GET', `/persons/${family.son.id}`, { token: lvivOfficer, headers: inSession() });
    expect(son.status).toBe(403);
    const search = ok(
      await register.request('GET', `/persons?lastName=${encodeURIComponent('Шевчук')}`, { token: lvivOfficer, headers: inSession() }),
    );
    expect(search.total).toBe(0);
    const stolen = await register.request('GET', `/persons/${family.mother.id}`, { token: otherLvivOfficer, headers: inSession() });
    expect({ status: stolen.status, code: stolen.body?.error?.code }).toEqual({ status: 403, code: 'SERVICE_SESSION_INVALID' });
    const malformed = await register.request('GET', `/persons/${family.mother.id}`, {
      token: lvivOfficer,
      headers: { 'x-service-session': 'not-a-session' },
    });
    expect({ status: malformed.status, code: malformed.body?.error?.code }).toEqual({ status: 400, code: 'SERVICE_SESSION_INVALID' });
  });

  it('files the application in Lviv, which verifies and decides it (maker-checker) end to end', async () => {
    const app = ok(
      await processing.request('POST', '/applications', {
        token: lvivOfficer,
        body: diiaApplication(family, '2026-11-20', { channel: 'office', katottg: LVIV }),
      }),
      201,
    );
    expect(app).toMatchObject({ channel: 'office', katottg: LVIV, applicantPersonId: family.mother.id });
    ok(
      await register.request('PATCH', `/service-sessions/${sessionId}`, {
        token: lvivOfficer,
        body: { reference: { type: 'application', id: app.id } },
      }),
    );
    await grantManually(processing, app.id, lvivOfficer, lvivSupervisor);
    const decided = await expectEventually(async () => {
      const res = ok(await processing.request('GET', `/applications/${app.id}`, { token: lvivOfficer }));
      expect(res.decisions[0].status).toBe('granted');
      return res;
    });
    expect(decided.decisions[0]).toMatchObject({ programmeCode: 'idp-living-allowance', status: 'granted' });
  });

  it('shows the person the session and the reads in it, and the Kyiv office that Lviv served its person', async () => {
    const citizen = tokenFor({ id: 'citizen-mother', roles: [Role.Citizen], territory: 'UA', personId: family.mother.id });
    const log = ok(await register.request('GET', `/persons/${family.mother.id}/access-log?limit=100`, { token: citizen }));
    const lviv = (log.items as { actorId: string; action: string; purpose: string }[]).filter((i) => i.actorId === 'officer-lviv');
    expect(lviv.map((i) => i.action)).toEqual(expect.arrayContaining(['service-session.opened', 'read']));
    expect(lviv.find((i) => i.action === 'read' && i.purpose.startsWith('person card'))?.purpose).toContain(
      `[service session ${sessionId}: application at office UA46]`,
    );
    const kyiv = ok(await register.request('GET', `/persons/${family.mother.id}/service-sessions`, { token: kyivOfficer }));
    expect(kyiv.items).toEqual([
      expect.objectContaining({
        id: sessionId,
        officerId: 'officer-lviv',
        officeTerritory: 'UA46',
        reference: { type: 'application', id: expect.any(String) },
      }),
    ]);
    // The serving office cannot list the person's sessions by browsing: it is not the home office.
    expect((await register.request('GET', `/persons/${family.mother.id}/service-sessions`, { token: lvivOfficer })).status).toBe(403);
  });

  it('ends the session when the officer closes it: its id then opens nothing', async () => {
    const closed = ok(await register.request('POST', `/service-sessions/${sessionId}/close`, { token: lvivOfficer }));
    expect(closed).toMatchObject({ active: false });
    const after = await register.request('GET', `/persons/${family.mother.id}`, { token: lvivOfficer, headers: inSession() });
    expect({ status: after.status, code: after.body?.error?.code }).toEqual({ status: 403, code: 'SERVICE_SESSION_INVALID' });
    const again = await register.request('POST', `/service-sessions/${sessionId}/close`, { token: lvivOfficer });
    expect({ status: again.status, code: again.body?.error?.code }).toEqual({ status: 409, code: 'SERVICE_SESSION_CLOSED' });
  });
});
