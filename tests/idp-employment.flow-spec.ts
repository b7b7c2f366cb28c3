import { AssignmentChangedV2, AssignmentGrantedV2, EmploymentCentreRegistrationChangedV1, type PayloadOf, Role } from '@eisss/contracts';
import { KafkaProbe, ServiceProcess, TestEnvironment, expectEventually, publishEvent, tokenFor } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { KYIV, ORIGIN, PROGRAMME, awaitProjected, grantManually, rnokppFor, FLOW_TOKENS, ok } from './support/idp-family';

/**
 * Issue 9, "done when": the employment duty of the IDP allowance (КМУ № 332), with social-register,
 * social-processing and verification as processes over real Kafka and Postgres. A mother displaced from
 * Donetsk oblast with her son applies in Diia on 2026-05-11 and is granted 5 000 UAH a month for
 * 2026-05 … 2026-10. She is able-bodied and takes no step into employment within 3 months (by 2026-08-11):
 * the daily check of 2026-08-12 stops her share from 2026-09 (the son's 3 000 UAH go on). She registers at
 * the employment centre on 2026-10-05, within the term: the check restores her share from 2026-10 (from
 * 26.08.2025). Every outcome is read over HTTP and Kafka.
 */
describe('IDP employment duty flow', () => {
  let env: TestEnvironment;
  let register: ServiceProcess;
  let processing: ServiceProcess;
  let verification: ServiceProcess;
  let probe: KafkaProbe;
  let mother: { id: string; rnokpp: string };
  let son: { id: string };
  let assignmentId: string;
  const job = tokenFor({ id: 'employment-check-job', roles: [Role.System], territory: 'UA' });
  const { registrar, officer, supervisor, diia } = FLOW_TOKENS;
  const topic = (c: { topic: string }) => env.topicPrefix + c.topic;
  const card = async () => ok(await processing.request('GET', `/assignments/${assignmentId}`, { token: officer }));
  const changed = (version: number) =>
    expectEventually(
      () => {
        const e = probe
          .envelopes<PayloadOf<typeof AssignmentChangedV2>>(topic(AssignmentChangedV2))
          .find((x) => x.payload.assignment.assignmentId === assignmentId && x.payload.assignment.version === version);
        expect(e).toBeDefined();
        return e!.payload;
      },
      { timeoutMs: 40000 },
    );

  async function person(lastName: string, firstName: string, birthDate: string, sex: 'male' | 'female', serial: number) {
    const rnokpp = rnokppFor(birthDate, serial, sex);
    const res = ok(
      await register.request('POST', '/persons', {
        token: registrar,
        body: {
          rnokpp,
          lastName,
          firstName,
          birthDate,
          sex,
          katottg: KYIV,
          registeredAddress: 'м. Київ, вул. Велика Васильківська, 5, кв. 12',
        },
      }),
      201,
    );
    return { id: res.id as string, rnokpp };
  }
  async function idpStatus(personId: string, n: string) {
    ok(
      await register.request('POST', `/persons/${personId}/statuses`, {
        token: registrar,
        body: {
          clientRequestId: randomUUID(),
          type: 'idp',
          validFrom: '2026-01-15',
          source: 'ЄІБД ВПО',
          reason: 'довідка про взяття на облік ВПО',
          details: { certificateNumber: `8000-00${n}`, certificateDate: '2026-01-15', originKatottg: ORIGIN },
        },
      }),
      201,
    );
  }

  beforeAll(async () => {
    env = await TestEnvironment.create();
    probe = await KafkaProbe.start([AssignmentGrantedV2, AssignmentChangedV2].map(topic));
    [register, processing, verification] = await Promise.all([
      ServiceProcess.start('social-register', env.env('social-register')),
      ServiceProcess.start('social-processing', env.env('social-processing')),
      ServiceProcess.start('verification', env.env('verification')),
    ]);
  });

  afterAll(async () => {
    if (process.env.FLOW_LOG_DIR)
      for (const p of [register, processing, verification])
        if (p) writeFileSync(`${process.env.FLOW_LOG_DIR}/idp-employment.${p.service}.log`, p.logs());
    await Promise.all([register?.stop(), processing?.stop(), verification?.stop()]);
    await probe?.stop();
    await env?.destroy();
  });

  it('grants the mother and her son 5 000 UAH a month for 2026-05 … 2026-10', async () => {
    const serial = 100 + Math.floor(Math.random() * 800);
    mother = await person('Бондар', 'Ірина', '1990-02-11', 'female', serial);
    son = await person('Бондар', 'Максим', '2013-07-30', 'male', serial + 1);
    ok(
      await register.request('POST', '/households', {
        token: registrar,
        body: {
          katottg: KYIV,
          address: 'м. Київ, вул. Велика Васильківська, 5, кв. 12',
          clientRequestId: `hh-${mother.id}`,
          members: [
            { personId: mother.id, role: 'head', joinedOn: '2026-01-15' },
            { personId: son.id, role: 'dependant', joinedOn: '2026-01-15' },
          ],
        },
      }),
      201,
    );
    await idpStatus(mother.id, '02345671');
    await idpStatus(son.id, '02345672');
    await awaitProjected(env, processing, officer, [mother.id, son.id], 2, 0);

    const app = ok(
      await processing.request('POST', '/applications', {
        token: diia,
        body: {
          clientRequestId: `diia-${randomUUID()}`,
          channel: 'diia',
          applicantPersonId: mother.id,
          applicantRnokpp: mother.rnokpp,
          katottg: KYIV,
          receivedOn: '2026-05-11',
          programmeCodes: [PROGRAMME],
          household: {
            members: [
              { personId: mother.id, role: 'applicant', relation: 'self' },
              { personId: son.id, role: 'member', relation: 'child' },
            ],
          },
          consents: [
            { type: 'personal-data-processing', givenOn: '2026-05-11' },
            { type: 'registers-check', givenOn: '2026-05-11' },
          ],
        },
      }),
      201,
    );
    await grantManually(processing, app.id, officer, supervisor);
    const granted = await expectEventually(
      () => {
        const e = probe
          .envelopes<PayloadOf<typeof AssignmentGrantedV2>>(topic(AssignmentGrantedV2))
          .find((x) => x.payload.assignment.applicationId === app.id);
        expect(e).toBeDefined();
        return e!.payload.assignment;
      },
      { timeoutMs: 40000 },
    );
    assignmentId = granted.assignmentId;
    expect(granted).toMatchObject({ periodFrom: '2026-05', periodTo: '2026-10', recipientPersonId: mother.id });
    expect(granted.months.map((m) => m.amountKopiyky)).toEqual(Array(6).fill('500000'));
  });

  it('changes nothing on the last day of the 3 months (2026-08-11)', async () => {
    const res = ok(await processing.request('POST', '/assignments/employment-check?on=2026-08-11', { token: job }));
    expect(res).toMatchObject({ on: '2026-08-11', checked: 1, changed: 0, items: [] });
    expect((await card()).version).toBe(1);
  });

  it("stops the mother's share from 2026-09 the day after, citing the clause; the son's share goes on", async () => {
    const res = ok(await processing.request('POST', '/assignments/employment-check?on=2026-08-12', { token: job }));
    expect(res.items).toEqual([
      expect.objectContaining({
        assignmentId,
        version: 2,
        changes: [expect.objectContaining({ personId: mother.id, change: 'stop', fromMonth: '2026-09', deadline: '2026-08-11' })],
      }),
    ]);
    const stop = await changed(2);
    expect(stop.reason!.code).toBe('EMPLOYMENT_DUTY_STOP');
    expect(stop.reason!.text).toContain('КМУ від 20.03.2022 № 332');
    expect(stop.effectiveFrom).toBe('2026-09');
    expect(stop.differences).toEqual(
      ['2026-09', '2026-10'].map((month) => ({ month, previousKopiyky: '500000', newKopiyky: '300000', differenceKopiyky: '-200000' })),
    );
    expect(stop.assignment.months.map((m) => m.amountKopiyky)).toEqual(['500000', '500000', '500000', '500000', '300000', '300000']);
    // Run again (the daily job repeats): nothing more.
    expect(ok(await processing.request('POST', '/assignments/employment-check?on=2026-08-12', { token: officer }))).toMatchObject({
      changed: 0,
    });
    const c = await card();
    expect(c.version).toBe(2);
    expect(JSON.stringify(c.explanation)).toContain('idp.employment-check');
  });

  it('restores her share from 2026-10 once the employment centre registers her on 2026-10-05, within the term', async () => {
    await publishEvent(
      env.topicPrefix,
      EmploymentCentreRegistrationChangedV1,
      {
        recordId: 'dcz-kyiv-2026-004417',
        personId: mother.id,
        change: 'registered',
        registrationKind: 'unemployed',
        effectiveOn: '2026-10-05',
        centreCode: 'kyiv-pechersk',
      },
      mother.id,
    );
    // The check is idempotent: repeated until processing has consumed the registration.
    await expectEventually(
      async () => {
        ok(await processing.request('POST', '/assignments/employment-check?on=2026-10-06', { token: job }));
        expect((await card()).version).toBe(3);
      },
      { timeoutMs: 40000 },
    );
    const restored = await changed(3);
    expect(restored.reason!.code).toBe('EMPLOYMENT_DUTY_RESTORED');
    expect(restored.reason!.text).toContain('dcz-kyiv-2026-004417');
    expect(restored.differences).toEqual([
      { month: '2026-10', previousKopiyky: '300000', newKopiyky: '500000', differenceKopiyky: '200000' },
    ]);
    expect(restored.assignment.months.map((m) => m.amountKopiyky)).toEqual(['500000', '500000', '500000', '500000', '300000', '500000']);
    const c = await card();
    expect(c.versions.map((v: { reason: { code: string } | null }) => v.reason?.code ?? null)).toEqual([
      null,
      'EMPLOYMENT_DUTY_STOP',
      'EMPLOYMENT_DUTY_RESTORED',
    ]);
  });
});
