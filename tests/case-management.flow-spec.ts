import { CaseServiceProvidedV1, Role } from '@eisss/contracts';
import { withRnokppChecksum } from '@eisss/platform';
import { KafkaProbe, ServiceProcess, TestEnvironment, expectEventually, produceRaw, tokenFor } from '@eisss/testing';
import { randomUUID } from 'node:crypto';

const KYIV = 'UA80000000000093317';

/**
 * Social services across two processes and the broker: a status of difficult life circumstances in the
 * register (POST /persons/:id/statuses) opens a case in case-management (StatusGrantedV1, group
 * case-management.intake); the case goes through assessment, decision, plan, contract, provision and
 * closure over REST; the register's social-services view (group social-register.social-services)
 * shows the service provided.
 */
describe('case management flow', () => {
  let env: TestEnvironment;
  let register: ServiceProcess;
  let cases: ServiceProcess;
  let probe: KafkaProbe;
  const registrar = tokenFor({ id: 'registrar-1', roles: [Role.Registrar], territory: 'UA' });
  const officer = tokenFor({ id: 'officer-1', roles: [Role.Officer], territory: KYIV });
  const worker = tokenFor({ id: 'worker-1', roles: [Role.CaseWorker], territory: KYIV });
  const manager = tokenFor({ id: 'manager-1', roles: [Role.CaseManager], territory: KYIV });
  const lvivWorker = tokenFor({ id: 'worker-lviv', roles: [Role.CaseWorker], territory: 'UA46' });

  async function registerPerson(): Promise<string> {
    const days = 33123; // days since 31.12.1899, encoded in the РНОКПП
    const birthDate = new Date(Date.UTC(1899, 11, 31) + days * 86_400_000).toISOString().slice(0, 10);
    const rnokpp = withRnokppChecksum(`${days}4567`.slice(0, 9));
    const res = await register.request('POST', '/persons', {
      token: registrar,
      body: { rnokpp, lastName: 'Мельник', firstName: 'Ганна', birthDate, sex: 'female', katottg: KYIV },
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  /** Grants the status of difficult life circumstances through the register's REST API. */
  async function grantDifficultCircumstances(validFrom: string): Promise<string> {
    const personId = await registerPerson();
    const res = await register.request('POST', `/persons/${personId}/statuses`, {
      token: officer,
      body: { type: 'difficult_circumstances', validFrom, source: 'повідомлення школи', clientRequestId: randomUUID() },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ type: 'difficult_circumstances', katottg: KYIV });
    return personId;
  }

  beforeAll(async () => {
    env = await TestEnvironment.create();
    probe = await KafkaProbe.start([env.topicPrefix + CaseServiceProvidedV1.topic]);
    [register, cases] = await Promise.all([
      ServiceProcess.start('social-register', env.env('social-register')),
      ServiceProcess.start('case-management', env.env('case-management')),
    ]);
  });

  afterAll(async () => {
    await Promise.all([register?.stop(), cases?.stop()]);
    await probe?.stop();
    await env?.destroy();
  });

  it('opens a case from the register status and shows the provided service in the register when the case is worked to closure', async () => {
    // 24.12.2026: under martial law (the calendar in force) 25.12 is a working day, weekends are not.
    const personId = await grantDifficultCircumstances('2026-12-24');
    const c = await expectEventually(
      async () => {
        const res = await cases.request('GET', `/cases?personId=${personId}`, { token: worker });
        expect(res.status).toBe(200);
        expect(res.body.total).toBe(1);
        return res.body.items[0];
      },
      { timeoutMs: 30000 },
    );
    expect(c).toMatchObject({
      channel: 'register',
      status: 'open',
      requestDate: '2026-12-24',
      ruleSetVersion: 'CMU-64-2026',
      assessmentDue: '2026-12-31',
      decisionDue: '2027-01-07',
    });

    const step = async (path: string, body: unknown, token = manager, expected = 200) => {
      const res = await cases.request('POST', `/cases/${c.id}${path}`, { token, body });
      expect({ path, status: res.status, body: res.status === expected ? null : res.body }).toEqual({ path, status: expected, body: null });
      return res.body;
    };
    await step(
      '/assessment',
      { assessedOn: '2026-12-28', findings: 'single mother, two children, no income', needsIdentified: ['002.0', '007.0'] },
      worker,
    );
    await step('/decision', { decision: 'grant', decidedOn: '2026-12-29', reasons: 'difficult life circumstances confirmed' });
    await step('/plan', {
      approvedOn: '2026-12-30',
      goals: 'employment and stable housing',
      services: [
        { code: '002.0', providerId: 'cssdm-kyiv', frequency: 'weekly', periodFrom: '2027-01-04', periodTo: '2027-06-30' },
        { code: '007.0', providerId: 'cssdm-kyiv', frequency: 'twice a month', periodFrom: '2027-01-04', periodTo: '2027-06-30' },
      ],
    });
    await step('/contracts', {
      providerId: 'cssdm-kyiv',
      providerName: 'Київський ЦСССДМ',
      contractNumber: 'СП-2026-118',
      signedOn: '2026-12-30',
    });
    // Recorded later, offline, with the real date; a retry of the same client id records nothing new.
    const visit = { clientId: 'tablet-7:2027-01-05:1', serviceCode: '002.0', providedOn: '2027-01-05', durationMinutes: 60 };
    await step('/provisions', visit, worker, 201);
    await step('/provisions', visit, worker, 200);
    await step(
      '/provisions',
      { clientId: 'tablet-7:2027-01-12:1', serviceCode: '002.0', providedOn: '2027-01-12', durationMinutes: 45 },
      worker,
      201,
    );
    // The outbox may publish an event twice (crash between send and mark): the register counts it once.
    const providedTopic = env.topicPrefix + CaseServiceProvidedV1.topic;
    const first = await expectEventually(() => {
      const m = probe.on(providedTopic).find((x) => x.key === c.id);
      expect(m).toBeDefined();
      return m!;
    });
    await produceRaw(providedTopic, [{ key: c.id, value: first.value!, headers: first.headers }]);
    await step(
      '/provisions',
      { clientId: 'tablet-7:2027-01-19:1', serviceCode: '002.0', providedOn: '2027-01-19', durationMinutes: 30 },
      worker,
      201,
    );
    await expectEventually(
      async () => {
        const res = await register.request('GET', `/persons/${personId}/social-services`, { token: worker });
        expect(res.body.services[0]?.lastProvidedOn).toBe('2027-01-19');
      },
      { timeoutMs: 30000 },
    );
    await step('/closure', { closedOn: '2027-06-30', outcome: 'goals_achieved', finalEvaluation: 'employed, rents housing' });

    const view = await expectEventually(
      async () => {
        const res = await register.request('GET', `/persons/${personId}/social-services`, { token: worker });
        expect(res.status).toBe(200);
        expect(res.body.services).toHaveLength(1);
        expect(res.body.cases[0]?.status).toBe('closed');
        return res.body;
      },
      { timeoutMs: 30000 },
    );
    expect(view.services[0]).toMatchObject({
      serviceCode: '002.0',
      serviceName: 'Консультування',
      providerId: 'cssdm-kyiv',
      firstProvidedOn: '2027-01-05',
      lastProvidedOn: '2027-01-19',
      visits: 3,
    });
    expect(view.cases[0]).toMatchObject({
      caseId: c.id,
      katottg: KYIV,
      openedOn: '2026-12-24',
      closedOn: '2027-06-30',
      outcome: 'goals_achieved',
    });
    expect(probe.envelopes(env.topicPrefix + CaseServiceProvidedV1.topic).filter((e) => e.aggregateId === c.id)).toHaveLength(4);

    const self = await register.request('GET', `/persons/${personId}/social-services`, {
      token: tokenFor({ id: 'citizen', roles: [Role.Citizen], territory: 'UA', personId }),
    });
    expect(self.body.services).toHaveLength(1);
    const other = await register.request('GET', `/persons/${personId}/social-services`, { token: lvivWorker });
    expect(other.body).toMatchObject({ cases: [], services: [] });
    const stranger = await register.request('GET', `/persons/${personId}/social-services`, {
      token: tokenFor({ id: 'c2', roles: [Role.Citizen], territory: 'UA', personId: randomUUID() }),
    });
    expect(stranger.status).toBe(403);
  });
});
