/** Events case management publishes (add new contracts here). */
import { Type } from '@sinclair/typebox';
import { defineEvent, type EventContract } from '../envelope';
import { CalendarDate, Katottg, Nullable, Uuid } from './common';

const ServiceCode = Type.String({
  pattern: '^[0-9]{3}\\.[0-9]$',
  description: 'code of the Classifier of social services (наказ Мінсоцполітики № 429)',
});

export const CaseChannels = ['self', 'representative', 'worker', 'school', 'police', 'medic', 'portal', 'register'] as const;
export const CaseDeadlineStages = ['assessment', 'decision', 'review'] as const;

export const CaseOpenedV1 = defineEvent({
  producer: 'case-management',
  aggregateType: 'case',
  event: 'opened',
  version: 1,
  consumers: ['social-register'],
  description: 'A social-services case was opened on a request, a report or an identification (incl. a register status).',
  payload: Type.Object(
    {
      caseId: Uuid,
      personId: Uuid,
      katottg: Katottg,
      category: Type.Union([Type.Literal('adult'), Type.Literal('child_deprived_of_parental_care')]),
      channel: Type.Union(CaseChannels.map((c) => Type.Literal(c))),
      crisis: Type.Boolean(),
      requestDate: CalendarDate,
      ruleSetVersion: Type.String({ minLength: 1 }),
      assessmentDue: CalendarDate,
      decisionDue: CalendarDate,
    },
    { additionalProperties: false },
  ),
  fixture: {
    caseId: '6a0f3c1e-2b4d-4e5f-8a9b-0c1d2e3f4a5b',
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    katottg: 'UA80000000000093317',
    category: 'adult',
    channel: 'register',
    crisis: false,
    requestDate: '2026-11-23',
    ruleSetVersion: 'CMU-64-2026',
    assessmentDue: '2026-11-30',
    decisionDue: '2026-12-07',
  },
});

export const CaseAssessedV1 = defineEvent({
  producer: 'case-management',
  aggregateType: 'case',
  event: 'assessed',
  version: 1,
  consumers: [],
  description: 'The needs assessment act of a case was signed (version 1) or corrected (a later version with a reason).',
  payload: Type.Object(
    {
      caseId: Uuid,
      personId: Uuid,
      katottg: Katottg,
      actVersion: Type.Integer({ minimum: 1 }),
      assessedOn: CalendarDate,
      needsIdentified: Type.Array(ServiceCode),
      correctionReason: Nullable(Type.String()),
    },
    { additionalProperties: false },
  ),
  fixture: {
    caseId: '6a0f3c1e-2b4d-4e5f-8a9b-0c1d2e3f4a5b',
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    katottg: 'UA80000000000093317',
    actVersion: 1,
    assessedOn: '2026-11-25',
    needsIdentified: ['015.1', '002.0'],
    correctionReason: null,
  },
});

const PlanService = Type.Object(
  {
    code: ServiceCode,
    name: Type.String({ minLength: 1 }),
    providerId: Type.String({ minLength: 1 }),
    frequency: Type.String({ minLength: 1 }),
    periodFrom: CalendarDate,
    periodTo: CalendarDate,
  },
  { additionalProperties: false },
);

export const CasePlanApprovedV1 = defineEvent({
  producer: 'case-management',
  aggregateType: 'case',
  event: 'plan-approved',
  version: 1,
  consumers: [],
  description: 'The individual plan of services was approved (version 1) or corrected (a later version with a reason).',
  payload: Type.Object(
    {
      caseId: Uuid,
      personId: Uuid,
      katottg: Katottg,
      actVersion: Type.Integer({ minimum: 1 }),
      approvedOn: CalendarDate,
      reviewDue: CalendarDate,
      services: Type.Array(PlanService, { minItems: 1 }),
      correctionReason: Nullable(Type.String()),
    },
    { additionalProperties: false },
  ),
  fixture: {
    caseId: '6a0f3c1e-2b4d-4e5f-8a9b-0c1d2e3f4a5b',
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    katottg: 'UA80000000000093317',
    actVersion: 1,
    approvedOn: '2026-12-01',
    reviewDue: '2027-06-01',
    services: [
      {
        code: '015.1',
        name: 'Догляд вдома',
        providerId: 'provider-tcsp-1',
        frequency: '3 visits a week',
        periodFrom: '2026-12-01',
        periodTo: '2027-05-31',
      },
    ],
    correctionReason: null,
  },
});

