import { Type } from '@sinclair/typebox';
import { defineEvent } from '../envelope';
import { CalendarDate, Nullable, Uuid } from './common';

export const FindingActions = ['none', 'review', 'refuse', 'suspend', 'stop_payment'] as const;

export const Finding = Type.Object(
  {
    findingId: Uuid,
    personId: Uuid,
    rule: Type.String({ description: 'rule id, e.g. death, abroad-over-30-days, deposit-over-threshold' }),
    recommendedAction: Type.Union(FindingActions.map((a) => Type.Literal(a))),
    effectiveDate: Nullable(CalendarDate),
    /** `none`: the act leaves no discretion, the paying side carries the action out at once; `officer`: it waits for an accepted decision. */
    discretion: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('officer')])),
    /** The act and clause the rule applies (e.g. "КМУ № 332, п. 13"), for the explanation of what processing does. */
    legalBasis: Type.Optional(Type.String({ minLength: 1 })),
    evidence: Type.Array(
      Type.Object(
        { source: Type.String(), reference: Type.String(), facts: Type.Record(Type.String(), Type.Unknown()) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const VerificationCompletedV1 = defineEvent({
  producer: 'verification',
  aggregateType: 'verification-request',
  event: 'completed',
  version: 1,
  key: 'verification request id',
  consumers: ['social-processing'],
  description: 'The answer to a verification request: passed, or findings with evidence and recommended actions.',
  payload: Type.Object(
    {
      requestId: Uuid,
      applicationId: Nullable(Uuid),
      assignmentId: Nullable(Uuid),
      outcome: Type.Union([Type.Literal('passed'), Type.Literal('findings')]),
      checkedOn: CalendarDate,
      findings: Type.Array(Finding),
    },
    { additionalProperties: false },
  ),
  fixture: {
    requestId: '9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a',
    applicationId: '5c4b3a29-1807-4f6e-9d5c-4b3a29180706',
    assignmentId: null,
    outcome: 'passed',
    checkedOn: '2026-11-23',
    findings: [],
  },
});

export const FindingRaisedV1 = defineEvent({
  producer: 'verification',
  aggregateType: 'person',
  event: 'finding-raised',
  version: 1,
  key: 'person id',
  consumers: ['social-processing'],
  description: 'A current or retrospective check found something about a recipient (a death asks processing to stop payment at once).',
  payload: Type.Object(
    { finding: Finding, assignmentIds: Type.Array(Uuid), kind: Type.Union([Type.Literal('current'), Type.Literal('retrospective')]) },
    { additionalProperties: false },
  ),
  fixture: {
    finding: {
      findingId: '1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d',
      personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
      rule: 'death',
      recommendedAction: 'stop_payment',
      effectiveDate: '2026-12-10',
      evidence: [{ source: 'crvs', reference: 'death-record-123', facts: { dateOfDeath: '2026-12-10' } }],
    },
    assignmentIds: ['7a0d5b1c-2e3f-4a5b-8c6d-7e8f9a0b1c2d'],
    kind: 'current',
  },
});

export const FindingDecidedV1 = defineEvent({
  producer: 'verification',
  aggregateType: 'person',
  event: 'finding-decided',
  version: 1,
  key: 'person id',
  consumers: ['social-processing'],
  description:
    'An officer (verifier) accepted or rejected a finding from the review queue, with the reason; an accepted finding confirms its recommended action.',
  payload: Type.Object(
    {
      finding: Finding,
      assignmentIds: Type.Array(Uuid),
      decision: Type.Union([Type.Literal('accepted'), Type.Literal('rejected')]),
      reason: Type.String({ minLength: 1 }),
      decidedBy: Type.String({ minLength: 1, description: 'id of the verifier' }),
      decidedAt: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
  fixture: {
    finding: {
      findingId: '2b3c4d5e-6f70-4a8b-9c0d-1e2f3a4b5c6d',
      personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
      rule: 'abroad',
      recommendedAction: 'stop_payment',
      effectiveDate: '2026-10-01',
      discretion: 'none',
      legalBasis: 'КМУ № 332, п. 8',
      evidence: [{ source: 'border-guard', reference: 'dpsu-2026-000001', facts: { direction: 'exit', crossedOn: '2026-09-01' } }],
    },
    assignmentIds: ['7a0d5b1c-2e3f-4a5b-8c6d-7e8f9a0b1c2d'],
    decision: 'accepted',
    reason: 'confirmed by the border guard certificate',
    decidedBy: 'verifier-1',
    decidedAt: '2026-11-24T09:30:00.000Z',
  },
});

/** Events verification publishes (add new contracts here). Inbound facts from other registers go in inbound.events.ts. */
export const VerificationEvents = [VerificationCompletedV1, FindingRaisedV1, FindingDecidedV1];
