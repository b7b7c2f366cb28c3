import { Type } from '@sinclair/typebox';
import { defineEvent } from '../envelope';
import {
  CalendarDate,
  Katottg,
  Kopiyky,
  Nullable,
  PeriodMonth,
  ProposedPaymentMethod,
  SealedPayee,
  SealedPaymentMethod,
  Uuid,
} from './common';
import { LegacySourceSystems } from './social-register.events';

/** One month of an assignment: the amount and the rule that produced it. */
export const AssignmentMonth = Type.Object(
  {
    month: PeriodMonth,
    amountKopiyky: Kopiyky,
    explanation: Type.String({ description: 'rule, parameters and period behind the amount' }),
  },
  { additionalProperties: false },
);

/**
 * Where an assignment came from when it was not decided on an application in processing: an active
 * assignment of a system in use taken over by the bulk migration (AssignmentMigratedV1).
 */
export const AssignmentOrigin = Type.Object(
  {
    kind: Type.Literal('migration'),
    sourceSystem: Type.Union(LegacySourceSystems.map((s) => Type.Literal(s))),
    legacyCaseNumber: Type.String({ minLength: 1, maxLength: 64, description: 'the legacy case number (номер особової справи)' }),
    importJobId: Uuid,
  },
  { additionalProperties: false },
);

/** The full state of one version of an assignment (призначення). */
export const AssignmentSnapshot = Type.Object(
  {
    assignmentId: Uuid,
    version: Type.Integer({ minimum: 1 }),
    applicationId: Nullable(Uuid),
    programmeCode: Type.String({ minLength: 1, description: 'e.g. idp-living-allowance, birth-assistance' }),
    ruleSetVersion: Type.String({ minLength: 1 }),
    recipientPersonId: Uuid,
    householdId: Nullable(Uuid),
    memberPersonIds: Type.Array(Uuid),
    katottg: Katottg,
    periodFrom: PeriodMonth,
    periodTo: PeriodMonth,
    status: Type.Union([Type.Literal('active'), Type.Literal('suspended'), Type.Literal('terminated')]),
    months: Type.Array(AssignmentMonth),
    /**
     * The account approved in the register for the recipient (never one typed into an application);
     * null while the register holds none: the treasury pays nothing until one is approved. Sealed by the
     * register for the treasury (processing cannot read it): masked, with a keyed reference.
     */
    payment: Nullable(SealedPaymentMethod),
    /** The account holder as the register knows them (null with payment): the name, identifiers masked and sealed for the treasury. */
    payee: Nullable(SealedPayee),
    /** Absent (or null) for an assignment decided in processing; the legacy source for one taken over by the migration. */
    origin: Type.Optional(Nullable(AssignmentOrigin)),
  },
  { additionalProperties: false },
);

const assignmentFixture = {
  assignmentId: '7a0d5b1c-2e3f-4a5b-8c6d-7e8f9a0b1c2d',
  version: 1,
  applicationId: '5c4b3a29-1807-4f6e-9d5c-4b3a29180706',
  programmeCode: 'idp-living-allowance',
  ruleSetVersion: 'idp-living-allowance@2024-03-01',
  recipientPersonId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
  householdId: null,
  memberPersonIds: ['3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70'],
  katottg: 'UA80000000000093317',
  periodFrom: '2026-11',
  periodTo: '2027-04',
  status: 'active' as const,
  months: [{ month: '2026-11', amountKopiyky: '200000', explanation: 'КМУ № 332 п. 4: 2 000 UAH for an adult' }],
  payment: {
    method: 'bank' as const,
    ibanMasked: 'UA21*********************6001',
    accountRef: 'IOSqjIN0pTSEtzT_eXDO1mDyNUN5L9Cqjc8vwHQle_s',
    ibanSealed:
      'eyJhbGciOiJFQ0RILUVTK0EyNTZLVyIsImVuYyI6IkEyNTZHQ00iLCJraWQiOiJkZXYtdHJlYXN1cnktMSIsImN0eCI6ImliYW4iLCJlcGsiOnsieCI6Inc0MzhsVnowVEZxcFZXLWo0Q3B6dEMxY0ZQcXh5R0NhVU5WRFlJZjI5dzAiLCJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieSI6IlpVWkxMQnJYZlJ4ZG9nX3RWemhGaUhYbEhFYnpWLXVPeXdLUjMyM3JONDAifX0.yinsXv-Vluntt1bbXcwK5LNoPMHi7Rn8Wlj1bmDsdUcBMt2K5SMVWw.E6I9TB9D8DzTiVc9.drm0ssq092HPoOa_9sQr9Axh5WAWvLGa-r94cnI.DZPPBo599nfoftu_ABwFfA',
  },
  payee: {
    fullName: 'Шевченко Олена Іванівна',
    rnokppMasked: '******9324',
    documentNumberMasked: null,
    identityRef: 'Pyj360JYCw1Ji4Snlw_2sIGFiPRJ1q12WM_1SA_MAVM',
    identitySealed:
      'eyJhbGciOiJFQ0RILUVTK0EyNTZLVyIsImVuYyI6IkEyNTZHQ00iLCJraWQiOiJkZXYtdHJlYXN1cnktMSIsImN0eCI6InBheWVlLWlkZW50aXR5IiwiZXBrIjp7IngiOiJ4SmpMSWdpSHFLRzJNd3RWTlZ1c3RTOHVIak5FYUJORHJBelJpemlLMXJ3IiwiY3J2IjoiUC0yNTYiLCJrdHkiOiJFQyIsInkiOiI1eFdnSXFGUWd3aEdoS0xSMnpHSmVaU3BHdzB1c21wU1kzS0gxMjJVTlZZIn19.2ebsPqSKwDczkqc7-Ft4PULztCNjWs-i14IlpKcofZRxnpoLSsFJmw.WVuVN1worYkRu3U-.rseRuxt1wBskcQiUG7qX0Zikt9TsAwiCIGXZRytPEszfrO7Ku2VwpTBtz5h9.BDbWdTG7m3avRzy4OimTvA',
  },
};

