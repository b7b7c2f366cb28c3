import {
  Role,
  AssignmentGrantedV2,
  BorderCrossingRecordedV1,
  CrvsPersonDiedV1,
  CurrencyPurchaseReportedV1,
  DepositReportedV1,
  FindingDecidedV1,
  FindingRaisedV1,
  IncomeReportedV1,
  PropertyRegisteredV1,
  RealEstatePurchaseRegisteredV1,
  VehicleRegisteredV1,
  VerificationCompletedV1,
  VerificationRequestedV1,
  type EventContract,
  type EventEnvelope,
  type PayloadOf,
} from '@eisss/contracts';
import { KafkaProbe, ServiceApp, TestEnvironment, envelopeOf, expectEventually, produceRaw, tokenFor } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { definition } from '../src/service.definition';

type Completed = PayloadOf<typeof VerificationCompletedV1>;
type Raised = PayloadOf<typeof FindingRaisedV1>;

const KYIV = 'UA80000000000093317';
const LVIV = 'UA46060250010015970';

/**
 * Verification in-process against real Postgres and Kafka: inbound facts and requests are produced
 * onto the topics, answers and findings are read back from the topics, the review queue over HTTP.
 */
describe('verification service', () => {
  let env: TestEnvironment;
  let app: ServiceApp;
  let probe: KafkaProbe;
  let sql: Client;
  const topic = (c: EventContract) => env.topicPrefix + c.topic;
  const verifier = tokenFor({ id: 'verifier-1', roles: [Role.Verifier], territory: 'UA' });
  const kyivVerifier = tokenFor({ id: 'verifier-kyiv', roles: [Role.Verifier], territory: 'UA80' });
  const lvivVerifier = tokenFor({ id: 'verifier-lviv', roles: [Role.Verifier], territory: 'UA46' });
  const supervisor = tokenFor({ id: 'supervisor-1', roles: [Role.Supervisor], territory: 'UA' });
  const officer = tokenFor({ id: 'officer-1', roles: [Role.Officer], territory: 'UA' });

  async function publish<C extends EventContract>(
    contract: C,
    payload: PayloadOf<C>,
    key: string,
    eventId?: string,
  ): Promise<EventEnvelope<PayloadOf<C>>> {
    const e = envelopeOf(contract, payload, key, eventId ? { eventId } : {});
    await produceRaw(topic(contract), [{ key, value: JSON.stringify(e) }]);
    return e;
  }

  async function factCount(personId: string): Promise<number> {
    const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM verification.fact WHERE person_id = $1`, [personId]);
    return rows[0]!.n;
  }

  const crossing = (personId: string, direction: 'exit' | 'entry', crossedOn: string) =>
    publish(
      BorderCrossingRecordedV1,
      { crossingId: `dpsu-${randomUUID()}`, personId, direction, crossedOn, checkpoint: 'Ягодин' },
      personId,
    );

  function grant(assignmentId: string, recipientPersonId: string, katottg: string, members: string[] = [recipientPersonId]) {
    const f = AssignmentGrantedV2.fixture;
    return publish(
      AssignmentGrantedV2,
      {
        ...f,
        assignment: {
          ...f.assignment,
          assignmentId,
          recipientPersonId,
          memberPersonIds: members,
          katottg,
          periodFrom: '2026-09',
          periodTo: '2027-02',
          applicationId: null,
        },
      },
      assignmentId,
    );
  }

  async function recipientKnown(assignmentId: string) {
    await expectEventually(async () => {
      const { rows } = await sql.query(`SELECT 1 FROM verification.recipient_assignment WHERE assignment_id = $1`, [assignmentId]);
      expect(rows).toHaveLength(1);
    });
  }

  const completions = (requestId: string) =>
    probe.envelopes<Completed>(topic(VerificationCompletedV1)).filter((e) => e.payload.requestId === requestId);
  const raisedFor = (personId: string) =>
    probe.envelopes<Raised>(topic(FindingRaisedV1)).filter((e) => e.payload.finding.personId === personId);

  function request(
    personId: string,
    overrides: Partial<PayloadOf<typeof VerificationRequestedV1>> = {},
  ): PayloadOf<typeof VerificationRequestedV1> {
    return {
      ...VerificationRequestedV1.fixture,
      requestId: randomUUID(),
      applicationId: randomUUID(),
      katottg: KYIV,
      periodFrom: '2026-08-23',
      periodTo: '2026-11-23',
      persons: [{ personId, role: 'applicant', birthDate: '1990-05-17', lastName: 'Шевченко', firstName: 'Олена' }],
      ...overrides,
    };
  }

  beforeAll(async () => {
    env = await TestEnvironment.create();
    probe = await KafkaProbe.start([topic(VerificationCompletedV1), topic(FindingRaisedV1), topic(FindingDecidedV1)]);
    // A small page makes the monthly run page through the assignments.
    app = await ServiceApp.start(definition, env.env('verification', { VERIFICATION_CURRENT_RUN_PAGE_SIZE: '2' }));
    sql = await env.sql('verification');
  });

  afterAll(async () => {
    await app?.close();
    await probe?.stop();
    await sql?.end();
    await env?.destroy();
  });

  describe('preventive check', () => {
    it('refuses with the act’s discretion and clause when the applicant is back 9 working days after 40 days abroad and held over 100 000 UAH in the look-back', async () => {
      const person = randomUUID();
      await crossing(person, 'exit', '2026-10-01');
      await crossing(person, 'entry', '2026-11-10'); // 40 days; 9 working days before the application on 23.11
      await publish(
        DepositReportedV1,
        {
          reportId: `dep-${randomUUID()}`,
          personId: person,
          bankCode: '322313',
          accountReference: 'dep-****0001',
          balanceKopiyky: '10000001',
          asOf: '2026-09-30',
        },
        person,
      );
      await publish(
        DepositReportedV1,
        {
          reportId: `dep-${randomUUID()}`,
          personId: person,
          bankCode: '322313',
          accountReference: 'dep-****0001',
          balanceKopiyky: '500000',
          asOf: '2026-10-31',
        },
        person,
      );
      await expectEventually(async () => expect(await factCount(person)).toBe(4));

      const req = request(person);
      await publish(VerificationRequestedV1, req, req.requestId);

      const [answer] = await expectEventually(() => {
        const found = completions(req.requestId);
        expect(found).toHaveLength(1);
        return found;
      });
      expect(answer!.aggregateId).toBe(req.requestId);
      expect(answer!.causationId).not.toBeNull();
      expect(answer!.payload).toMatchObject({ requestId: req.requestId, applicationId: req.applicationId, outcome: 'findings' });
      const byRule = Object.fromEntries(answer!.payload.findings.map((f) => [f.rule, f]));
      expect(Object.keys(byRule).sort()).toEqual(['abroad-at-application', 'deposit-over-threshold']);
      expect(byRule['abroad-at-application']).toMatchObject({
        recommendedAction: 'refuse',
        discretion: 'none',
        effectiveDate: '2026-11-23',
        personId: person,
      });
      expect(byRule['abroad-at-application']!.legalBasis).toMatch(/15 робочих днів/);
      expect(byRule['abroad-at-application']!.evidence.at(-1)!.facts).toMatchObject({
        ground: 'too-soon-after-return',
        workingDaysSinceReturn: 9,
        earliestApplicationOn: '2026-12-01',
      });
      // The highest balance of the look-back counts, not the latest report.
      expect(byRule['deposit-over-threshold']).toMatchObject({
        recommendedAction: 'refuse',
        discretion: 'none',
        effectiveDate: '2026-09-30',
      });
      expect(byRule['deposit-over-threshold']!.legalBasis).toMatch(/п\. 7-1/);
      expect(byRule['deposit-over-threshold']!.evidence.find((e) => e.source === 'bank-deposits')?.facts).toMatchObject({
        balanceKopiyky: '10000001',
      });
      const stored = await sql.query(
        `SELECT status, discretion, legal_basis FROM verification.finding WHERE request_id = $1 ORDER BY rule`,
        [req.requestId],
      );
      expect(stored.rows.map((r) => [r.status, r.discretion])).toEqual([
        ['actioned', 'none'],
        ['actioned', 'none'],
      ]);
    });

    it('answers passed when the applicant is back the day before from exactly 30 days abroad and holds exactly 100 000 UAH', async () => {
      const person = randomUUID();
      await crossing(person, 'exit', '2026-10-23');
      await crossing(person, 'entry', '2026-11-22');
      await publish(
        DepositReportedV1,
        {
          reportId: `dep-${randomUUID()}`,
          personId: person,
          bankCode: '322313',
          accountReference: 'dep-****0002',
          balanceKopiyky: '10000000',
          asOf: '2026-10-31',
        },
        person,
      );
      await expectEventually(async () => expect(await factCount(person)).toBe(3));
      const req = request(person);
      await publish(VerificationRequestedV1, req, req.requestId);
      const [answer] = await expectEventually(() => {
        const found = completions(req.requestId);
        expect(found).toHaveLength(1);
        return found;
      });
      expect(answer!.payload).toMatchObject({ outcome: 'passed', findings: [] });
    });

    it('answers once when the same request is delivered twice or re-sent with a new event id', async () => {
      const person = randomUUID();
      const req = request(person);
      const first = await publish(VerificationRequestedV1, req, req.requestId);
      await expectEventually(() => expect(completions(req.requestId)).toHaveLength(1));
      await produceRaw(topic(VerificationRequestedV1), [{ key: req.requestId, value: JSON.stringify(first) }]);
      await publish(VerificationRequestedV1, req, req.requestId); // same request id, new event id
      // A later request on the same partition (same key) proves the duplicates were consumed before it.
      const marker = request(person);
      await publish(VerificationRequestedV1, marker, req.requestId);
      await expectEventually(() => expect(completions(marker.requestId)).toHaveLength(1));
      expect(completions(req.requestId)).toHaveLength(1);
      const { rows } = await sql.query(`SELECT count(*)::int AS n FROM verification.verification_request WHERE request_id = $1`, [
        req.requestId,
      ]);
      expect(rows[0].n).toBe(1);
    });
  });

  describe('death', () => {
    it('raises a stop-payment finding at once with the date of death when a recipient dies', async () => {
      const person = randomUUID();
      const assignmentId = randomUUID();
      await grant(assignmentId, person, KYIV);
      await recipientKnown(assignmentId);
      const died = CrvsPersonDiedV1.fixture;
      await publish(
        CrvsPersonDiedV1,
        { ...died, personId: person, referenceId: `death-${person}`, deathDate: '2026-11-10', registeredOn: '2026-11-11' },
        person,
      );
      const [raised] = await expectEventually(() => {
        const found = raisedFor(person);
        expect(found).toHaveLength(1);
        return found;
      });
      expect(probe.on(topic(FindingRaisedV1)).find((m) => m.headers['event-id'] === raised!.eventId)?.key).toBe(person);
      expect(raised!.aggregateId).toBe(person);
      expect(raised!.payload).toMatchObject({
        kind: 'current',
        assignmentIds: [assignmentId],
        finding: { rule: 'death', recommendedAction: 'stop_payment', effectiveDate: '2026-11-10' },
      });
      expect(raised!.payload.finding.evidence[0]).toMatchObject({ source: 'crvs', reference: `death-${person}` });
      const res = await app.http().get(`/findings/${raised!.payload.finding.findingId}`).set('authorization', `Bearer ${verifier}`);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('actioned');
    });

    it('raises nothing more when the death is delivered again or re-sent by the register', async () => {
      const person = randomUUID();
      const assignmentId = randomUUID();
      await grant(assignmentId, person, KYIV);
      await recipientKnown(assignmentId);
      const payload = { ...CrvsPersonDiedV1.fixture, personId: person, referenceId: `death-${person}`, deathDate: '2026-11-12' };
      const first = await publish(CrvsPersonDiedV1, payload, person);
      await expectEventually(() => expect(raisedFor(person)).toHaveLength(1));
      await produceRaw(topic(CrvsPersonDiedV1), [{ key: person, value: JSON.stringify(first) }]);
      await publish(CrvsPersonDiedV1, payload, person); // same record, new event id
      // A later fact on the same partition (same key) proves the duplicates were consumed before it.
      await crossing(person, 'exit', '2026-11-01');
      await expectEventually(async () => expect(await factCount(person)).toBe(2));
      expect(raisedFor(person)).toHaveLength(1);
      const { rows } = await sql.query(`SELECT count(*)::int AS n FROM verification.finding WHERE person_id = $1`, [person]);
      expect(rows[0].n).toBe(1);
    });
  });

  describe('current check and review queue', () => {
    const car = randomUUID();
    const twice = randomUUID();
    const rich = randomUUID();
    const dead = randomUUID();
    const carAssignment = randomUUID();
    let vehicleFindingId: string;
    let duplicateFindingId: string;
    let incomeFindingId: string;

    beforeAll(async () => {
      await grant(carAssignment, car, KYIV);
      const [a1, a2, a3, a4] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      await grant(a1, twice, KYIV);
      await grant(a2, twice, LVIV);
      await grant(a3, rich, KYIV);
      await grant(a4, dead, KYIV);
      // Bought during the assignment (a car owned from before would not count).
      const { manufactureDate: _d, acquiredOn: _a, ...vehicleFixture } = VehicleRegisteredV1.fixture;
      await publish(
        VehicleRegisteredV1,
        { ...vehicleFixture, registrationId: `gsc-${car}`, personId: car, manufactureYear: 2024, registeredOn: '2026-10-15' },
        car,
      );
      for (const month of ['2026-08', '2026-09', '2026-10']) {
        await publish(
          IncomeReportedV1,
          { ...IncomeReportedV1.fixture, reportId: `dps-${rich}-${month}`, personId: rich, month, amountKopiyky: '1038001' },
          rich,
        );
      }
      await publish(
        CrvsPersonDiedV1,
        { ...CrvsPersonDiedV1.fixture, personId: dead, referenceId: `death-${dead}`, deathDate: '2026-11-05' },
        dead,
      );
      for (const id of [carAssignment, a1, a2, a3, a4]) await recipientKnown(id);
      await expectEventually(async () => {
        expect(await factCount(car)).toBe(1);
        expect(await factCount(rich)).toBe(3);
        expect(await factCount(dead)).toBe(1);
      });
      await expectEventually(() => expect(raisedFor(dead)).toHaveLength(1));
    });

    it('raises FindingRaisedV1 for each new finding of active recipients when the monthly check runs', async () => {
      const res = await app.http().post('/checks/current-run').query({ month: '2026-11' }).set('authorization', `Bearer ${verifier}`);
      expect(res.status).toBe(200);
      expect(res.body.run).toMatchObject({ kind: 'current', month: '2026-11', periodFrom: '2026-11-01', periodTo: '2026-11-30' });
      expect(res.body.assignmentsChecked).toBeGreaterThan(2); // more than one page of 2
      const rules = (p: string) =>
        (res.body.findings as { personId: string; rule: string }[]).filter((f) => f.personId === p).map((f) => f.rule);
      expect(rules(car)).toEqual(['vehicle']);
      expect(rules(twice)).toEqual(['duplicate-registration']);
      expect(rules(rich)).toEqual(['income-over-threshold']);
      expect(rules(dead)).toEqual([]); // raised already when the death arrived

      const vehicle = await expectEventually(() => {
        const found = raisedFor(car);
        expect(found).toHaveLength(1);
        return found[0]!;
      });
      expect(vehicle.payload).toMatchObject({
        kind: 'current',
        assignmentIds: [carAssignment],
        finding: { rule: 'vehicle', recommendedAction: 'stop_payment', discretion: 'officer', effectiveDate: '2026-10-15' },
      });
      vehicleFindingId = vehicle.payload.finding.findingId;
      const duplicate = await expectEventually(() => {
        const found = raisedFor(twice);
        expect(found).toHaveLength(1);
        return found[0]!;
      });
      expect(duplicate.payload.assignmentIds).toHaveLength(2);
      expect(duplicate.payload.finding.evidence.map((e) => e.facts.katottg).sort()).toEqual([LVIV, KYIV].sort());
      duplicateFindingId = duplicate.payload.finding.findingId;
      incomeFindingId = (await expectEventually(() => raisedFor(rich)[0]!)).payload.finding.findingId;
      expect(raisedFor(dead)).toHaveLength(1);
    });

    it('raises nothing new when the monthly check runs again', async () => {
      const res = await app.http().post('/checks/current-run').query({ month: '2026-11' }).set('authorization', `Bearer ${verifier}`);
      expect(res.status).toBe(200);
      expect(res.body.run.findingsRaised).toBe(0);
      expect(res.body.findings).toEqual([]);
      const again = await app
        .http()
        .post('/checks/current-run')
        .query({ month: '2026-11' })
        .set('authorization', `Bearer ${verifier}`)
        .set('x-client-request-id', 'run-2026-11');
      const retried = await app
        .http()
        .post('/checks/current-run')
        .query({ month: '2026-11' })
        .set('authorization', `Bearer ${verifier}`)
        .set('x-client-request-id', 'run-2026-11');
      expect(retried.body.run.runId).toBe(again.body.run.runId);
      expect(raisedFor(car)).toHaveLength(1);
    });

    it('rejects a malformed month and a role without access when the check is started', async () => {
      const bad = await app.http().post('/checks/current-run').query({ month: '2026-13' }).set('authorization', `Bearer ${verifier}`);
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'month' });
      const forbidden = await app.http().post('/checks/current-run').query({ month: '2026-11' }).set('authorization', `Bearer ${officer}`);
      expect(forbidden.status).toBe(403);
    });

    it('lists open findings of a community page by page when an officer reviews the queue', async () => {
      const page1 = await app
        .http()
        .get('/findings')
        .query({ status: 'open', katottg: KYIV, limit: 1, offset: 0 })
        .set('authorization', `Bearer ${kyivVerifier}`);
      expect(page1.status).toBe(200);
      expect(page1.body.items).toHaveLength(1);
      expect(page1.body.total).toBeGreaterThanOrEqual(2);
      expect(page1.body).toMatchObject({ limit: 1, offset: 0 });
      const all = await app
        .http()
        .get('/findings')
        .query({ status: 'open', katottg: KYIV, limit: 500 })
        .set('authorization', `Bearer ${kyivVerifier}`);
      const ids = (all.body.items as { findingId: string; status: string; katottg: string }[]).map((f) => f.findingId);
      expect(ids).toEqual(expect.arrayContaining([vehicleFindingId, incomeFindingId]));
      expect((all.body.items as { status: string }[]).every((f) => f.status === 'open')).toBe(true);
      const audited = await sql.query(
        `SELECT 1 FROM verification_audit.audit_log WHERE actor_id = 'verifier-kyiv' AND action = 'read' AND subject_id = $1`,
        [car],
      );
      expect(audited.rowCount).toBeGreaterThan(0);
    });

    it('hides findings of another territory when a verifier of another oblast looks', async () => {
      const list = await app.http().get('/findings').query({ katottg: KYIV }).set('authorization', `Bearer ${lvivVerifier}`);
      expect(list.status).toBe(200);
      expect(list.body.total).toBe(0);
      const one = await app.http().get(`/findings/${vehicleFindingId}`).set('authorization', `Bearer ${lvivVerifier}`);
      expect(one.status).toBe(403);
      const accept = await app
        .http()
        .post(`/findings/${vehicleFindingId}/accept`)
        .send({ reason: 'x' })
        .set('authorization', `Bearer ${lvivVerifier}`);
      expect(accept.status).toBe(403);
    });

    it('accepts with a reason, audits it, and refuses a contrary decision later', async () => {
      const res = await app
        .http()
        .post(`/findings/${vehicleFindingId}/accept`)
        .send({ reason: 'the car is registered to the recipient' })
        .set('authorization', `Bearer ${kyivVerifier}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'accepted',
        decidedBy: 'verifier-kyiv',
        decisionReason: 'the car is registered to the recipient',
      });
      const retry = await app
        .http()
        .post(`/findings/${vehicleFindingId}/accept`)
        .send({ reason: 'the car is registered to the recipient' })
        .set('authorization', `Bearer ${kyivVerifier}`);
      expect(retry.status).toBe(200);
      const contrary = await app
        .http()
        .post(`/findings/${vehicleFindingId}/reject`)
        .send({ reason: 'changed my mind' })
        .set('authorization', `Bearer ${kyivVerifier}`);
      expect(contrary.status).toBe(409);
      expect(contrary.body.error.code).toBe('FINDING_ALREADY_DECIDED');
      const { rows } = await sql.query(
        `SELECT action, actor_id, purpose FROM verification_audit.audit_log WHERE subject_type = 'finding' AND subject_id = $1`,
        [vehicleFindingId],
      );
      expect(rows).toEqual([{ action: 'accept', actor_id: 'verifier-kyiv', purpose: 'the car is registered to the recipient' }]);
      const decided = await expectEventually(() => {
        const found = probe
          .envelopes<PayloadOf<typeof FindingDecidedV1>>(topic(FindingDecidedV1))
          .filter((e) => e.payload.finding.findingId === vehicleFindingId);
        expect(found).toHaveLength(1);
        return found[0]!;
      });
      expect(decided.aggregateId).toBe(car);
      expect(decided.payload).toMatchObject({
        decision: 'accepted',
        decidedBy: 'verifier-kyiv',
        reason: 'the car is registered to the recipient',
        assignmentIds: [carAssignment],
      });
    });

    it('rejects with a reason and requires one', async () => {
      const missing = await app.http().post(`/findings/${incomeFindingId}/reject`).send({}).set('authorization', `Bearer ${verifier}`);
      expect(missing.status).toBe(400);
      expect(missing.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'reason' });
      const res = await app
        .http()
        .post(`/findings/${incomeFindingId}/reject`)
        .send({ reason: 'income was a one-off sale, documented' })
        .set('authorization', `Bearer ${verifier}`);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('rejected');
      const supervisorDecides = await app
        .http()
        .post(`/findings/${duplicateFindingId}/accept`)
        .send({ reason: 'x' })
        .set('authorization', `Bearer ${supervisor}`);
      expect(supervisorDecides.status).toBe(403);
      const unknown = await app
        .http()
        .post(`/findings/${randomUUID()}/accept`)
        .send({ reason: 'x' })
        .set('authorization', `Bearer ${verifier}`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('FINDING_NOT_FOUND');
    });

    it('exports accepted cases with their evidence for law enforcement', async () => {
      const res = await app.http().get('/findings/export').query({ status: 'accepted' }).set('authorization', `Bearer ${supervisor}`);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('accepted');
      const ids = (res.body.cases as { findingId: string }[]).map((c) => c.findingId);
      expect(ids).toContain(vehicleFindingId);
      expect(ids).not.toContain(incomeFindingId);
      const vehicleCase = (res.body.cases as { findingId: string; evidence: { source: string; facts: Record<string, unknown> }[] }[]).find(
        (c) => c.findingId === vehicleFindingId,
      )!;
      expect(vehicleCase.evidence.find((e) => e.source === 'vehicle-register')?.facts).toMatchObject({ manufactureYear: 2024 });
      expect(res.body.count).toBe(ids.length);
      const open = await app.http().get('/findings/export').query({ status: 'open' }).set('authorization', `Bearer ${supervisor}`);
      expect(open.status).toBe(400);
      const officerTry = await app.http().get('/findings/export').set('authorization', `Bearer ${officer}`);
      expect(officerTry.status).toBe(403);
    });
  });

  describe('IDP rules from the new facts', () => {
    it('stores purchases, exempts the orphan’s deposit and the large family’s car, and refuses for purchases and housing at application', async () => {
      const applicant = randomUUID();
      const orphan = randomUUID();
      await publish(
        DepositReportedV1,
        {
          reportId: `dep-${randomUUID()}`,
          personId: orphan,
          bankCode: '322313',
          accountReference: 'dep-****0009',
          balanceKopiyky: '20000000',
          asOf: '2026-10-31',
        },
        orphan,
      );
      await publish(
        VehicleRegisteredV1,
        {
          ...VehicleRegisteredV1.fixture,
          registrationId: `gsc-${applicant}`,
          personId: applicant,
          manufactureDate: '2024-03-01',
          acquiredOn: '2026-10-01',
          registeredOn: '2026-10-02',
        },
        applicant,
      );
      const fx = { ...CurrencyPurchaseReportedV1.fixture, personId: applicant };
      const first = await publish(
        CurrencyPurchaseReportedV1,
        { ...fx, operationId: `fx-${applicant}-1`, amountKopiyky: '6000000', purchasedOn: '2026-09-10' },
        applicant,
      );
      await publish(
        CurrencyPurchaseReportedV1,
        {
          ...fx,
          operationId: `fx-${applicant}-2`,
          assetKind: 'bank-metal',
          assetCode: 'XAU',
          amountKopiyky: '4000001',
          purchasedOn: '2026-10-10',
        },
        applicant,
      );
      await publish(
        RealEstatePurchaseRegisteredV1,
        {
          ...RealEstatePurchaseRegisteredV1.fixture,
          deedId: `deed-${applicant}`,
          personId: applicant,
          amountKopiyky: '10000000',
          purchasedOn: '2026-10-01',
        },
        applicant,
      );
      await publish(
        PropertyRegisteredV1,
        {
          ...PropertyRegisteredV1.fixture,
          recordId: `drrp-${applicant}`,
          personId: applicant,
          areaSquareDecimetres: 2731,
          share: '1/1',
          inListedTerritory: false,
        },
        applicant,
      );
      await expectEventually(async () => {
        expect(await factCount(applicant)).toBe(5);
        expect(await factCount(orphan)).toBe(1);
      });
      // A second delivery of the same purchase changes nothing (inbox).
      await produceRaw(topic(CurrencyPurchaseReportedV1), [{ key: applicant, value: JSON.stringify(first) }]);
      const stored = await sql.query(
        `SELECT source, data FROM verification.fact WHERE person_id = $1 AND kind = 'purchase' ORDER BY reference`,
        [applicant],
      );
      expect(stored.rows.map((r) => [r.source, r.data.assetKind, r.data.amountKopiyky])).toEqual([
        ['notary', 'apartment', '10000000'],
        ['bank-operations', 'currency', '6000000'],
        ['bank-operations', 'bank-metal', '4000001'],
      ]);

      const req = request(applicant, {
        persons: [
          {
            personId: applicant,
            role: 'applicant',
            birthDate: '1990-05-17',
            lastName: 'Шевченко',
            firstName: 'Олена',
            statuses: ['idp', 'large_family'],
          },
          {
            personId: orphan,
            role: 'member',
            birthDate: '2012-02-02',
            lastName: 'Шевченко',
            firstName: 'Іван',
            statuses: ['idp', 'orphan'],
          },
        ],
      });
      await publish(VerificationRequestedV1, req, req.requestId);
      const [answer] = await expectEventually(() => {
        const found = completions(req.requestId);
        expect(found).toHaveLength(1);
        return found;
      });
      expect(await factCount(applicant)).toBe(5);
      const byRule = Object.fromEntries(answer!.payload.findings.map((f) => [f.rule, f]));
      expect(Object.keys(byRule).sort()).toEqual(['housing-area', 'purchase-over-threshold']);
      expect(byRule['purchase-over-threshold']).toMatchObject({
        personId: applicant,
        recommendedAction: 'refuse',
        discretion: 'none',
        effectiveDate: '2026-09-10',
      });
      expect(byRule['purchase-over-threshold']!.legalBasis).toMatch(/п\. 7-1/);
      expect(byRule['purchase-over-threshold']!.evidence.filter((e) => e.source === 'bank-operations')).toHaveLength(2);
      expect(byRule['housing-area']).toMatchObject({ personId: applicant, recommendedAction: 'refuse', discretion: 'none' });
      expect(byRule['housing-area']!.evidence.at(-1)!.facts).toMatchObject({
        scope: 'family',
        members: 2,
        maxAreaPerMemberSquareDecimetres: 1365,
      });
    });

    it('stops a member’s share at once for 31 days abroad, ignores a documented treatment stay, and queues the 90-day and purchase findings for the officer', async () => {
      const recipient = randomUUID();
      const [away31, treated, away118] = [randomUUID(), randomUUID(), randomUUID()];
      const assignmentId = randomUUID();
      await grant(assignmentId, recipient, KYIV, [recipient, away31, treated, away118]);
      await crossing(away31, 'exit', '2026-10-01');
      await crossing(away31, 'entry', '2026-11-01');
      await publish(
        BorderCrossingRecordedV1,
        {
          crossingId: `dpsu-${randomUUID()}`,
          personId: treated,
          direction: 'exit',
          crossedOn: '2026-09-10',
          checkpoint: null,
          stayReason: { reason: 'treatment', documentReference: 'med-cert-77' },
        },
        treated,
      );
      await crossing(treated, 'entry', '2026-10-20');
      await crossing(away118, 'exit', '2026-09-05');
      await publish(
        CurrencyPurchaseReportedV1,
        {
          ...CurrencyPurchaseReportedV1.fixture,
          operationId: `fx-${recipient}`,
          personId: recipient,
          amountKopiyky: '15000000',
          purchasedOn: '2026-10-10',
        },
        recipient,
      );
      await recipientKnown(assignmentId);
      await expectEventually(async () => {
        expect(await factCount(away31)).toBe(2);
        expect(await factCount(treated)).toBe(2);
        expect(await factCount(away118)).toBe(1);
        expect(await factCount(recipient)).toBe(1);
      });

      const res = await app.http().post('/checks/current-run').query({ month: '2026-12' }).set('authorization', `Bearer ${verifier}`);
      expect(res.status).toBe(200);
      type F = {
        personId: string;
        rule: string;
        recommendedAction: string;
        discretion: string;
        status: string;
        effectiveDate: string;
        legalBasis: string;
        evidence: { facts: Record<string, unknown> }[];
      };
      const of = (p: string) => (res.body.findings as F[]).filter((f) => f.personId === p).sort((a, b) => a.rule.localeCompare(b.rule));
      expect(of(treated)).toEqual([]);
      expect(of(away31).map((f) => [f.rule, f.recommendedAction, f.discretion, f.status, f.effectiveDate])).toEqual([
        ['abroad', 'stop_payment', 'none', 'actioned', '2026-10-31'],
      ]);
      expect(of(away31)[0]!.evidence.at(-1)!.facts).toMatchObject({
        stopsShareOf: away31,
        scope: 'person',
        restorable: false,
        paymentStopsFrom: '2026-11',
      });
      expect(of(away118).map((f) => [f.rule, f.recommendedAction, f.discretion, f.status, f.effectiveDate])).toEqual([
        ['abroad', 'stop_payment', 'none', 'actioned', '2026-10-05'],
        ['abroad-over-90-days', 'stop_payment', 'officer', 'open', '2026-12-04'],
      ]);
      expect(of(away118)[1]!.legalBasis).toMatch(/№ 376/);
      expect(of(recipient).map((f) => [f.rule, f.recommendedAction, f.discretion, f.status])).toEqual([
        ['purchase-over-threshold', 'stop_payment', 'officer', 'open'],
      ]);

      const raised = await expectEventually(() => {
        const found = raisedFor(away31);
        expect(found).toHaveLength(1);
        return found[0]!;
      });
      expect(raised.payload).toMatchObject({
        kind: 'current',
        assignmentIds: [assignmentId],
        finding: { rule: 'abroad', recommendedAction: 'stop_payment', discretion: 'none', effectiveDate: '2026-10-31' },
      });
      expect(raised.payload.finding.legalBasis).toMatch(/п\. 8/);
      await expectEventually(() => expect(raisedFor(away118)).toHaveLength(2));
      expect(raisedFor(treated)).toHaveLength(0);
    });
  });

  describe('retrospective check', () => {
    const person = randomUUID();
    const assignmentId = randomUUID();

    beforeAll(async () => {
      await grant(assignmentId, person, KYIV);
      // 20 + 20 + 21 = 61 days abroad between March and August.
      for (const [exit, entry] of [
        ['2026-03-01', '2026-03-21'],
        ['2026-05-01', '2026-05-21'],
        ['2026-07-01', '2026-07-22'],
      ] as const) {
        await crossing(person, 'exit', exit);
        await crossing(person, 'entry', entry);
      }
      await recipientKnown(assignmentId);
      await expectEventually(async () => expect(await factCount(person)).toBe(6));
    });

    it('finds more than 60 days abroad in a past period and raises a retrospective finding once', async () => {
      const body = { personId: person, periodFrom: '2026-03-01', periodTo: '2026-08-31' };
      const res = await app.http().post('/checks/retrospective').send(body).set('authorization', `Bearer ${verifier}`);
      expect(res.status).toBe(200);
      expect(res.body.findings).toHaveLength(1);
      // The act stops the payment without restoring it and leaves no discretion: stop_payment, carried out at once.
      expect(res.body.findings[0]).toMatchObject({
        rule: 'abroad',
        kind: 'retrospective',
        recommendedAction: 'stop_payment',
        discretion: 'none',
        effectiveDate: '2026-07-21',
        status: 'actioned',
        assignmentIds: [assignmentId],
      });
      expect(res.body.findings[0].legalBasis).toMatch(/п\. 8/);
      expect(res.body.newFindingIds).toEqual([res.body.findings[0].findingId]);
      const raised = await expectEventually(() => {
        const found = raisedFor(person);
        expect(found).toHaveLength(1);
        return found[0]!;
      });
      expect(raised.payload.kind).toBe('retrospective');

      const again = await app.http().post('/checks/retrospective').send(body).set('authorization', `Bearer ${verifier}`);
      expect(again.status).toBe(200);
      expect(again.body.newFindingIds).toEqual([]);
      expect(again.body.findings.map((f: { findingId: string }) => f.findingId)).toEqual([res.body.findings[0].findingId]);
      const byAssignment = await app
        .http()
        .post('/checks/retrospective')
        .send({ assignmentId, periodFrom: '2026-03-01', periodTo: '2026-08-31' })
        .set('authorization', `Bearer ${verifier}`);
      expect(byAssignment.body.newFindingIds).toEqual([]);
      expect(raisedFor(person)).toHaveLength(1);
    });

    it('refuses a check without a subject, a future period, an unknown person or a foreign territory', async () => {
      const noSubject = await app
        .http()
        .post('/checks/retrospective')
        .send({ periodFrom: '2026-03-01', periodTo: '2026-08-31' })
        .set('authorization', `Bearer ${verifier}`);
      expect(noSubject.status).toBe(400);
      expect(noSubject.body.error.code).toBe('CHECK_SUBJECT_REQUIRED');
      const future = await app
        .http()
        .post('/checks/retrospective')
        .send({ personId: person, periodFrom: '2026-03-01', periodTo: '2099-01-01' })
        .set('authorization', `Bearer ${verifier}`);
      expect(future.status).toBe(400);
      expect(future.body.error).toMatchObject({ code: 'PERIOD_IN_FUTURE', field: 'periodTo' });
      const unknown = await app
        .http()
        .post('/checks/retrospective')
        .send({ personId: randomUUID(), periodFrom: '2026-03-01', periodTo: '2026-08-31' })
        .set('authorization', `Bearer ${verifier}`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('RECIPIENT_NOT_FOUND');
      const foreign = await app
        .http()
        .post('/checks/retrospective')
        .send({ personId: person, periodFrom: '2026-03-01', periodTo: '2026-08-31' })
        .set('authorization', `Bearer ${lvivVerifier}`);
      expect(foreign.status).toBe(403);
    });
  });

  it('dead-letters a request whose period ends before it starts', async () => {
    const dlq = await KafkaProbe.start([topic(VerificationRequestedV1) + '.dlq']);
    try {
      const req = request(randomUUID(), { periodFrom: '2026-11-23', periodTo: '2026-08-23' });
      await publish(VerificationRequestedV1, req, req.requestId);
      const dead = await expectEventually(() => {
        const m = dlq.on(topic(VerificationRequestedV1) + '.dlq').find((x) => x.key === req.requestId);
        expect(m).toBeDefined();
        return m!;
      });
      expect(dead.headers['dlq-error-code']).toBe('VERIFICATION_REQUEST_INVALID');
      expect(completions(req.requestId)).toHaveLength(0);
    } finally {
      await dlq.stop();
    }
  });

  it('documents every endpoint in OpenAPI with bearer auth', async () => {
    const res = await app.http().get('/docs-json');
    expect(res.status).toBe(200);
    const paths = res.body.paths as Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
    for (const p of [
      '/checks/current-run',
      '/checks/retrospective',
      '/findings',
      '/findings/export',
      '/findings/{id}',
      '/findings/{id}/accept',
      '/findings/{id}/reject',
      '/rules',
    ]) {
      expect(paths[p]).toBeDefined();
      for (const op of Object.values(paths[p]!)) {
        expect(op.security).toEqual([{ bearer: [] }]);
        expect(op.responses['200']).toBeDefined();
      }
    }
  });

  it('lists the rule table with effective-dated income thresholds', async () => {
    const res = await app.http().get('/rules').set('authorization', `Bearer ${supervisor}`);
    expect(res.status).toBe(200);
    const income = (
      res.body as { ruleId: string; effectiveFrom: string; parameters: { monthlyThresholdPerPersonKopiyky: string } }[]
    ).filter((r) => r.ruleId === 'income-over-threshold');
    expect(income.map((r) => [r.effectiveFrom, r.parameters.monthlyThresholdPerPersonKopiyky])).toEqual([
      ['2025-01-01', '944400'],
      ['2026-01-01', '1038000'],
    ]);
  });
});
