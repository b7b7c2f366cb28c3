import {
  ApplicationDecidedV1,
  ApplicationSubmittedV1,
  AssignmentGrantedV2,
  VerificationCompletedV1,
  VerificationRequestedV1,
  type PayloadOf,
  Role,
} from '@eisss/contracts';
import {
  KafkaProbe,
  ServiceProcess,
  TestEnvironment,
  expectEventually,
  openedByTreasury,
  payeeOpenedByTreasury,
  tokenFor,
} from '@eisss/testing';
import { maskIban } from '@eisss/platform';
import { randomUUID } from 'node:crypto';
import {
  FAMILY_IBAN,
  KYIV,
  ORIGIN,
  PROGRAMME,
  awaitProjected,
  diiaApplication,
  grantManually,
  registerIdpFamily,
  type Family,
  FLOW_TOKENS,
} from './support/idp-family';

/** An account that is not the family's: the officer's own, typed into the application (valid mod-97). */
const OTHER_IBAN = 'UA923052990000026001234567891';

interface ExplanationNode {
  rule: string;
  outcome: string;
  facts: Record<string, unknown>;
  parameters: { key: string; value: string; effectiveFrom: string; source: string }[];
  amountKopiyky?: string;
  period?: string;
  children?: ExplanationNode[];
}

const find = (n: ExplanationNode, rule: string): ExplanationNode | undefined =>
  n.rule === rule ? n : n.children?.map((c) => find(c, rule)).find(Boolean);

/**
 * Issue 3, "done when": an IDP family is registered in social-register over REST (persons, household,
 * IDP certificates, a disability), the Diia gateway submits the application to social-processing, the
 * verification service (a real process) passes the preventive check, processing decides with the
 * explanation tree and publishes AssignmentGrantedV2 with the monthly family amount in kopiyky, and the
 * register's entitlement view shows the granted support. Invalid applications get a 4xx with a stable
 * code and leave nothing behind.
 *
 * КМУ № 332, п. 4: 3 000 UAH per child and per person with disability, 2 000 UAH per other person,
 * per family per month, six months from the month of application: mother 2 000 + son 3 000 + daughter
 * with disability 3 000 = 8 000 UAH = 800000 kopiyky a month, 2026-11 … 2027-04.
 */
