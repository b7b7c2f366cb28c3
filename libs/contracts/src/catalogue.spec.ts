import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { EventCatalogue } from './catalogue';
import { EventEnvelopeSchema, dlqTopic } from './envelope';

describe('EventCatalogue', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);

  it.each(EventCatalogue.map((c) => [c.topic, c] as const))('%s: the fixture satisfies the payload schema', (_topic, contract) => {
    const validate = ajv.compile(contract.payload);
    const ok = validate(contract.fixture);
    expect(ok ? null : validate.errors).toBeNull();
  });

  it('names every topic <producer>.<aggregate>.<event>.v<N> and never twice', () => {
    const topics = EventCatalogue.map((c) => c.topic);
    expect(new Set(topics).size).toBe(topics.length);
    for (const c of EventCatalogue) {
      expect(c.topic).toMatch(/^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.v[0-9]+$/);
      expect(c.topic).toBe(`${c.eventType}.v${c.eventVersion}`);
      expect(c.topic.startsWith(`${c.producer}.`)).toBe(true);
    }
  });

  it('rejects an envelope with an unknown field or a missing id', () => {
    const validate = ajv.compile(EventEnvelopeSchema);
    const good = {
      eventId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
      eventType: 'social-register.person.registered',
      eventVersion: 1,
      occurredAt: '2026-11-23T10:00:00.000Z',
      producer: 'social-register',
      aggregateType: 'person',
      aggregateId: 'x',
      correlationId: 'c',
      causationId: null,
      payload: {},
    };
    expect(validate(good)).toBe(true);
    expect(validate({ ...good, extra: 1 })).toBe(false);
    const { eventId: _omit, ...noId } = good;
    expect(validate(noId)).toBe(false);
  });

  it('derives dead-letter topic names', () => {
    expect(dlqTopic('a.b.c.v1')).toBe('a.b.c.v1.dlq');
  });
});