export const ApplicationSubmittedV1 = defineEvent({
  producer: 'social-processing',
  aggregateType: 'application',
  event: 'submitted',
  version: 1,
  consumers: [],
  description: 'An application (звернення) was accepted from a channel; the decision deadline is set.',
  payload: Type.Object(
    {
      applicationId: Uuid,
      channel: Type.Union([Type.Literal('diia'), Type.Literal('cnap'), Type.Literal('office')]),
      applicantPersonId: Uuid,
      programmeCodes: Type.Array(Type.String(), { minItems: 1 }),
      katottg: Katottg,
      submittedOn: CalendarDate,
      decisionDueOn: CalendarDate,
    },
    { additionalProperties: false },
  ),
  fixture: {
    applicationId: '5c4b3a29-1807-4f6e-9d5c-4b3a29180706',
    channel: 'diia',
    applicantPersonId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    programmeCodes: ['idp-living-allowance'],
    katottg: 'UA80000000000093317',
    submittedOn: '2026-11-23',
    decisionDueOn: '2026-12-07',
  },
});

export const ApplicationDecidedV1 = defineEvent({
  producer: 'social-processing',
  aggregateType: 'application',
  event: 'decided',
  version: 1,
  consumers: [],
  description: 'An application was decided: per programme granted or refused, with reasons.',
  payload: Type.Object(
    {
      applicationId: Uuid,
      applicantPersonId: Uuid,
      decidedOn: CalendarDate,
      decisions: Type.Array(
        Type.Object(
          {
            programmeCode: Type.String(),
            outcome: Type.Union([Type.Literal('granted'), Type.Literal('refused')]),
            reasons: Type.Array(Type.Object({ code: Type.String(), text: Type.String() }, { additionalProperties: false })),
            assignmentId: Nullable(Uuid),
          },
          { additionalProperties: false },
        ),
      ),
    },
    { additionalProperties: false },
  ),
  fixture: {
    applicationId: '5c4b3a29-1807-4f6e-9d5c-4b3a29180706',
    applicantPersonId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    decidedOn: '2026-11-25',
    decisions: [
      { programmeCode: 'idp-living-allowance', outcome: 'granted', reasons: [], assignmentId: '7a0d5b1c-2e3f-4a5b-8c6d-7e8f9a0b1c2d' },
    ],
  },
});

export const VerificationRequestedV1 = defineEvent({
  producer: 'social-processing',
  aggregateType: 'verification-request',
  event: 'requested',
  version: 1,
  key: 'verification request id',
  consumers: ['verification'],
  description: 'Processing asks verification to check the persons of an application (preventive) or an assignment.',
  payload: Type.Object(
    {
      requestId: Uuid,
      kind: Type.Union([Type.Literal('preventive'), Type.Literal('current'), Type.Literal('retrospective')]),
      applicationId: Nullable(Uuid),
      assignmentId: Nullable(Uuid),
      programmeCode: Type.String(),
      katottg: Katottg,
      periodFrom: CalendarDate,
      periodTo: CalendarDate,
      persons: Type.Array(
        Type.Object(
          {
            personId: Uuid,
            role: Type.Union([Type.Literal('applicant'), Type.Literal('member')]),
            birthDate: CalendarDate,
            lastName: Type.String(),
            firstName: Type.String(),
            /** The person's statuses in the register on the check date (exemptions: orphans, children deprived of parental care, disability…). */
            statuses: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
          },
          { additionalProperties: false },
        ),
        { minItems: 1 },
      ),
    },
    { additionalProperties: false },
  ),
  fixture: {
    requestId: '9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a',
    kind: 'preventive',
    applicationId: '5c4b3a29-1807-4f6e-9d5c-4b3a29180706',
    assignmentId: null,
    programmeCode: 'idp-living-allowance',
    katottg: 'UA80000000000093317',
    periodFrom: '2026-08-23',
    periodTo: '2026-11-23',
    persons: [
      {
        personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
        role: 'applicant',
        birthDate: '1990-05-17',
        lastName: 'Шевченко',
        firstName: 'Олена',
      },
    ],
  },
});

