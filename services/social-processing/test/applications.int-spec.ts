import {
  ApplicationDecidedV1,
  ApplicationPaymentAccountProposedV2,
  ApplicationSubmittedV1,
  AssignmentChangedV2,
  AssignmentGrantedV2,
  AssignmentTerminatedV2,
  FindingRaisedV1,
  PersonDiedV1,
  PersonPaymentAccountChangedV2,
  PersonRegisteredV1,
  StatusEndedV1,
  StatusGrantedV1,
  VerificationCompletedV1,
  VerificationRequestedV1,
  type EventContract,
  type EventEnvelope,
  type PayloadOf,
  Role,
} from '@eisss/contracts';
import {
  KafkaProbe,
  ServiceApp,
  TestEnvironment,
  expectEventually,
  openedByRegister,
  openedByTreasury,
  payeeOpenedByTreasury,
  produceRaw,
  sealedAccount,
  sealedPayee,
  tokenFor,
} from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { definition } from '../src/service.definition';
import { ibanOf } from './processing-harness';

const KATOTTG = 'UA80000000000093317';
const IBAN = 'UA213223130000026007233566001';

/** Social processing in-process against real Postgres and Kafka; the verification service is a test double producing onto its topic. */
describe('social-processing applications', () => {
  let env: TestEnvironment;
  let app: ServiceApp;
  let probe: KafkaProbe;
  let sql: Client;
  const officer = tokenFor({ id: 'officer-1', roles: [Role.Officer], territory: 'UA80' });
  const officer2 = tokenFor({ id: 'officer-2', roles: [Role.Officer], territory: 'UA80' });
  const supervisor = tokenFor({ id: 'supervisor-1', roles: [Role.Supervisor], territory: 'UA80' });
  const makerAsSupervisor = tokenFor({ id: 'officer-2', roles: [Role.Supervisor], territory: 'UA80' });
  const topic = (c: EventContract) => env.topicPrefix + c.topic;
  const published = [
    ApplicationSubmittedV1,
    ApplicationDecidedV1,
    VerificationRequestedV1,
    AssignmentGrantedV2,
    AssignmentChangedV2,
    AssignmentTerminatedV2,
  ];

  async function publish<C extends EventContract>(
    contract: C,
    payload: PayloadOf<C>,
    key: string,
    eventId = randomUUID(),
  ): Promise<EventEnvelope<PayloadOf<C>>> {
    const envelope: EventEnvelope<PayloadOf<C>> = {
      eventId,
      eventType: contract.eventType,
      eventVersion: contract.eventVersion,
      occurredAt: new Date().toISOString(),
      producer: contract.producer,
      aggregateType: contract.aggregateType,
      aggregateId: key,
      correlationId: randomUUID(),
      causationId: null,
      payload,
    } as EventEnvelope<PayloadOf<C>>;
    await produceRaw(topic(contract), [{ key, value: JSON.stringify(envelope) }]);
    return envelope;
  }

  async function person(birthDate: string, lastName = 'Коваленко', rnokppLast4 = '1234'): Promise<string> {
    const personId = randomUUID();
    await publish(
      PersonRegisteredV1,
      {
        personId,
        rnokppMasked: `******${rnokppLast4}`,
        name: { lastName, firstName: 'Олена', patronymic: null },
        birthDate,
        sex: 'female',
        deathDate: null,
        katottg: KATOTTG,
        registeredAt: '2026-01-01T10:00:00.000Z',
      },
      personId,
    );
    return personId;
  }

  async function status(
    personId: string,
    type: 'idp' | 'disability',
    validFrom = '2024-01-01',
    details: Record<string, string> = {},
  ): Promise<string> {
    const statusId = randomUUID();
    await publish(
      StatusGrantedV1,
      { statusId, personId, type, validFrom, validTo: null, source: 'test', katottg: KATOTTG, details },
      personId,
    );
    return statusId;
  }

  async function projected(personIds: string[], statuses: number): Promise<void> {
    await expectEventually(
      async () => {
        const p = await sql.query(`SELECT count(*)::int AS n FROM social_processing.person_projection WHERE person_id = ANY($1::uuid[])`, [
          personIds,
        ]);
        const s = await sql.query(`SELECT count(*)::int AS n FROM social_processing.person_status WHERE person_id = ANY($1::uuid[])`, [
          personIds,
        ]);
        expect([p.rows[0].n, s.rows[0].n]).toEqual([personIds.length, statuses]);
      },
      { timeoutMs: 20000 },
    );
  }

  function body(applicant: string, members: { personId: string; relation: string }[], over: Record<string, unknown> = {}) {
    return {
      clientRequestId: `req-${randomUUID()}`,
      channel: 'office',
      applicantPersonId: applicant,
      katottg: KATOTTG,
      receivedOn: '2026-03-10',
      programmeCodes: ['idp-living-allowance'],
      household: {
        members: [{ personId: applicant, role: 'applicant', relation: 'self' }, ...members.map((m) => ({ ...m, role: 'member' }))],
      },
      consents: [
        { type: 'personal-data-processing', givenOn: '2026-03-10' },
        { type: 'registers-check', givenOn: '2026-03-10' },
      ],
      payment: { method: 'bank', iban: IBAN },
      ...over,
    };
  }

  async function submit(b: Record<string, unknown>, token = officer) {
    return app.http().post('/applications').set('authorization', `Bearer ${token}`).send(b);
  }

  /** Maker-checker (on by default): an officer proposes, a supervisor (another person) approves. */
  async function decideByTwo(id: string, code = 'idp-living-allowance', outcome: 'granted' | 'refused' = 'granted') {
    await expectEventually(async () =>
      expect((await getApplication(id)).decisions.find((d: { programmeCode: string }) => d.programmeCode === code).status).toBe(
        'awaiting_officer',
      ),
    );
    const proposed = await app
      .http()
      .post(`/applications/${id}/decisions/${code}/proposal`)
      .set('authorization', `Bearer ${officer}`)
      .send({ outcome });
    expect(proposed.status).toBe(200);
    expect(proposed.body.decisions.find((d: { programmeCode: string }) => d.programmeCode === code).status).toBe('awaiting_approval');
    const approved = await app
      .http()
      .post(`/applications/${id}/decisions/${code}/approval`)
      .set('authorization', `Bearer ${supervisor}`)
      .send({ approve: true });
    expect(approved.status).toBe(200);
    return approved.body;
  }

  /** A second person approves a request under the two-person rule; the act is carried out. */
  async function approveRequest(requestId: string, token = supervisor) {
    const res = await app.http().post(`/approvals/${requestId}/approve`).set('authorization', `Bearer ${token}`).send({});
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('executed');
    return res.body;
  }

  /** The register approved an account for a person (as the register publishes it: sealed for the treasury). */
  async function registerAccount(personId: string, iban: string, version: number, fullName = 'Ткаченко Олена') {
    return publish(
      PersonPaymentAccountChangedV2,
      {
        personId,
        account: await sealedAccount({ method: 'bank', iban }),
        holder: await sealedPayee({ fullName, rnokpp: '3296909324', documentNumber: null }),
        changeRequestId: randomUUID(),
        requestedBy: 'registrar-1',
        approvedBy: 'registrar-2',
        version,
        changedAt: '2026-03-01T10:00:00.000Z',
      },
      personId,
    );
  }

  async function getApplication(id: string, token = officer) {
    const res = await app.http().get(`/applications/${id}`).set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    return res.body;
  }

  async function verificationRequest(applicationId: string, programmeCode = 'idp-living-allowance') {
    return expectEventually(
      () => {
        const e = probe
          .envelopes<PayloadOf<typeof VerificationRequestedV1>>(topic(VerificationRequestedV1))
          .find((x) => x.payload.applicationId === applicationId && x.payload.programmeCode === programmeCode);
        expect(e).toBeDefined();
        return e!;
      },
      { timeoutMs: 15000 },
    );
  }

  async function answer(
    applicationId: string,
    findings: PayloadOf<typeof VerificationCompletedV1>['findings'] = [],
    programmeCode?: string,
  ) {
    const request = await verificationRequest(applicationId, programmeCode);
    await publish(
      VerificationCompletedV1,
      {
        requestId: request.payload.requestId,
        applicationId,
        assignmentId: null,
        outcome: findings.length ? 'findings' : 'passed',
        checkedOn: '2026-03-11',
        findings,
      },
      request.payload.requestId,
    );
  }

  const granted = (applicationId: string) =>
    expectEventually(
      () => {
        const e = probe
          .envelopes<PayloadOf<typeof AssignmentGrantedV2>>(topic(AssignmentGrantedV2))
          .find((x) => x.payload.assignment.applicationId === applicationId);
        expect(e).toBeDefined();
        return e!;
      },
      { timeoutMs: 15000 },
    );

  const finding = (personId: string, rule: string, recommendedAction: 'refuse' | 'review') => ({
    findingId: randomUUID(),
    personId,
    rule,
    recommendedAction,
    effectiveDate: null,
    evidence: [{ source: 'bank-deposits', reference: 'ref-1', facts: { amountKopiyky: '15000000' } }],
  });

  const counts = async () => {
    const r = await sql.query(
      `SELECT (SELECT count(*)::int FROM social_processing.application) AS apps, (SELECT count(*)::int FROM social_processing.application_decision) AS decisions,
              (SELECT count(*)::int FROM social_processing.outbox) AS events`,
    );
    return r.rows[0] as { apps: number; decisions: number; events: number };
  };

  beforeAll(async () => {
    env = await TestEnvironment.create();
    sql = await env.sql('social-processing');
    probe = await KafkaProbe.start(published.map(topic));
    app = await ServiceApp.start(definition, env.env('social-processing'));
  });

  afterAll(async () => {
    await app?.close();
    await probe?.stop();
    await sql?.end();
    await env?.destroy();
  });

  describe('IDP allowance end to end', () => {
    let applicant: string;
    let child: string;
    let childIdp: string;
    let applicationId: string;
    let assignmentId: string;
    let submitBody: Record<string, unknown>;

    beforeAll(async () => {
      applicant = await person('1985-04-10', 'Шевченко');
      child = await person('2015-06-01', 'Шевченко');
      await status(applicant, 'idp', '2024-01-01', { certificateNumber: '0000-1', originKatottg: 'UA14000000000000000' });
      childIdp = await status(child, 'idp');
      await projected([applicant, child], 2);
    });

    it('accepts an application with a 10-working-day deadline and returns the same application when retried', async () => {
      submitBody = body(applicant, [{ personId: child, relation: 'child' }]);
      const first = await submit(submitBody);
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        status: 'awaiting_verification',
        submittedOn: '2026-03-10',
        decisionDueOn: '2026-03-24',
        channel: 'office',
      });
      applicationId = first.body.id;
      const retry = await submit(submitBody);
      expect(retry.status).toBe(200);
      expect(retry.body.id).toBe(applicationId);
      const rows = await sql.query(
        `SELECT count(*)::int AS n FROM social_processing.outbox WHERE message_key = $1 AND envelope->>'eventType' = $2`,
        [applicationId, ApplicationSubmittedV1.eventType],
      );
      expect(rows.rows[0].n).toBe(1);
      // The typed IBAN is only a proposal to the register, which holds none for the applicant.
      const proposal = await sql.query(
        `SELECT envelope->'payload' AS p FROM social_processing.outbox WHERE message_key = $1 AND envelope->>'eventType' = $2`,
        [applicationId, ApplicationPaymentAccountProposedV2.eventType],
      );
      // Sealed for the register (processing keeps only the masked and sealed form); the register opens it.
      expect(proposal.rows.map((r) => r.p)).toEqual([
        expect.objectContaining({
          applicationId,
          personId: applicant,
          account: { method: 'bank', ibanMasked: 'UA21*********************6001', ibanSealed: expect.any(String) },
          proposedBy: 'officer-1',
          channel: 'office',
        }),
      ]);
      expect(await openedByRegister(proposal.rows[0].p.account)).toEqual({ method: 'bank', iban: IBAN });
      expect(first.body.proposedPayment).toEqual({ method: 'bank', ibanMasked: 'UA21*********************6001' });
      expect(retry.body.proposedPayment).toEqual({ method: 'bank', ibanMasked: 'UA21*********************6001' });
      const reused = await submit({ ...submitBody, programmeCodes: ['birth-assistance'] });
      expect(reused.status).toBe(409);
      expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      const request = await verificationRequest(applicationId);
      expect(request.payload).toMatchObject({
        kind: 'preventive',
        programmeCode: 'idp-living-allowance',
        periodFrom: '2025-12-10',
        periodTo: '2026-03-10',
      });
      expect(request.payload.persons.map((p) => p.role).sort()).toEqual(['applicant', 'member']);
    });

    it('refuses another application for a person of an undecided one with 409 naming it, and writes nothing', async () => {
      const before = await counts();
      for (const again of [body(applicant, []), body(child, [])]) {
        const res = await submit(again);
        expect({ status: res.status, code: res.body.error?.code, field: res.body.error?.field }).toEqual({
          status: 409,
          code: 'BENEFIT_ALREADY_ASSIGNED',
          field: 'household.members',
        });
        expect(JSON.stringify(res.body.error)).toContain(applicationId);
      }
      expect(await counts()).toEqual(before);
    });

    it("grants after a passed verification, an officer's proposal and a supervisor's approval, and publishes the monthly amounts in kopiyky without the typed IBAN", async () => {
      await answer(applicationId);
      await decideByTwo(applicationId);
      const e = await granted(applicationId);
      const a = e.payload.assignment;
      assignmentId = a.assignmentId;
      expect(probe.on(topic(AssignmentGrantedV2)).find((m) => m.headers['event-id'] === e.eventId)?.key).toBe(assignmentId);
      expect(a).toMatchObject({
        programmeCode: 'idp-living-allowance',
        ruleSetVersion: 'idp-living-allowance@2025-08-26',
        periodFrom: '2026-03',
        periodTo: '2026-08',
        recipientPersonId: applicant,
        status: 'active',
        payment: null,
        payee: null,
      });
      expect(a.memberPersonIds.sort()).toEqual([applicant, child].sort());
      expect(a.months.map((m) => [m.month, m.amountKopiyky])).toEqual(
        ['2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08'].map((m) => [m, '500000']),
      );
      expect(a.months[0]!.explanation).toContain('№ 332');
      const view = await expectEventually(async () => {
        const v = await getApplication(applicationId);
        expect(v.status).toBe('decided');
        return v;
      });
      const decision = view.decisions[0];
      expect(decision).toMatchObject({
        status: 'granted',
        assignmentId,
        ruleSetVersion: 'idp-living-allowance@2025-08-26',
        decidedBy: 'officer-1',
        approvedBy: 'supervisor-1',
      });
      expect(decision.explanation.children.map((c: { rule: string }) => c.rule)).toEqual(['verification.preventive', 'idp']);
      const decided = await expectEventually(() => {
        const d = probe
          .envelopes<PayloadOf<typeof ApplicationDecidedV1>>(topic(ApplicationDecidedV1))
          .find((x) => x.payload.applicationId === applicationId);
        expect(d).toBeDefined();
        return d!;
      });
      expect(decided.payload.decisions).toEqual([{ programmeCode: 'idp-living-allowance', outcome: 'granted', reasons: [], assignmentId }]);
    });

    it('shows a citizen only their own applications when they read', async () => {
      const citizen = tokenFor({ id: 'citizen-1', roles: [Role.Citizen], territory: 'UA', personId: applicant });
      const list = await app.http().get('/applications').set('authorization', `Bearer ${citizen}`);
      expect(list.status).toBe(200);
      expect(list.body.items.map((x: { id: string }) => x.id)).toEqual([applicationId]);
      const stranger = tokenFor({ id: 'citizen-2', roles: [Role.Citizen], territory: 'UA', personId: child });
      expect((await app.http().get(`/applications/${applicationId}`).set('authorization', `Bearer ${stranger}`)).status).toBe(404);
    });

    it('refuses a second application for a person who already holds the benefit with 409 and writes nothing', async () => {
      const before = await counts();
      const res = await submit(body(child, []));
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('BENEFIT_ALREADY_ASSIGNED');
      expect(await counts()).toEqual(before);
    });

    it("recalculates with per-month overpayments when a member's IDP status ends, and a second delivery is a no-op", async () => {
      const ended = await publish(
        StatusEndedV1,
        {
          statusId: childIdp,
          personId: child,
          type: 'idp',
          validFrom: '2024-01-01',
          validTo: '2026-05-15',
          source: 'test',
          katottg: KATOTTG,
          details: {},
        },
        child,
      );
      const changed = await expectEventually(
        () => {
          const c = probe
            .envelopes<PayloadOf<typeof AssignmentChangedV2>>(topic(AssignmentChangedV2))
            .filter((x) => x.payload.assignment.assignmentId === assignmentId);
          expect(c).toHaveLength(1);
          return c[0]!;
        },
        { timeoutMs: 15000 },
      );
      expect(changed.payload.effectiveFrom).toBe('2026-06');
      expect(changed.payload.reason?.code).toBe('STATUS_ENDED');
      expect(changed.payload.assignment.version).toBe(2);
      expect(changed.payload.differences).toEqual(
        ['2026-06', '2026-07', '2026-08'].map((month) => ({
          month,
          previousKopiyky: '500000',
          newKopiyky: '200000',
          differenceKopiyky: '-300000',
        })),
      );

      // Redeliver the same event, then a marker on the same key (same partition) for the same group.
      await produceRaw(topic(StatusEndedV1), [{ key: child, value: JSON.stringify(ended) }]);
      const marker = await publish(
        StatusEndedV1,
        {
          statusId: randomUUID(),
          personId: child,
          type: 'large_family',
          validFrom: '2024-01-01',
          validTo: '2026-05-15',
          source: 'test',
          katottg: KATOTTG,
          details: {},
        },
        child,
      );
      await expectEventually(
        async () => {
          const r = await sql.query(
            `SELECT count(*)::int AS n FROM social_processing.inbox WHERE consumer_group = 'social-processing.recalculation' AND event_id = $1`,
            [marker.eventId],
          );
          expect(r.rows[0].n).toBe(1);
        },
        { timeoutMs: 15000 },
      );
      const versions = await sql.query(`SELECT count(*)::int AS n FROM social_processing.assignment_version WHERE assignment_id = $1`, [
        assignmentId,
      ]);
      expect(versions.rows[0].n).toBe(2);
      const outbox = await sql.query(`SELECT count(*)::int AS n FROM social_processing.outbox WHERE message_key = $1`, [assignmentId]);
      expect(outbox.rows[0].n).toBe(2);
    });

    it("terminates from the next month with the removed months as differences when verification reports the recipient's death", async () => {
      await publish(
        FindingRaisedV1,
        {
          finding: {
            findingId: randomUUID(),
            personId: applicant,
            rule: 'death',
            recommendedAction: 'stop_payment',
            effectiveDate: '2026-07-10',
            evidence: [{ source: 'crvs', reference: 'death-1', facts: { dateOfDeath: '2026-07-10' } }],
          },
          assignmentIds: [assignmentId],
          kind: 'current',
        },
        applicant,
      );
      const t = await expectEventually(
        () => {
          const x = probe
            .envelopes<PayloadOf<typeof AssignmentTerminatedV2>>(topic(AssignmentTerminatedV2))
            .find((e) => e.payload.assignment.assignmentId === assignmentId);
          expect(x).toBeDefined();
          return x!;
        },
        { timeoutMs: 15000 },
      );
      expect(t.payload).toMatchObject({ effectiveFrom: '2026-08', reason: { code: 'RECIPIENT_DIED' } });
      expect(t.payload.assignment).toMatchObject({ status: 'terminated', periodTo: '2026-07', version: 3 });
      expect(t.payload.differences).toEqual([
        { month: '2026-08', previousKopiyky: '200000', newKopiyky: '0', differenceKopiyky: '-200000' },
      ]);
    });
  });

  it('documents every endpoint with OpenAPI tags, bearer auth and responses', async () => {
    const doc = (await app.http().get('/docs-json')).body as {
      paths: Record<string, Record<string, { tags?: string[]; security?: unknown[]; responses: Record<string, unknown> }>>;
    };
    const ours = Object.entries(doc.paths).filter(([path]) => /^\/(applications|assignments|programmes)/.test(path));
    expect(ours.length).toBeGreaterThanOrEqual(9);
    for (const [path, ops] of ours) {
      for (const [method, op] of Object.entries(ops)) {
        expect({ path, method, tags: op.tags?.length ?? 0, security: op.security?.length ?? 0 }).toEqual({
          path,
          method,
          tags: 1,
          security: 1,
        });
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
      }
    }
  });

  describe('invalid submissions', () => {
    let applicant: string;
    beforeAll(async () => {
      applicant = await person('1990-05-17');
      await status(applicant, 'idp');
      await projected([applicant], 1);
    });

    it.each([
      [
        'an unknown person',
        (a: string) => body(a, [{ personId: randomUUID(), relation: 'child' }]),
        422,
        'PERSON_UNKNOWN',
        'household.members[1].personId',
      ],
      [
        'an unknown programme',
        (a: string) => body(a, [], { programmeCodes: ['free-money'] }),
        422,
        'PROGRAMME_UNKNOWN',
        'programmeCodes[0]',
      ],
      [
        'a missing consent',
        (a: string) => body(a, [], { consents: [{ type: 'personal-data-processing', givenOn: '2026-03-10' }] }),
        422,
        'CONSENT_REQUIRED',
        'consents',
      ],
      ['a bad РНОКПП', (a: string) => body(a, [], { applicantRnokpp: '1234567890' }), 400, 'VALIDATION_FAILED', 'applicantRnokpp'],
      [
        'a bad IBAN',
        (a: string) => body(a, [], { payment: { method: 'bank', iban: 'UA000000000000000000000000000' } }),
        400,
        'VALIDATION_FAILED',
        'payment.iban',
      ],
      [
        'a household without the applicant',
        (a: string) => ({ ...body(a, []), household: { members: [] } }),
        400,
        'VALIDATION_FAILED',
        undefined,
      ],
      ['a missing household', (a: string) => ({ ...body(a, []), household: undefined }), 400, 'VALIDATION_FAILED', 'household'],
      [
        'a household that is not an object',
        (a: string) => ({ ...body(a, []), household: 'all of us' }),
        400,
        'VALIDATION_FAILED',
        'household',
      ],
      ['a household without members', (a: string) => ({ ...body(a, []), household: {} }), 400, 'VALIDATION_FAILED', 'household.members'],
      ['a payment that is not an object', (a: string) => body(a, [], { payment: 'cash' }), 400, 'VALIDATION_FAILED', 'payment'],
      [
        'a payment with an unknown method',
        (a: string) => body(a, [], { payment: { method: 'crypto' } }),
        400,
        'VALIDATION_FAILED',
        'payment.method',
      ],
      [
        'a bank payment without an IBAN',
        (a: string) => body(a, [], { payment: { method: 'bank' } }),
        400,
        'VALIDATION_FAILED',
        'payment.iban',
      ],
      ['missing consents', (a: string) => ({ ...body(a, []), consents: undefined }), 400, 'VALIDATION_FAILED', 'consents'],
      ['an applicant unknown to the register', () => body(randomUUID(), []), 422, 'PERSON_UNKNOWN', 'household.members[0].personId'],
      [
        'a birth date differing from the register',
        (a: string) => ({
          ...body(a, []),
          household: { members: [{ personId: a, role: 'applicant', relation: 'self', birthDate: '1990-05-18' }] },
        }),
        422,
        'BIRTH_DATE_MISMATCH',
        'household.members[0].birthDate',
      ],
      [
        'a date received in the future',
        (a: string) => body(a, [], { receivedOn: '2999-01-01' }),
        400,
        'RECEIVED_ON_IN_FUTURE',
        'receivedOn',
      ],
    ])('rejects %s with a stable code and writes nothing', async (_name, make, httpStatus, code, field) => {
      const before = await counts();
      const res = await submit(make(applicant));
      expect(res.status).toBe(httpStatus);
      expect(res.body.error.code).toBe(code);
      if (field) expect(res.body.error.field).toBe(field);
      expect(await counts()).toEqual(before);
    });

    it('forbids a citizen to apply for someone else and an officer outside the territory', async () => {
      const citizen = tokenFor({ id: 'c-9', roles: [Role.Citizen], territory: 'UA', personId: randomUUID() });
      const res = await submit(body(applicant, [], { channel: 'diia', receivedOn: undefined }), citizen);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('CITIZEN_MAY_APPLY_ONLY_FOR_SELF');
      const elsewhere = tokenFor({ id: 'o-9', roles: [Role.Officer], territory: 'UA14' });
      expect((await submit(body(applicant, []), elsewhere)).status).toBe(403);
      const registrar = tokenFor({ id: 'r-9', roles: [Role.Registrar], territory: 'UA' });
      expect((await submit(body(applicant, []), registrar)).status).toBe(403);
    });
  });

  describe('verification findings, officer review and deadlines', () => {
    it('refuses with the finding as the reason when verification recommends refusal', async () => {
      const a = await person('1980-01-01');
      await status(a, 'idp');
      await projected([a], 1);
      const res = await submit(body(a, []));
      expect(res.status).toBe(201);
      await answer(res.body.id, [finding(a, 'deposit-over-threshold', 'refuse')]);
      const view = await expectEventually(async () => {
        const v = await getApplication(res.body.id);
        expect(v.status).toBe('decided');
        return v;
      });
      expect(view.decisions[0].status).toBe('refused');
      expect(view.decisions[0].reasons[0].code).toBe('FINDING_DEPOSIT_OVER_THRESHOLD');
      expect(view.decisions[0].assignmentId).toBeNull();
    });

    it("holds for an officer on a review finding, lists it at risk then overdue, and grants on the officer's decision", async () => {
      const a = await person('1979-02-02');
      await status(a, 'idp');
      await projected([a], 1);
      const res = await submit(body(a, []));
      const id = res.body.id as string;
      await answer(id, [finding(a, 'abroad-over-30-days', 'review')]);
      await expectEventually(async () => expect((await getApplication(id)).status).toBe('under_review'));

      const atRisk = await app
        .http()
        .get('/applications/deadlines')
        .query({ asOf: '2026-03-23', withinWorkingDays: 2, katottg: 'UA80' })
        .set('authorization', `Bearer ${supervisor}`);
      expect(atRisk.status).toBe(200);
      expect(atRisk.body.items.find((x: { applicationId: string }) => x.applicationId === id)).toMatchObject({
        state: 'at_risk',
        decisionDueOn: '2026-03-24',
        workingDaysLeft: 1,
      });
      const early = await app
        .http()
        .get('/applications/deadlines')
        .query({ asOf: '2026-03-12', withinWorkingDays: 2 })
        .set('authorization', `Bearer ${officer}`);
      expect(early.body.items.find((x: { applicationId: string }) => x.applicationId === id)).toBeUndefined();
      const overdue = await app
        .http()
        .get('/applications/deadlines')
        .query({ asOf: '2026-03-26' })
        .set('authorization', `Bearer ${officer}`);
      expect(overdue.body.items.find((x: { applicationId: string }) => x.applicationId === id)).toMatchObject({
        state: 'overdue',
        workingDaysLeft: -2,
      });
      expect(overdue.body.byOffice).toEqual([{ katottg: KATOTTG, atRisk: 0, overdue: overdue.body.total }]);
      const otherOffice = await app
        .http()
        .get('/applications/deadlines')
        .query({ asOf: '2026-03-26' })
        .set('authorization', `Bearer ${tokenFor({ id: 'o-3', roles: [Role.Officer], territory: 'UA14' })}`);
      expect(otherOffice.body.items).toEqual([]);

      const proposed = await app
        .http()
        .post(`/applications/${id}/decisions/idp-living-allowance/proposal`)
        .set('authorization', `Bearer ${officer}`)
        .send({ outcome: 'granted' });
      expect(proposed.status).toBe(200);
      expect(proposed.body.decisions[0]).toMatchObject({
        status: 'awaiting_approval',
        proposal: { outcome: 'granted', proposedBy: 'officer-1' },
      });
      const decided = await app
        .http()
        .post(`/applications/${id}/decisions/idp-living-allowance/approval`)
        .set('authorization', `Bearer ${supervisor}`)
        .send({ approve: true });
      expect(decided.body.decisions[0]).toMatchObject({ status: 'granted', decidedBy: 'officer-1', approvedBy: 'supervisor-1' });
      const g = await granted(id);
      expect(g.payload.assignment.months[0]!.amountKopiyky).toBe('200000');
    });
  });

  describe('maker-checker on birth assistance', () => {
    it('needs a supervisor other than the proposing officer and grants 50 000 UAH once for a child born in 2026', async () => {
      const mother = await person('1996-03-03', 'Бондар');
      const baby = await person('2026-01-05', 'Бондар');
      await projected([mother, baby], 0);
      const res = await submit(
        body(mother, [{ personId: baby, relation: 'child' }], {
          programmeCodes: ['birth-assistance'],
          receivedOn: '2026-02-02',
          channel: 'cnap',
        }),
      );
      expect(res.status).toBe(201);
      const id = res.body.id as string;
      await answer(id, [], 'birth-assistance');
      await expectEventually(async () => expect((await getApplication(id)).decisions[0].status).toBe('awaiting_officer'));

      const byOfficer = await app
        .http()
        .post(`/applications/${id}/decisions/birth-assistance/approval`)
        .set('authorization', `Bearer ${officer}`)
        .send({ approve: true });
      expect(byOfficer.status).toBe(403);
      const proposed = await app
        .http()
        .post(`/applications/${id}/decisions/birth-assistance/proposal`)
        .set('authorization', `Bearer ${officer2}`)
        .send({ outcome: 'granted' });
      expect(proposed.status).toBe(200);
      expect(proposed.body.decisions[0]).toMatchObject({
        status: 'awaiting_approval',
        proposal: { outcome: 'granted', proposedBy: 'officer-2' },
      });
      const self = await app
        .http()
        .post(`/applications/${id}/decisions/birth-assistance/approval`)
        .set('authorization', `Bearer ${makerAsSupervisor}`)
        .send({ approve: true });
      expect(self.status).toBe(403);
      expect(self.body.error.code).toBe('MAKER_CHECKER_SAME_PERSON');
      expect(
        probe
          .envelopes<PayloadOf<typeof AssignmentGrantedV2>>(topic(AssignmentGrantedV2))
          .find((x) => x.payload.assignment.applicationId === id),
      ).toBeUndefined();

      const approved = await app
        .http()
        .post(`/applications/${id}/decisions/birth-assistance/approval`)
        .set('authorization', `Bearer ${supervisor}`)
        .send({ approve: true });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ status: 'decided' });
      expect(approved.body.decisions[0]).toMatchObject({
        status: 'granted',
        decidedBy: 'officer-2',
        approvedBy: 'supervisor-1',
        ruleSetVersion: 'birth-assistance@2026-01-01',
      });
      const g = await granted(id);
      expect(g.payload.assignment.months).toEqual([expect.objectContaining({ month: '2026-02', amountKopiyky: '5000000' })]);
    });

    it("stops the monthly instalments of a 2025 child from the month after the child's death (register event)", async () => {
      const father = await person('1990-07-07', 'Мельник');
      const baby = await person('2025-12-31', 'Мельник');
      await projected([father, baby], 0);
      const res = await submit(
        body(father, [{ personId: baby, relation: 'child' }], { programmeCodes: ['birth-assistance'], receivedOn: '2026-01-15' }),
      );
      const id = res.body.id as string;
      await answer(id, [], 'birth-assistance');
      await expectEventually(async () => expect((await getApplication(id)).decisions[0].status).toBe('awaiting_officer'));
      expect(
        (
          await app
            .http()
            .post(`/applications/${id}/decisions/birth-assistance/proposal`)
            .set('authorization', `Bearer ${officer}`)
            .send({ outcome: 'granted' })
        ).status,
      ).toBe(200);
      expect(
        (
          await app
            .http()
            .post(`/applications/${id}/decisions/birth-assistance/approval`)
            .set('authorization', `Bearer ${supervisor}`)
            .send({ approve: true })
        ).status,
      ).toBe(200);
      const g = await granted(id);
      expect(g.payload.assignment.months).toHaveLength(37);
      expect(g.payload.assignment.months.slice(0, 2).map((m) => m.amountKopiyky)).toEqual(['1032000', '86000']);

      await publish(
        PersonDiedV1,
        { personId: baby, deathDate: '2026-04-20', katottg: KATOTTG, source: 'ДРАЦС', recordedAt: '2026-04-21T10:00:00.000Z' },
        baby,
      );
      const t = await expectEventually(
        () => {
          const x = probe
            .envelopes<PayloadOf<typeof AssignmentTerminatedV2>>(topic(AssignmentTerminatedV2))
            .find((e) => e.payload.assignment.assignmentId === g.payload.assignment.assignmentId);
          expect(x).toBeDefined();
          return x!;
        },
        { timeoutMs: 15000 },
      );
      expect(t.payload).toMatchObject({ effectiveFrom: '2026-05', reason: { code: 'MEMBER_DIED' } });
      expect(t.payload.assignment.periodTo).toBe('2026-04');
      expect(t.payload.differences).toHaveLength(33);
      expect(t.payload.differences.every((d) => d.differenceKopiyky === '-86000')).toBe(true);
    });
  });

  describe('assignment lifecycle', () => {
    let applicant: string;
    let assignmentId: string;
    let applicationId: string;
    const registered = ibanOf('0000026007233500123');
    const changes = () =>
      probe
        .envelopes<PayloadOf<typeof AssignmentChangedV2>>(topic(AssignmentChangedV2))
        .filter((x) => x.payload.assignment.assignmentId === assignmentId);

    beforeAll(async () => {
      applicant = await person('1988-08-08', 'Ткаченко');
      const child = await person('2016-09-09', 'Ткаченко');
      await status(applicant, 'idp');
      await status(child, 'idp');
      await projected([applicant, child], 2);
      await registerAccount(applicant, registered, 2);
      await expectEventually(
        async () =>
          expect(
            (await sql.query(`SELECT 1 FROM social_processing.person_payment_account WHERE person_id = $1`, [applicant])).rowCount,
          ).toBe(1),
        { timeoutMs: 20000 },
      );
      const res = await submit(body(applicant, [{ personId: child, relation: 'child' }], { receivedOn: '2026-03-31', payment: undefined }));
      expect(res.status).toBe(201);
      expect(res.body.proposedPayment).toBeNull();
      applicationId = res.body.id;
      await answer(applicationId);
      await decideByTwo(applicationId);
      const g = (await granted(applicationId)).payload.assignment;
      expect(g.payment).toMatchObject({ method: 'bank', ibanMasked: `${registered.slice(0, 4)}${'*'.repeat(21)}${registered.slice(-4)}` });
      expect(await openedByTreasury(g.payment!)).toEqual({ method: 'bank', iban: registered });
      expect(await payeeOpenedByTreasury(g.payee!)).toEqual({ fullName: 'Ткаченко Олена', rnokpp: '3296909324', documentNumber: null });
      expect(JSON.stringify(g)).not.toContain(registered);
      expect(JSON.stringify(g)).not.toContain('3296909324');
      assignmentId = g.assignmentId;
    });

    it('renders the notice with the term, the amounts and the explanation when decided', async () => {
      const res = await app
        .http()
        .get(`/applications/${applicationId}/notice`)
        .set('authorization', `Bearer ${tokenFor({ id: 'c-5', roles: [Role.Citizen], territory: 'UA', personId: applicant })}`);
      expect(res.status).toBe(200);
      const text = res.body.sections[0].lines.join('\n');
      expect(text).toContain('Строк: 2026-03 – 2026-08; усього 30 000.00 UAH');
      expect(text).toContain('[passed] verification.preventive');
      expect(text).toContain('idp.amount.child-or-disability=300000');
    });

    it('extends a family with a child for six months once a second person approves, and publishes the new months as arrears', async () => {
      const res = await app.http().post(`/assignments/${assignmentId}/extend`).set('authorization', `Bearer ${officer}`);
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ action: 'assignment.extend', subjectId: assignmentId, status: 'pending', requestedBy: 'officer-1' });
      expect((await app.http().get(`/assignments/${assignmentId}`).set('authorization', `Bearer ${officer}`)).body).toMatchObject({
        version: 1,
        periodTo: '2026-08',
      });
      await approveRequest(res.body.id);
      const view = await app.http().get(`/assignments/${assignmentId}`).set('authorization', `Bearer ${officer}`);
      expect(view.body).toMatchObject({
        periodTo: '2027-02',
        version: 2,
        payment: { method: 'bank', ibanMasked: `${registered.slice(0, 4)}${'*'.repeat(21)}${registered.slice(-4)}` },
        payee: { fullName: 'Ткаченко Олена', rnokppMasked: '******9324', documentNumberMasked: null },
      });
      expect(view.body.versions[1]).toMatchObject({ createdBy: 'officer-1', approvedBy: 'supervisor-1' });
      const c = await expectEventually(() => {
        expect(changes()).toHaveLength(1);
        return changes()[0]!;
      });
      expect(c.payload).toMatchObject({ effectiveFrom: '2026-09', reason: { code: 'EXTENDED' } });
      expect(c.payload.differences.map((d) => [d.month, d.differenceKopiyky])).toEqual(
        ['2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02'].map((m) => [m, '500000']),
      );
    });

    it('recalculates upwards with arrears when a disability status is granted to the recipient', async () => {
      await publish(
        StatusGrantedV1,
        {
          statusId: randomUUID(),
          personId: applicant,
          type: 'disability',
          validFrom: '2026-05-01',
          validTo: null,
          source: 'test',
          katottg: KATOTTG,
          details: { group: 'II' },
        },
        applicant,
      );
      const c = await expectEventually(
        () => {
          expect(changes()).toHaveLength(2);
          return changes()[1]!;
        },
        { timeoutMs: 15000 },
      );
      expect(c.payload).toMatchObject({ effectiveFrom: '2026-05', reason: { code: 'STATUS_GRANTED' } });
      expect(c.payload.differences).toHaveLength(10);
      expect(c.payload.differences[0]).toEqual({
        month: '2026-05',
        previousKopiyky: '500000',
        newKopiyky: '600000',
        differenceKopiyky: '100000',
      });
    });

    it('changes nothing and publishes nothing when recalculated with unchanged parameters', async () => {
      const res = await app
        .http()
        .post(`/assignments/${assignmentId}/recalculate`)
        .set('authorization', `Bearer ${supervisor}`)
        .send({ reasonCode: 'PARAMETER_CHANGE', reasonText: 'check' });
      expect(res.status).toBe(200);
      expect(res.body.version).toBe(3);
      const v = await sql.query(`SELECT count(*)::int AS n FROM social_processing.assignment_version WHERE assignment_id = $1`, [
        assignmentId,
      ]);
      expect(v.rows[0].n).toBe(3);
      expect(
        (
          await app
            .http()
            .post('/programmes/idp-living-allowance/recalculation')
            .set('authorization', `Bearer ${officer}`)
            .send({ reasonCode: 'PARAMETER_CHANGE', reasonText: 'x' })
        ).status,
      ).toBe(403);
      const all = await app
        .http()
        .post('/programmes/idp-living-allowance/recalculation')
        .set('authorization', `Bearer ${supervisor}`)
        .send({ reasonCode: 'PARAMETER_CHANGE', reasonText: 'no change' });
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({ changed: 0, terminated: 0 });
      expect(all.body.unchanged).toBe(all.body.checked);
      expect(all.body.checked).toBeGreaterThanOrEqual(2);
    });

    it('suspends, resumes and terminates with the role checked on every action and a second person approving each', async () => {
      const citizen = tokenFor({ id: 'c-6', roles: [Role.Citizen], territory: 'UA', personId: applicant });
      const status = async () =>
        (await app.http().get(`/assignments/${assignmentId}`).set('authorization', `Bearer ${officer}`)).body.status;
      const action = { month: '2026-06', reasonCode: 'ABROAD_OVER_30_DAYS', reasonText: 'перебування за кордоном' };
      expect(
        (await app.http().post(`/assignments/${assignmentId}/suspend`).set('authorization', `Bearer ${citizen}`).send(action)).status,
      ).toBe(403);
      const suspended = await app
        .http()
        .post(`/assignments/${assignmentId}/suspend`)
        .set('authorization', `Bearer ${officer}`)
        .send(action);
      expect(suspended.status).toBe(202);
      expect(await status()).toBe('active');
      await approveRequest(suspended.body.id, officer2);
      expect(await status()).toBe('suspended');
      expect(
        (await app.http().post(`/assignments/${assignmentId}/suspend`).set('authorization', `Bearer ${officer}`).send(action)).body.error
          .code,
      ).toBe('ASSIGNMENT_NOT_ACTIVE');
      const resumed = await app
        .http()
        .post(`/assignments/${assignmentId}/resume`)
        .set('authorization', `Bearer ${officer}`)
        .send({ ...action, month: '2026-07', reasonCode: 'RETURNED' });
      expect(resumed.status).toBe(202);
      await approveRequest(resumed.body.id);
      expect(await status()).toBe('active');
      const outside = await app
        .http()
        .post(`/assignments/${assignmentId}/terminate`)
        .set('authorization', `Bearer ${officer}`)
        .send({ ...action, month: '2030-01' });
      expect(outside.status).toBe(400);
      expect(outside.body.error.code).toBe('MONTH_OUTSIDE_PERIOD');
      const terminate = await app
        .http()
        .post(`/assignments/${assignmentId}/terminate`)
        .set('authorization', `Bearer ${supervisor}`)
        .send({ ...action, month: '2026-12', reasonCode: 'RETURNED_HOME' });
      expect(terminate.status).toBe(202);
      const done = await approveRequest(terminate.body.id, officer);
      expect(done.result).toMatchObject({ status: 'terminated', periodTo: '2026-11' });
      const t = await expectEventually(() => {
        const x = probe
          .envelopes<PayloadOf<typeof AssignmentTerminatedV2>>(topic(AssignmentTerminatedV2))
          .find((e) => e.payload.assignment.assignmentId === assignmentId);
        expect(x).toBeDefined();
        return x!;
      });
      expect(t.payload.differences.map((d) => d.month)).toEqual(['2026-12', '2027-01', '2027-02']);
      const view = await app.http().get(`/assignments/${assignmentId}`).set('authorization', `Bearer ${citizen}`);
      expect(view.status).toBe(200);
      expect(view.body.versions.map((v: { eventType: string }) => v.eventType.split('.').pop())).toEqual([
        'granted',
        'changed',
        'changed',
        'suspended',
        'resumed',
        'terminated',
      ]);
      const list = await app.http().get('/assignments').query({ personId: applicant }).set('authorization', `Bearer ${officer}`);
      expect(list.body.total).toBe(1);
    });
  });
});