export const CaseServiceProvidedV1 = defineEvent({
  producer: 'case-management',
  aggregateType: 'case',
  event: 'service-provided',
  version: 1,
  consumers: ['social-register'],
  description: 'A social service was provided to the person (a visit), recorded with its real date (possibly later, offline).',
  payload: Type.Object(
    {
      caseId: Uuid,
      personId: Uuid,
      katottg: Katottg,
      provisionId: Uuid,
      serviceCode: ServiceCode,
      serviceName: Type.String({ minLength: 1 }),
      providerId: Type.String({ minLength: 1 }),
      providedOn: CalendarDate,
      durationMinutes: Nullable(Type.Integer({ minimum: 0 })),
      recordedAt: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
  fixture: {
    caseId: '6a0f3c1e-2b4d-4e5f-8a9b-0c1d2e3f4a5b',
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    katottg: 'UA80000000000093317',
    provisionId: '7b1e4d2f-3c5e-4f60-9bac-1d2e3f4a5b6c',
    serviceCode: '015.1',
    serviceName: 'Догляд вдома',
    providerId: 'provider-tcsp-1',
    providedOn: '2026-12-02',
    durationMinutes: 90,
    recordedAt: '2026-12-04T09:00:00.000Z',
  },
});

export const CaseClosedV1 = defineEvent({
  producer: 'case-management',
  aggregateType: 'case',
  event: 'closed',
  version: 1,
  consumers: ['social-register'],
  description: 'A case was closed with its outcome and final evaluation.',
  payload: Type.Object(
    {
      caseId: Uuid,
      personId: Uuid,
      katottg: Katottg,
      closedOn: CalendarDate,
      outcome: Type.Union(
        ['goals_achieved', 'moved_away', 'refused_by_recipient', 'died', 'transferred', 'no_need', 'opened_in_error', 'other'].map((o) =>
          Type.Literal(o),
        ),
      ),
      finalEvaluation: Type.String(),
    },
    { additionalProperties: false },
  ),
  fixture: {
    caseId: '6a0f3c1e-2b4d-4e5f-8a9b-0c1d2e3f4a5b',
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    katottg: 'UA80000000000093317',
    closedOn: '2027-05-31',
    outcome: 'goals_achieved',
    finalEvaluation: 'the person manages daily life with day care only',
  },
});

export const CaseDeadlineMissedV1 = defineEvent({
  producer: 'case-management',
  aggregateType: 'case',
  event: 'deadline-missed',
  version: 1,
  consumers: [],
  description: 'A statutory stage of a case (assessment, decision, plan review) is overdue; emitted once per case and stage.',
  payload: Type.Object(
    {
      caseId: Uuid,
      katottg: Katottg,
      stage: Type.Union(CaseDeadlineStages.map((s) => Type.Literal(s))),
      dueDate: CalendarDate,
      detectedOn: CalendarDate,
      workerId: Nullable(Type.String()),
      ruleSetVersion: Type.String({ minLength: 1 }),
    },
    { additionalProperties: false },
  ),
  fixture: {
    caseId: '6a0f3c1e-2b4d-4e5f-8a9b-0c1d2e3f4a5b',
    katottg: 'UA80000000000093317',
    stage: 'assessment',
    dueDate: '2026-11-30',
    detectedOn: '2026-12-01',
    workerId: 'worker-1',
    ruleSetVersion: 'CMU-64-2026',
  },
});

export const CaseManagementEvents: EventContract[] = [
  CaseOpenedV1,
  CaseAssessedV1,
  CasePlanApprovedV1,
  CaseServiceProvidedV1,
  CaseClosedV1,
  CaseDeadlineMissedV1,
];
