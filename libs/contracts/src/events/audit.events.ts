/**
 * "Who looked at my data" across services: each service that reads a person's data records the
 * read in its own append-only audit trail and, in the same statement, publishes this event; the
 * register (which answers the citizen's question) keeps a copy in its own trail. One topic per
 * producer, so a service can only speak for its own reads (the broker's ACLs enforce it).
 */
import { Type } from '@sinclair/typebox';
import { defineEvent, type EventContract, type ServiceName } from '../envelope';
import { Uuid } from './common';

const PersonDataReadPayload = Type.Object(
  {
    personId: Uuid,
    actorId: Type.String({ minLength: 1, maxLength: 200 }),
    actorRoles: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 20 }),
    action: Type.String({ minLength: 1, maxLength: 50 }),
    purpose: Type.Union([Type.String({ maxLength: 500 }), Type.Null()]),
    readAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

/** The services whose reads of a person are reported to the register (the register records its own directly; e-budget holds no person data). */
export const PersonDataReadProducers = [
  'social-processing',
  'verification',
  'payments-treasury',
  'case-management',
] as const satisfies readonly ServiceName[];
export type PersonDataReadProducer = (typeof PersonDataReadProducers)[number];

function personDataRead(producer: PersonDataReadProducer) {
  return defineEvent({
    producer,
    aggregateType: 'person',
    event: 'data-read',
    version: 1,
    consumers: ['social-register'],
    key: 'person id',
    description: `${producer} read a person's data (who, when, for what); the register adds it to the person's "who looked at my data".`,
    payload: PersonDataReadPayload,
    fixture: {
      personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
      actorId: 'officer-ua46',
      actorRoles: ['officer'],
      action: 'read',
      purpose: 'application card',
      readAt: '2026-12-01T10:00:00.000Z',
    },
  });
}

export const ProcessingPersonDataReadV1 = personDataRead('social-processing');
export const VerificationPersonDataReadV1 = personDataRead('verification');
export const TreasuryPersonDataReadV1 = personDataRead('payments-treasury');
export const CaseManagementPersonDataReadV1 = personDataRead('case-management');

export const PersonDataReadEvents: readonly EventContract[] = [
  ProcessingPersonDataReadV1,
  VerificationPersonDataReadV1,
  TreasuryPersonDataReadV1,
  CaseManagementPersonDataReadV1,
];

/** The contract a service publishes its person reads on, if it reports them. */
export function personDataReadContract(service: string): EventContract | undefined {
  return PersonDataReadEvents.find((c) => c.producer === service);
}
