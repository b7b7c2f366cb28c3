import { EventEnvelopeSchema, type EventContract, type EventEnvelope } from '@eisss/contracts';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateEnvelope = ajv.compile(EventEnvelopeSchema);
const payloadValidators = new WeakMap<EventContract, ValidateFunction>();

function describe(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
}

export class EventValidationError extends Error {
  constructor(
    readonly code: 'INVALID_ENVELOPE' | 'INVALID_PAYLOAD' | 'WRONG_EVENT_TYPE' | 'FOREIGN_PRODUCER',
    message: string,
  ) {
    super(message);
    this.name = 'EventValidationError';
  }
}

/** Returns a description of what is wrong with the payload, or null when it satisfies the contract. */
export function payloadProblems(contract: EventContract, payload: unknown): string | null {
  let validate = payloadValidators.get(contract);
  if (!validate) {
    validate = ajv.compile(contract.payload);
    payloadValidators.set(contract, validate);
  }
  return validate(payload) ? null : describe(validate.errors);
}

/**
 * Validates an envelope and its payload against the contract; throws {@link EventValidationError}.
 * The envelope's `producer` must be the topic's owner: the broker's ACLs decide who may write a topic,
 * and a consumer still refuses an event that claims another producer (FOREIGN_PRODUCER).
 */
export function assertEventValid(contract: EventContract, value: unknown): asserts value is EventEnvelope {
  if (!validateEnvelope(value)) throw new EventValidationError('INVALID_ENVELOPE', describe(validateEnvelope.errors));
  const env = value as EventEnvelope;
  if (env.eventType !== contract.eventType || env.eventVersion !== contract.eventVersion) {
    throw new EventValidationError(
      'WRONG_EVENT_TYPE',
      `expected ${contract.eventType} v${contract.eventVersion}, got ${env.eventType} v${env.eventVersion}`,
    );
  }
  if (env.producer !== contract.producer) {
    throw new EventValidationError(
      'FOREIGN_PRODUCER',
      `producer ${JSON.stringify(env.producer)} does not own ${contract.topic} (its producer is ${contract.producer})`,
    );
  }
  const problems = payloadProblems(contract, env.payload);
  if (problems) throw new EventValidationError('INVALID_PAYLOAD', problems);
}