export const ApplicationPaymentAccountProposedV2 = defineEvent({
  producer: 'social-processing',
  aggregateType: 'application',
  event: 'payment-account-proposed',
  version: 2,
  key: 'application id',
  consumers: ['social-register'],
  description:
    'An application proposed a payment account that the register does not hold for the applicant: the register opens a change request (decided by a second person); the assignment waits for it.',
  payload: Type.Object(
    {
      applicationId: Uuid,
      personId: Uuid,
      account: ProposedPaymentMethod,
      proposedBy: Type.String({ minLength: 1, description: 'the principal who submitted the application' }),
      channel: Type.Union([Type.Literal('diia'), Type.Literal('cnap'), Type.Literal('office')]),
      katottg: Katottg,
      proposedAt: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
  fixture: {
    applicationId: '5c4b3a29-1807-4f6e-9d5c-4b3a29180706',
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    account: {
      method: 'bank',
      ibanMasked: 'UA21*********************6001',
      ibanSealed:
        'eyJhbGciOiJFQ0RILUVTK0EyNTZLVyIsImVuYyI6IkEyNTZHQ00iLCJraWQiOiJkZXYtcmVnaXN0ZXItMSIsImN0eCI6ImliYW4iLCJlcGsiOnsieCI6InI1TElSSjZWMVE3WDFZWmZDbV90cU05TU9qU1ppa0FGUU1GeVVKR3hENzQiLCJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieSI6InBLVmdhdi1vN01tV1hET0paRkFNUDBxSjl2QkFPaXRFMVR3MUk0RFF3SlUifX0.c-ZQ0xidQesiaR49DIbqDUoeuACVZ_ickOLX7XyYDwZWTUWvHTAAMQ.7XRzBVteRedlxzJ8.lpBGfqsBfAEhUGveuVfis3aSFIx7B0tIkN4Rs9I.iAalHRVECWUWrvNQKbvvHA',
    },
    proposedBy: 'officer-1',
    channel: 'cnap',
    katottg: 'UA80000000000093317',
    proposedAt: '2026-11-23T10:00:00.000Z',
  },
});

function assignmentEvent(
  event: string,
  description: string,
  consumers: ('payments-treasury' | 'e-budget' | 'social-register' | 'verification')[],
) {
  return defineEvent({
    producer: 'social-processing',
    aggregateType: 'assignment',
    event,
    version: 2,
    consumers,
    description,
    payload: Type.Object(
      {
        assignment: AssignmentSnapshot,
        reason: Nullable(Type.Object({ code: Type.String(), text: Type.String() }, { additionalProperties: false })),
        effectiveFrom: PeriodMonth,
        /** For recalculations: the difference per month against the previous version (positive = arrears, negative = overpayment). */
        differences: Type.Array(
          Type.Object(
            { month: PeriodMonth, previousKopiyky: Kopiyky, newKopiyky: Kopiyky, differenceKopiyky: Kopiyky },
            { additionalProperties: false },
          ),
        ),
      },
      { additionalProperties: false },
    ),
    fixture: { assignment: assignmentFixture, reason: null, effectiveFrom: '2026-11', differences: [] },
  });
}

const assignmentConsumers = ['payments-treasury', 'e-budget', 'social-register', 'verification'] as const;
export const AssignmentGrantedV2 = assignmentEvent('granted', 'An assignment was granted: period and amount per month.', [
  ...assignmentConsumers,
]);
export const AssignmentChangedV2 = assignmentEvent(
  'changed',
  'A recalculation produced a new assignment version; differences per month (arrears or overpayment).',
  [...assignmentConsumers],
);
export const AssignmentSuspendedV2 = assignmentEvent('suspended', 'Payment of an assignment was suspended from a month.', [
  ...assignmentConsumers,
]);
export const AssignmentResumedV2 = assignmentEvent('resumed', 'A suspended assignment was resumed.', [...assignmentConsumers]);
export const AssignmentTerminatedV2 = assignmentEvent(
  'terminated',
  'An assignment was terminated from a month (death, end of right, term).',
  [...assignmentConsumers],
);

/** Every version-of-an-assignment event; consumers that treat them alike subscribe to all of them. */
export const AssignmentEvents = [
  AssignmentGrantedV2,
  AssignmentChangedV2,
  AssignmentSuspendedV2,
  AssignmentResumedV2,
  AssignmentTerminatedV2,
] as const;

/** Events social processing publishes (add new contracts here). */
export const SocialProcessingEvents = [
  ApplicationSubmittedV1,
  ApplicationDecidedV1,
  VerificationRequestedV1,
  ApplicationPaymentAccountProposedV2,
  AssignmentGrantedV2,
  AssignmentChangedV2,
  AssignmentSuspendedV2,
  AssignmentResumedV2,
  AssignmentTerminatedV2,
];
