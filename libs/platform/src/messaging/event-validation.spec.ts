import { PersonRegisteredV1 } from '@eisss/contracts';
import { randomUUID } from 'node:crypto';
import { EventValidationError, assertEventValid } from './event-validation';

describe(assertEventValid.name, () => {
  const envelope = (producer: string) => ({
    eventId: randomUUID(),
    eventType: PersonRegisteredV1.eventType,
    eventVersion: 1,
    occurredAt: new Date().toISOString(),
    producer,
    aggregateType: 'person',
    aggregateId: PersonRegisteredV1.fixture.personId,
    correlationId: 'c-1',
    causationId: null,
    payload: PersonRegisteredV1.fixture,
  });

  it("accepts an envelope from the topic's producer", () => {
    expect(() => assertEventValid(PersonRegisteredV1, envelope('social-register'))).not.toThrow();
  });

  it('refuses an envelope whose producer does not own the topic (FOREIGN_PRODUCER)', () => {
    const attempt = () => assertEventValid(PersonRegisteredV1, envelope('payments-treasury'));
    expect(attempt).toThrow(EventValidationError);
    expect(attempt).toThrow(
      expect.objectContaining({
        code: 'FOREIGN_PRODUCER',
        message: `producer "payments-treasury" does not own ${PersonRegisteredV1.topic} (its producer is social-register)`,
      }),
    );
  });
});