describe('IDP application flow', () => {
  let env: TestEnvironment;
  let register: ServiceProcess;
  let processing: ServiceProcess;
  let verification: ServiceProcess;
  let probe: KafkaProbe;
  let family: Family;
  const { registrar, officer, supervisor, diia } = FLOW_TOKENS;
  const topic = (c: { topic: string }) => env.topicPrefix + c.topic;
  const RECEIVED_ON = '2026-11-10';
  const MONTHS = ['2026-11', '2026-12', '2027-01', '2027-02', '2027-03', '2027-04'];

  const applications = async (query = '') => {
    const res = await processing.request('GET', `/applications?limit=500${query}`, { token: officer });
    expect(res.status).toBe(200);
    return res.body as { total: number; items: { id: string }[] };
  };
  const submit = (body: unknown, token = diia) => processing.request('POST', '/applications', { token, body });

  beforeAll(async () => {
    env = await TestEnvironment.create();
    probe = await KafkaProbe.start(
      [ApplicationSubmittedV1, ApplicationDecidedV1, VerificationRequestedV1, VerificationCompletedV1, AssignmentGrantedV2].map(topic),
    );
    [register, processing, verification] = await Promise.all([
      ServiceProcess.start('social-register', env.env('social-register')),
      ServiceProcess.start('social-processing', env.env('social-processing')),
      ServiceProcess.start('verification', env.env('verification')),
    ]);
    family = await registerIdpFamily(register, registrar);
    await awaitProjected(env, processing, officer, [family.mother.id, family.son.id, family.daughter.id], 4);
  });

  afterAll(async () => {
    await Promise.all([register?.stop(), processing?.stop(), verification?.stop()]);
    await probe?.stop();
    await env?.destroy();
  });

  it('shows the family in the register as registered when persons, household and statuses are posted', async () => {
    const mother = await register.request('GET', `/persons/${family.mother.id}`, { token: officer });
    expect(mother.status).toBe(200);
    expect(mother.body).toMatchObject({
      id: family.mother.id,
      lastName: 'Шевчук',
      firstName: 'Оксана',
      birthDate: '1989-03-14',
      katottg: KYIV,
    });
    const households = await register.request('GET', `/households?personId=${family.daughter.id}`, { token: officer });
    expect(households.body.total).toBe(1);
    expect(households.body.items[0]).toMatchObject({ id: family.householdId, katottg: KYIV });
    expect(households.body.items[0].members.map((m: { personId: string; role: string }) => [m.personId, m.role]).sort()).toEqual(
      [
        [family.mother.id, 'head'],
        [family.son.id, 'dependant'],
        [family.daughter.id, 'dependant'],
      ].sort(),
    );
    const statuses = await register.request('GET', `/persons/${family.daughter.id}/statuses?activeOn=${RECEIVED_ON}`, { token: officer });
    expect(statuses.status).toBe(200);
    expect(statuses.body.items.map((s: { type: string }) => s.type).sort()).toEqual(['disability', 'idp']);
    expect(statuses.body.items.find((s: { type: string }) => s.type === 'idp')).toMatchObject({
      validFrom: '2026-10-01',
      validTo: null,
      details: { originKatottg: ORIGIN },
    });
  });

  it.each([
    [
      'an unknown person in the household',
      (f: Family) =>
        diiaApplication(f, RECEIVED_ON, {
          household: {
            members: [
              { personId: f.mother.id, role: 'applicant', relation: 'self' },
              { personId: randomUUID(), role: 'member', relation: 'child' },
            ],
          },
        }),
      422,
      'PERSON_UNKNOWN',
      'household.members[1].personId',
    ],
    [
      'an unknown programme',
      (f: Family) => diiaApplication(f, RECEIVED_ON, { programmeCodes: ['free-money'] }),
      422,
      'PROGRAMME_UNKNOWN',
      'programmeCodes[0]',
    ],
    [
      'a missing consent to check the registers',
      (f: Family) => diiaApplication(f, RECEIVED_ON, { consents: [{ type: 'personal-data-processing', givenOn: RECEIVED_ON }] }),
      422,
      'CONSENT_REQUIRED',
      'consents',
    ],
    [
      'a РНОКПП with a wrong check digit',
      (f: Family) =>
        diiaApplication(f, RECEIVED_ON, { applicantRnokpp: f.mother.rnokpp.slice(0, 9) + String((Number(f.mother.rnokpp[9]) + 1) % 10) }),
      400,
      'VALIDATION_FAILED',
      'applicantRnokpp',
    ],
    [
      'the РНОКПП of another person',
      (f: Family) => diiaApplication(f, RECEIVED_ON, { applicantRnokpp: f.son.rnokpp }),
      422,
      'RNOKPP_MISMATCH',
      'applicantRnokpp',
    ],
  ])('rejects an application with %s with a stable code and nothing appears', async (_name, make, status, code, field) => {
    const res = await submit(make(family));
    expect({ status: res.status, code: res.body?.error?.code, field: res.body?.error?.field }).toEqual({ status, code, field });
    expect((await applications()).total).toBe(0);
    expect((await applications(`&applicantPersonId=${family.mother.id}`)).total).toBe(0);
  });

  it('forbids a citizen to apply through Diia for another person and nothing appears', async () => {
    const stranger = tokenFor({ id: 'citizen-x', roles: [Role.Citizen], territory: 'UA', personId: randomUUID() });
    const res = await submit({ ...diiaApplication(family, RECEIVED_ON), receivedOn: undefined }, stranger);
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 403, code: 'CITIZEN_MAY_APPLY_ONLY_FOR_SELF' });
    expect((await applications()).total).toBe(0);
  });

  describe('a valid application', () => {
    let applicationId: string;
    let grant: PayloadOf<typeof AssignmentGrantedV2>['assignment'];

    it('is accepted from Diia and verified by the verification service with no findings', async () => {
      // The application names an account that the register does not hold for the applicant: only a proposal.
      const body = diiaApplication(family, RECEIVED_ON, { payment: { method: 'bank', iban: OTHER_IBAN } });
      const res = await submit(body);
      expect({ status: res.status, error: res.body?.error ?? null }).toEqual({ status: 201, error: null });
      expect(res.body).toMatchObject({ channel: 'diia', submittedOn: RECEIVED_ON, applicantPersonId: family.mother.id });
      applicationId = res.body.id;
      const retry = await submit(body);
      expect({ status: retry.status, id: retry.body.id }).toEqual({ status: 200, id: applicationId });

      const request = await expectEventually(
        () => {
          const e = probe
            .envelopes<PayloadOf<typeof VerificationRequestedV1>>(topic(VerificationRequestedV1))
            .find((x) => x.payload.applicationId === applicationId);
          expect(e).toBeDefined();
          return e!.payload;
        },
        { timeoutMs: 30000 },
      );
      expect(request).toMatchObject({ kind: 'preventive', programmeCode: PROGRAMME, katottg: KYIV });
      expect(request.persons.map((p) => p.personId).sort()).toEqual([family.mother.id, family.son.id, family.daughter.id].sort());
      const completed = await expectEventually(
        () => {
          const e = probe
            .envelopes<PayloadOf<typeof VerificationCompletedV1>>(topic(VerificationCompletedV1))
            .find((x) => x.payload.applicationId === applicationId);
          expect(e).toBeDefined();
          return e!;
        },
        { timeoutMs: 30000 },
      );
      expect(completed.producer).toBe('verification');
      // The outbox publishes in commit order: had a rejected application been written, its event would precede this one.
      const submitted = probe.envelopes<PayloadOf<typeof ApplicationSubmittedV1>>(topic(ApplicationSubmittedV1));
      expect(submitted.map((e) => e.payload.applicationId)).toEqual([applicationId]);
      expect(submitted[0]!.payload).toMatchObject({ channel: 'diia', applicantPersonId: family.mother.id, submittedOn: RECEIVED_ON });
      expect(completed.payload).toMatchObject({ requestId: request.requestId, outcome: 'passed', findings: [] });
    });

    it('waits for an officer and a second person (maker-checker) before it grants', async () => {
      await grantManually(processing, applicationId, officer, supervisor);
    });

    it('publishes AssignmentGrantedV2 with 8 000 UAH (800000 kopiyky) a month for six months from the month of application', async () => {
      const e = await expectEventually(
        () => {
          const x = probe
            .envelopes<PayloadOf<typeof AssignmentGrantedV2>>(topic(AssignmentGrantedV2))
            .find((y) => y.payload.assignment.applicationId === applicationId);
          expect(x).toBeDefined();
          return x!;
        },
        { timeoutMs: 30000 },
      );
      grant = e.payload.assignment;
      expect(e.aggregateId).toBe(grant.assignmentId);
      expect(grant).toMatchObject({
        programmeCode: PROGRAMME,
        recipientPersonId: family.mother.id,
        katottg: KYIV,
        periodFrom: '2026-11',
        periodTo: '2027-04',
        status: 'active',
        version: 1,
      });
      expect(grant.ruleSetVersion).toMatch(/^idp-living-allowance@/);
      // Paid only to the account approved in the register, with its holder — never the IBAN typed into the application.
      // Sealed for the treasury (processing carries it without reading it): the event holds no plain IBAN or РНОКПП.
      expect(grant.payment).toMatchObject({ method: 'bank', ibanMasked: maskIban(FAMILY_IBAN) });
      expect(await openedByTreasury(grant.payment!)).toEqual({ method: 'bank', iban: FAMILY_IBAN });
      expect(await payeeOpenedByTreasury(grant.payee!)).toEqual({
        fullName: 'Шевчук Оксана',
        rnokpp: family.mother.rnokpp,
        documentNumber: null,
      });
      for (const secret of [FAMILY_IBAN, OTHER_IBAN, family.mother.rnokpp]) expect(JSON.stringify(e)).not.toContain(secret);
      expect([...grant.memberPersonIds].sort()).toEqual([family.mother.id, family.son.id, family.daughter.id].sort());
      // 200000 (mother) + 300000 (child) + 300000 (child with disability), each month of the term.
      expect(grant.months.map((m) => [m.month, m.amountKopiyky])).toEqual(MONTHS.map((m) => [m, '800000']));
      expect(grant.months.reduce((s, m) => s + BigInt(m.amountKopiyky), 0n)).toBe(4_800_000n);
      expect(grant.months[0]!.explanation).toContain('№ 332');
      expect(probe.envelopes(topic(AssignmentGrantedV2)).filter((x) => x.aggregateId === grant.assignmentId)).toHaveLength(1);
    });

    it("turns the typed account into a pending change request in the register, while the register's approved account stays", async () => {
      const pending = await expectEventually(
        async () => {
          const res = await register.request('GET', `/change-requests?personId=${family.mother.id}&status=pending`, { token: officer });
          expect(res.status).toBe(200);
          expect(res.body.total).toBe(1);
          return res.body.items[0];
        },
        { timeoutMs: 30000 },
      );
      expect(pending).toMatchObject({
        personId: family.mother.id,
        status: 'pending',
        source: 'application',
        requestedBy: 'diia-gateway',
        changes: { iban: OTHER_IBAN },
      });
      const mother = await register.request('GET', `/persons/${family.mother.id}`, { token: officer });
      expect(mother.body.paymentAccount).toEqual({ method: 'bank', iban: FAMILY_IBAN });
    });

    it('shows the decision with its explanation tree of rules, facts and parameter values over the processing API', async () => {
      const view = await expectEventually(
        async () => {
          const res = await processing.request('GET', `/applications/${applicationId}`, { token: officer });
          expect(res.status).toBe(200);
          expect(res.body.status).toBe('decided');
          return res.body;
        },
        { timeoutMs: 30000 },
      );
      expect(view.decisions).toHaveLength(1);
      const decision = view.decisions[0];
      expect(decision).toMatchObject({
        programmeCode: PROGRAMME,
        status: 'granted',
        assignmentId: grant.assignmentId,
        reasons: [],
        ruleSetVersion: grant.ruleSetVersion,
        decidedBy: 'officer-1',
        approvedBy: 'supervisor-1',
      });
      const tree = decision.explanation as ExplanationNode;
      expect(tree.children!.map((c) => [c.rule, c.outcome])).toEqual([
        ['verification.preventive', 'passed'],
        ['idp', 'passed'],
      ]);
      const idp = tree.children![1]!;
      expect(find(idp, 'idp.applicant-idp-status')).toMatchObject({ outcome: 'passed', facts: { applicationDate: RECEIVED_ON } });
      expect(find(idp, 'idp.origin-eligible')).toMatchObject({ outcome: 'passed', facts: { originKatottg: ORIGIN } });
      expect(find(idp, 'idp.term')).toMatchObject({
        facts: { periodFrom: '2026-11', periodTo: '2027-04' },
        parameters: [expect.objectContaining({ key: 'idp.term-months', value: '6' })],
      });
      const counted = find(idp, 'idp.members-counted')!;
      expect(counted.outcome).toBe('passed');
      expect((counted.facts.members as { counted: boolean }[]).every((m) => m.counted)).toBe(true);

      const monthly = find(idp, 'idp.monthly-amount')!;
      const november = monthly.children!.find((c) => c.period === '2026-11')!;
      expect(november.amountKopiyky).toBe('800000');
      expect(november.parameters.map((p) => [p.key, p.value]).sort()).toEqual([
        ['idp.amount.child-or-disability', '300000'],
        ['idp.amount.other', '200000'],
      ]);
      const perMember = Object.fromEntries(
        november.children!.map((c) => [c.facts.personId as string, [c.facts.category, c.amountKopiyky]]),
      );
      expect(perMember).toEqual({
        [family.mother.id]: ['other', '200000'],
        [family.son.id]: ['child', '300000'],
        [family.daughter.id]: ['disability', '300000'],
      });
      expect(monthly.children!.map((c) => [c.period, c.amountKopiyky])).toEqual(MONTHS.map((m) => [m, '800000']));

      const decided = await expectEventually(() => {
        const d = probe
          .envelopes<PayloadOf<typeof ApplicationDecidedV1>>(topic(ApplicationDecidedV1))
          .find((x) => x.payload.applicationId === applicationId);
        expect(d).toBeDefined();
        return d!.payload;
      });
      expect(decided.decisions).toEqual([{ programmeCode: PROGRAMME, outcome: 'granted', reasons: [], assignmentId: grant.assignmentId }]);
    });

    it("shows the granted support in the register's entitlement view of the recipient and of the members", async () => {
      const view = await expectEventually(
        async () => {
          const res = await register.request('GET', `/persons/${family.mother.id}/entitlements`, { token: officer });
          expect(res.status).toBe(200);
          expect(res.body.items).toHaveLength(1);
          return res.body;
        },
        { timeoutMs: 30000 },
      );
      expect(view.items[0]).toMatchObject({
        assignmentId: grant.assignmentId,
        personId: family.mother.id,
        role: 'recipient',
        programmeCode: PROGRAMME,
        status: 'active',
        periodFrom: '2026-11',
        periodTo: '2027-04',
        assignmentVersion: 1,
        katottg: KYIV,
        entitledKopiyky: '4800000',
        paidKopiyky: '0',
        payments: [],
      });
      expect(view.items[0].months.map((m: { month: string; amountKopiyky: string }) => [m.month, m.amountKopiyky])).toEqual(
        MONTHS.map((m) => [m, '800000']),
      );
      const daughter = await expectEventually(async () => {
        const res = await register.request('GET', `/persons/${family.daughter.id}/entitlements`, { token: officer });
        expect(res.body.items).toHaveLength(1);
        return res.body.items[0];
      });
      expect(daughter).toMatchObject({ assignmentId: grant.assignmentId, role: 'member', status: 'active' });
    });

    it('refuses a second application for a family that already holds the allowance with 409 and nothing appears', async () => {
      const before = await applications();
      expect(before.items.map((a) => a.id)).toEqual([applicationId]);
      const again = await submit(diiaApplication(family, '2026-11-20'));
      expect({ status: again.status, code: again.body?.error?.code }).toEqual({ status: 409, code: 'BENEFIT_ALREADY_ASSIGNED' });
      const bySon = await submit(
        diiaApplication(family, '2026-11-20', {
          applicantPersonId: family.son.id,
          applicantRnokpp: undefined,
          household: { members: [{ personId: family.son.id, role: 'applicant', relation: 'self' }] },
        }),
      );
      expect({ status: bySon.status, code: bySon.body?.error?.code }).toEqual({ status: 409, code: 'BENEFIT_ALREADY_ASSIGNED' });
      expect((await applications()).items.map((a) => a.id)).toEqual([applicationId]);
      expect((await applications(`&applicantPersonId=${family.son.id}`)).total).toBe(0);
    });
  });
});
