import { PersonRegisteredV1, dlqTopic, Role } from '@eisss/contracts';
import { withRnokppChecksum } from '@eisss/platform';
import { KafkaProbe, ServiceProcess, TestEnvironment, expectEventually, produceRaw, tokenFor } from '@eisss/testing';

/**
 * The platform's first event flow across two processes and a real broker:
 * POST a person to social-register → social-register.person.registered.v1 → social-processing's projection.
 */
describe('person registration flow', () => {
  let env: TestEnvironment;
  let register: ServiceProcess;
  let processing: ServiceProcess;
  let probe: KafkaProbe;
  const registrar = tokenFor({ id: 'registrar-1', roles: [Role.Registrar], territory: 'UA' });
  const officer = tokenFor({ id: 'officer-1', roles: [Role.Officer], territory: 'UA' });
  const topic = () => env.topicPrefix + PersonRegisteredV1.topic;
  let seq = 0;

  /** A valid person whose РНОКПП encodes the birth date. */
  function newPerson(lastName = 'Коваленко') {
    seq++;
    const days = 32000 + seq; // days since 31.12.1899
    const birthDate = new Date(Date.UTC(1899, 11, 31) + days * 86_400_000).toISOString().slice(0, 10);
    const rnokpp = withRnokppChecksum(`${days}${String(1000 + (seq % 9000)).padStart(4, '0')}`.slice(0, 9));
    return { rnokpp, lastName, firstName: `Ім'я${seq}`, birthDate, sex: seq % 2 ? 'female' : 'male', katottg: 'UA80000000000093317' };
  }

  async function registerPerson(lastName?: string): Promise<string> {
    const res = await register.request('POST', '/persons', { token: registrar, body: newPerson(lastName) });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function projection(id: string) {
    const res = await processing.request('GET', `/persons/${id}`, { token: officer });
    expect(res.status).toBe(200);
    return res.body as { lastName: string; eventsApplied: number; rnokppMasked: string };
  }

  beforeAll(async () => {
    env = await TestEnvironment.create();
    probe = await KafkaProbe.start([topic(), env.topicPrefix + dlqTopic(PersonRegisteredV1.topic)]);
    [register, processing] = await Promise.all([
      ServiceProcess.start('social-register', env.env('social-register')),
      ServiceProcess.start('social-processing', env.env('social-processing')),
    ]);
  });

  afterAll(async () => {
    await Promise.all([register?.stop(), processing?.stop()]);
    await probe?.stop();
    await env?.destroy();
  });

  it('projects a registered person into processing with a masked РНОКПП when the event flows', async () => {
    const body = newPerson('Шевченко');
    const res = await register.request('POST', '/persons', { token: registrar, body, headers: { 'x-correlation-id': 'flow-corr-1' } });
    expect(res.status).toBe(201);
    const p = await expectEventually(() => projection(res.body.id));
    expect(p.lastName).toBe('Шевченко');
    expect(p.rnokppMasked).toBe(`******${body.rnokpp.slice(-4)}`);
    const published = probe.envelopes(topic()).find((e) => e.aggregateId === res.body.id)!;
    expect(published.correlationId).toBe('flow-corr-1');
    expect(probe.on(topic()).find((m) => m.key === res.body.id)).toBeDefined();
  });

  it('changes nothing when the same event is delivered twice', async () => {
    const id = await registerPerson();
    await expectEventually(async () => expect((await projection(id)).eventsApplied).toBe(1));
    const original = await expectEventually(() => {
      const m = probe.on(topic()).find((x) => x.key === id);
      expect(m).toBeDefined();
      return m!;
    });
    await produceRaw(topic(), [{ key: id, value: original.value!, headers: original.headers }]);
    // A later event on the same partition (same key) proves the duplicate was consumed before it.
    const marker = JSON.parse(original.value!);
    marker.eventId = '00000000-0000-4000-8000-000000000001';
    marker.occurredAt = new Date(Date.parse(marker.occurredAt) + 1000).toISOString();
    marker.payload.name.lastName = 'Повторенко';
    await produceRaw(topic(), [{ key: id, value: JSON.stringify(marker) }]);
    await expectEventually(async () => expect((await projection(id)).lastName).toBe('Повторенко'));
    expect((await projection(id)).eventsApplied).toBe(2);
  });

  it('dead-letters a malformed event with the reason and still processes the next good one', async () => {
    await produceRaw(topic(), [
      { key: 'broken-1', value: '{"eventId": "not even json' },
      { key: 'broken-2', value: JSON.stringify({ eventId: 'x', payload: {} }) },
    ]);
    const id = await registerPerson('Наступний');
    await expectEventually(async () => expect((await projection(id)).lastName).toBe('Наступний'));
    const dlq = await expectEventually(() => {
      const msgs = probe.on(env.topicPrefix + dlqTopic(PersonRegisteredV1.topic));
      expect(msgs.map((m) => m.key)).toEqual(expect.arrayContaining(['broken-1', 'broken-2']));
      return msgs;
    });
    expect(dlq.find((m) => m.key === 'broken-1')!.headers['dlq-error-code']).toBe('INVALID_JSON');
    expect(dlq.find((m) => m.key === 'broken-2')!.headers['dlq-error-code']).toBe('INVALID_ENVELOPE');
    expect(dlq.find((m) => m.key === 'broken-2')!.headers['dlq-reason']).toMatch(/eventType|format/);
  });

  it('loses nothing when the consumer is killed mid-stream and restarted', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await registerPerson('Перший'));
    await expectEventually(async () => expect((await projection(ids[0]!)).lastName).toBe('Перший'));
    await processing.kill(); // SIGKILL: no graceful shutdown, uncommitted offsets stay uncommitted
    for (let i = 0; i < 15; i++) ids.push(await registerPerson('Другий'));
    processing = await ServiceProcess.start('social-processing', env.env('social-processing'));
    for (const id of ids) {
      const p = await expectEventually(() => projection(id), { timeoutMs: 60000 });
      expect(p.eventsApplied).toBe(1);
    }
  });

  it('shuts down gracefully with exit code 0 when sent SIGTERM', async () => {
    const code = await processing.stop();
    expect(code).toBe(0);
    processing = await ServiceProcess.start('social-processing', env.env('social-processing'));
    const id = await registerPerson('Після');
    await expectEventually(async () => expect((await projection(id)).lastName).toBe('Після'));
  });
});
