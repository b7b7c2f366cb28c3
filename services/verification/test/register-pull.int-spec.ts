import { AssignmentGrantedV2, FindingRaisedV1, type PayloadOf, Role } from '@eisss/contracts';
import { KafkaProbe, ServiceApp, TestEnvironment, expectEventually, produceRaw, tokenFor } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CircuitOpenError } from '../src/pull/circuit-breaker';
import { HttpRegisterPullAdapter, PullError } from '../src/pull/register-pull.adapter';
import { definition } from '../src/service.definition';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A register gateway stand-in: a local HTTP server whose behaviour each test sets. */
class FakeRegister {
  requests: string[] = [];
  handler: Handler = (_req, res) => res.writeHead(404).end();
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeRegister> {
    let self!: FakeRegister; // eslint-disable-line prefer-const -- assigned after the server it is used in
    const server = createServer((req, res) => {
      self.requests.push(req.url ?? '');
      self.handler(req, res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    self = new FakeRegister(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`);
    return self;
  }

  respond(status: number, body: unknown) {
    this.handler = (_req, res) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

const PERSON = '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70';
const period = { from: '2026-03-01', to: '2026-08-31' };
// Bought (registered) within the checked period: the IDP act counts a vehicle bought while receiving, not one owned from before.
const vehicleFact = (personId = PERSON) => ({
  source: 'vehicle-register',
  kind: 'vehicle',
  reference: `gsc-${personId}`,
  personId,
  occurredOn: '2026-05-01',
  data: { vehicleKind: 'passenger-car', make: 'Škoda', manufactureYear: 2024, registeredOn: '2026-05-01', deregisteredOn: null },
});

describe(HttpRegisterPullAdapter.name, () => {
  let register: FakeRegister;
  const adapter = (o: Partial<ConstructorParameters<typeof HttpRegisterPullAdapter>[0]> = {}) =>
    new HttpRegisterPullAdapter({
      name: 'fake',
      baseUrl: register.url,
      timeoutMs: 500,
      retries: 2,
      retryBaseMs: 5,
      breaker: { failureThreshold: 2, cooldownMs: 200 },
      ...o,
    });

  beforeEach(async () => {
    register = await FakeRegister.start();
  });
  afterEach(async () => {
    await register.stop();
  });

  it('pulls facts for a person and period when the register answers', async () => {
    register.respond(200, { facts: [vehicleFact()] });
    const facts = await adapter().pullFacts(PERSON, period);
    expect(facts).toEqual([vehicleFact()]);
    expect(register.requests).toEqual([`/api/persons/${PERSON}/facts?from=2026-03-01&to=2026-08-31`]);
  });

  it('retries a 503 and succeeds when the register recovers', async () => {
    let calls = 0;
    register.handler = (_req, res) => {
      calls++;
      if (calls < 3) res.writeHead(503).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ facts: [] }));
    };
    await expect(adapter().pullFacts(PERSON, period)).resolves.toEqual([]);
    expect(calls).toBe(3);
  });

  it('does not retry a 400 and fails when the request is refused', async () => {
    register.respond(400, { error: 'bad' });
    await expect(adapter().pullFacts(PERSON, period)).rejects.toMatchObject({ name: 'PullError', status: 400, retryable: false });
    expect(register.requests).toHaveLength(1);
  });

  it('aborts an attempt after the timeout and retries it', async () => {
    register.handler = () => undefined; // never answers
    const err = await adapter({ timeoutMs: 100, retries: 1 })
      .pullFacts(PERSON, period)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PullError);
    expect((err as Error).message).toMatch(/timed out after 100 ms/);
    expect(register.requests).toHaveLength(2);
  });

  it('rejects a response with a fact of another person', async () => {
    register.respond(200, { facts: [vehicleFact(randomUUID())] });
    await expect(adapter().pullFacts(PERSON, period)).rejects.toThrow(/another person/);
  });

  it('opens the circuit after repeated failures, then lets a trial through after the cool-down', async () => {
    register.respond(500, {});
    const a = adapter({ retries: 0 });
    await expect(a.pullFacts(PERSON, period)).rejects.toBeInstanceOf(PullError);
    await expect(a.pullFacts(PERSON, period)).rejects.toBeInstanceOf(PullError);
    expect(a.breaker.state).toBe('open');
    await expect(a.pullFacts(PERSON, period)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(register.requests).toHaveLength(2); // the open circuit made no call
    register.respond(200, { facts: [] });
    await expectEventually(() => expect(a.breaker.state).toBe('half-open'), { timeoutMs: 2000, intervalMs: 20 });
    await expect(a.pullFacts(PERSON, period)).resolves.toEqual([]);
    expect(a.breaker.state).toBe('closed');
  });
});

describe('retrospective check with an on-demand pull', () => {
  let env: TestEnvironment;
  let app: ServiceApp;
  let register: FakeRegister;
  let probe: KafkaProbe;
  const verifier = tokenFor({ id: 'verifier-1', roles: [Role.Verifier], territory: 'UA' });

  beforeAll(async () => {
    register = await FakeRegister.start();
    env = await TestEnvironment.create();
    probe = await KafkaProbe.start([env.topicPrefix + FindingRaisedV1.topic]);
    app = await ServiceApp.start(
      definition,
      env.env('verification', {
        VERIFICATION_PULL_BASE_URL: register.url,
        VERIFICATION_PULL_TIMEOUT_MS: '500',
        VERIFICATION_PULL_RETRIES: '0',
        VERIFICATION_PULL_BREAKER_FAILURES: '1',
        VERIFICATION_PULL_BREAKER_COOLDOWN_MS: '600000',
      }),
    );
  });

  afterAll(async () => {
    await app?.close();
    await probe?.stop();
    await env?.destroy();
    await register?.stop();
  });

  async function grant(personId: string): Promise<void> {
    const assignmentId = randomUUID();
    const f = AssignmentGrantedV2.fixture;
    const payload: PayloadOf<typeof AssignmentGrantedV2> = {
      ...f,
      assignment: { ...f.assignment, assignmentId, recipientPersonId: personId, memberPersonIds: [personId] },
    };
    const envelope = {
      eventId: randomUUID(),
      eventType: AssignmentGrantedV2.eventType,
      eventVersion: AssignmentGrantedV2.eventVersion,
      occurredAt: new Date().toISOString(),
      producer: 'social-processing',
      aggregateType: 'assignment',
      aggregateId: assignmentId,
      correlationId: randomUUID(),
      causationId: null,
      payload,
    };
    await produceRaw(env.topicPrefix + AssignmentGrantedV2.topic, [{ key: assignmentId, value: JSON.stringify(envelope) }]);
    const sql = await env.sql('verification');
    try {
      await expectEventually(async () =>
        expect((await sql.query(`SELECT 1 FROM verification.recipient_assignment WHERE assignment_id = $1`, [assignmentId])).rowCount).toBe(
          1,
        ),
      );
    } finally {
      await sql.end();
    }
  }

  it('stores the pulled facts and raises a finding from them when the register answers', async () => {
    const person = randomUUID();
    await grant(person);
    register.respond(200, { facts: [vehicleFact(person)] });
    const res = await app
      .http()
      .post('/checks/retrospective')
      .send({ personId: person, ...{ periodFrom: period.from, periodTo: period.to } })
      .set('authorization', `Bearer ${verifier}`);
    expect(res.status).toBe(200);
    expect(res.body.findings).toHaveLength(1);
    expect(res.body.findings[0]).toMatchObject({ rule: 'vehicle', kind: 'retrospective' });
    expect(register.requests.at(-1)).toBe(`/api/persons/${person}/facts?from=2026-03-01&to=2026-08-31`);
    await expectEventually(() =>
      expect(
        probe
          .envelopes<PayloadOf<typeof FindingRaisedV1>>(env.topicPrefix + FindingRaisedV1.topic)
          .filter((e) => e.payload.finding.personId === person),
      ).toHaveLength(1),
    );
  });

  it('answers 503 REGISTER_UNAVAILABLE and then stops calling when the register fails', async () => {
    const person = randomUUID();
    await grant(person);
    register.respond(500, {});
    const body = { personId: person, periodFrom: period.from, periodTo: period.to };
    const first = await app.http().post('/checks/retrospective').send(body).set('authorization', `Bearer ${verifier}`);
    expect(first.status).toBe(503);
    expect(first.body.error).toMatchObject({ code: 'REGISTER_UNAVAILABLE' });
    const calls = register.requests.length;
    const second = await app.http().post('/checks/retrospective').send(body).set('authorization', `Bearer ${verifier}`);
    expect(second.status).toBe(503);
    expect(second.body.error.message).toMatch(/circuit open/);
    expect(register.requests).toHaveLength(calls);
  });
});
