import { Type } from '@sinclair/typebox';
import { defineEvent } from '../envelope';
import { CalendarDate, Katottg, Kopiyky, Nullable, PeriodMonth, SealedPayee, SealedPaymentMethod, Uuid } from './common';

const PersonName = Type.Object(
  { lastName: Type.String({ minLength: 1 }), firstName: Type.String({ minLength: 1 }), patronymic: Nullable(Type.String()) },
  { additionalProperties: false },
);

/**
 * Identifiers are carried masked (РНОКПП last 4 digits only): consumers that need the full
 * identifier ask the register through its API, which audits the read.
 */
export const PersonRegisteredV1 = defineEvent({
  producer: 'social-register',
  aggregateType: 'person',
  event: 'registered',
  version: 1,
  consumers: ['social-processing', 'social-register'],
  description: 'A person was entered into the Unified social register.',
  payload: Type.Object(
    {
      personId: Uuid,
      rnokppMasked: Nullable(Type.String({ pattern: '^\\*{6}[0-9]{4}$' })),
      name: PersonName,
      birthDate: CalendarDate,
      sex: Type.Union([Type.Literal('male'), Type.Literal('female')]),
      deathDate: Nullable(CalendarDate),
      katottg: Nullable(Katottg),
      registeredAt: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
  fixture: {
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    rnokppMasked: '******1234',
    name: { lastName: 'Шевченко', firstName: 'Олена', patronymic: 'Іванівна' },
    birthDate: '1990-05-17',
    sex: 'female',
    deathDate: null,
    katottg: 'UA80000000000093317',
    registeredAt: '2026-11-23T10:00:00.000Z',
  },
});

export const StatusTypes = [
  'idp',
  'disability',
  /** A child with a disability (дитина з інвалідністю): a status of its own, with no group I–III. */
  'child_with_disability',
  /** On full state support / a child placed in full state care (from validFrom): excluded from the IDP family, stops birth assistance. */
  'full_state_care',
  'child_deprived_of_parental_care',
  'large_family',
  'combatant',
  'pensioner',
  'low_income',
  'difficult_circumstances',
] as const;

const StatusPayload = Type.Object(
  {
    statusId: Uuid,
    personId: Uuid,
    type: Type.Union(StatusTypes.map((t) => Type.Literal(t))),
    validFrom: CalendarDate,
    validTo: Nullable(CalendarDate),
    source: Type.String({ minLength: 1, description: 'register or document the status comes from' }),
    katottg: Nullable(Katottg),
    details: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]), {
      description: 'type-specific facts: idp → certificateNumber, certificateDate, originKatottg; disability → group (I|II|III)',
    }),
  },
  { additionalProperties: false },
);

export const StatusGrantedV1 = defineEvent({
  producer: 'social-register',
  aggregateType: 'person',
  event: 'status-granted',
  version: 1,
  key: 'person id',
  consumers: ['social-processing', 'case-management'],
  description: 'A status (IDP, disability group, difficult life circumstances, …) was granted or corrected for a person.',
  payload: StatusPayload,
  fixture: {
    statusId: '0b7d0c52-3f1a-4b8e-9a51-0c7f7c1d2e3a',
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    type: 'idp',
    validFrom: '2026-03-01',
    validTo: null,
    source: 'ЄІБД ВПО',
    katottg: 'UA80000000000093317',
    details: { certificateNumber: '0000-1234567890', certificateDate: '2026-03-01', originKatottg: 'UA14000000000000000' },
  },
});

export const StatusEndedV1 = defineEvent({
  producer: 'social-register',
  aggregateType: 'person',
  event: 'status-ended',
  version: 1,
  key: 'person id',
  consumers: ['social-processing', 'case-management'],
  description: 'A status of a person ended (validTo set).',
  payload: StatusPayload,
  fixture: {
    statusId: '0b7d0c52-3f1a-4b8e-9a51-0c7f7c1d2e3a',
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    type: 'idp',
    validFrom: '2026-03-01',
    validTo: '2026-10-31',
    source: 'ЄІБД ВПО',
    katottg: 'UA80000000000093317',
    details: {},
  },
});

const PersonFields = {
  personId: Uuid,
  rnokppMasked: Nullable(Type.String({ pattern: '^\\*{6}[0-9]{4}$' })),
  name: PersonName,
  birthDate: CalendarDate,
  sex: Type.Union([Type.Literal('male'), Type.Literal('female')]),
  deathDate: Nullable(CalendarDate),
  katottg: Nullable(Katottg),
  actualKatottg: Nullable(Katottg),
};

const personFixture = {
  personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
  rnokppMasked: '******1234',
  name: { lastName: 'Шевченко', firstName: 'Олена', patronymic: 'Іванівна' },
  birthDate: '1990-05-17',
  sex: 'female' as const,
  deathDate: null,
  katottg: 'UA80000000000093317',
  actualKatottg: 'UA80000000000093317',
};

export const PersonUpdatedV1 = defineEvent({
  producer: 'social-register',
  aggregateType: 'person',
  event: 'updated',
  version: 1,
  key: 'person id',
  consumers: ['social-processing', 'social-register'],
  description:
    'Data of a person changed (an approved change request): the new state and the names of the changed fields (contacts, address, bank account are named, not carried).',
  payload: Type.Object(
    {
      ...PersonFields,
      changedFields: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
      changeRequestId: Nullable(Uuid),
      reason: Type.String(),
      source: Type.String(),
      version: Type.Integer({ minimum: 1 }),
      updatedAt: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
  fixture: {
    ...personFixture,
    changedFields: ['actualKatottg', 'actualAddress'],
    changeRequestId: '6a1f3c2e-9b8d-4e7f-a6b5-c4d3e2f1a0b9',
    reason: 'moved',
    source: 'заява особи',
    version: 2,
    updatedAt: '2026-11-23T10:00:00.000Z',
  },
});

export const PersonDiedV1 = defineEvent({
  producer: 'social-register',
  aggregateType: 'person',
  event: 'died',
  version: 1,
  key: 'person id',
  consumers: ['social-processing', 'case-management', 'social-register'],
  description: 'The death of a person was recorded in the register (assignments are to be terminated from the following month).',
  payload: Type.Object(
    {
      personId: Uuid,
      deathDate: CalendarDate,
      katottg: Nullable(Katottg),
      source: Type.String({ minLength: 1 }),
      recordedAt: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
  fixture: {
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    deathDate: '2026-11-20',
    katottg: 'UA80000000000093317',
    source: 'ДРАЦС',
    recordedAt: '2026-11-23T10:00:00.000Z',
  },
});

export const PersonMergedV1 = defineEvent({
  producer: 'social-register',
  aggregateType: 'person',
  event: 'merged',
  version: 1,
  key: 'merged (retired) person id',
  consumers: ['social-processing', 'case-management', 'social-register'],
  description:
    'Two records of the same person were merged: the merged record points to the surviving one; consumers re-key their data to survivorPersonId.',
  payload: Type.Object(
    {
      mergedPersonId: Uuid,
      survivorPersonId: Uuid,
      mergeId: Uuid,
      reason: Type.String({ minLength: 1 }),
      katottg: Nullable(Katottg),
      mergedAt: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
  fixture: {
    mergedPersonId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    survivorPersonId: '4a2d3c8f-9b5e-4d2f-8e2b-3c4d5e6f7081',
    mergeId: '5b3e4d9a-0c6f-4e3a-9f3c-4d5e6f708192',
    reason: 'probable duplicate confirmed by documents',
    katottg: 'UA80000000000093317',
    mergedAt: '2026-11-23T10:00:00.000Z',
  },
});

export const HouseholdRoles = ['head', 'recipient', 'dependant'] as const;

export const HouseholdChangedV1 = defineEvent({
  producer: 'social-register',
  aggregateType: 'household',
  event: 'changed',
  version: 1,
  key: 'household id',
  consumers: ['social-processing', 'social-register'],
  description: 'A household was created or its composition changed: the full list of members (current and former) after the change.',
  payload: Type.Object(
    {
      householdId: Uuid,
      change: Type.Union([
        Type.Literal('created'),
        Type.Literal('member-joined'),
        Type.Literal('member-left'),
        Type.Literal('member-merged'),
      ]),
      personId: Nullable(Uuid),
      katottg: Katottg,
      members: Type.Array(
        Type.Object(
          {
            personId: Uuid,
            role: Type.Union(HouseholdRoles.map((r) => Type.Literal(r))),
            joinedOn: CalendarDate,
            leftOn: Nullable(CalendarDate),
          },
          { additionalProperties: false },
        ),
      ),
      version: Type.Integer({ minimum: 1 }),
      changedAt: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
  fixture: {
    householdId: '8c6f7e1b-2d3a-4b5c-9d6e-7f8091a2b3c4',
    change: 'member-joined',
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    katottg: 'UA80000000000093317',
    members: [{ personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70', role: 'head', joinedOn: '2026-11-01', leftOn: null }],
    version: 2,
    changedAt: '2026-11-23T10:00:00.000Z',
  },
});

/** Events the social register publishes (add new contracts here). */
/**
 * The one source of payment accounts: the register publishes a person's approved account (after a
 * change request decided by a second person) with the holder, so that processing puts it on the
 * assignment and the treasury pays it with the creditor's name and РНОКПП. The IBAN and the holder's
 * identifiers are sealed for the treasury (D13): processing carries them on the assignment without
 * reading them. Version 2: version 1 carried them in the clear and is no longer published.
 */
export const PersonPaymentAccountChangedV2 = defineEvent({
  producer: 'social-register',
  aggregateType: 'person',
  event: 'payment-account-changed',
  version: 2,
  key: 'person id',
  consumers: ['social-processing'],
  description: 'The payment account approved in the register for a person (or its holder data) changed; null when the account was removed.',
  payload: Type.Object(
    {
      personId: Uuid,
      account: Nullable(SealedPaymentMethod),
      holder: SealedPayee,
      changeRequestId: Nullable(Uuid),
      requestedBy: Type.String({ minLength: 1 }),
      approvedBy: Type.String({ minLength: 1 }),
      version: Type.Integer({ minimum: 1, description: 'the person record version (later versions win)' }),
      changedAt: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
  fixture: {
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    account: {
      method: 'bank',
      ibanMasked: 'UA21*********************6001',
      accountRef: 'IOSqjIN0pTSEtzT_eXDO1mDyNUN5L9Cqjc8vwHQle_s',
      ibanSealed:
        'eyJhbGciOiJFQ0RILUVTK0EyNTZLVyIsImVuYyI6IkEyNTZHQ00iLCJraWQiOiJkZXYtdHJlYXN1cnktMSIsImN0eCI6ImliYW4iLCJlcGsiOnsieCI6Inc0MzhsVnowVEZxcFZXLWo0Q3B6dEMxY0ZQcXh5R0NhVU5WRFlJZjI5dzAiLCJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieSI6IlpVWkxMQnJYZlJ4ZG9nX3RWemhGaUhYbEhFYnpWLXVPeXdLUjMyM3JONDAifX0.yinsXv-Vluntt1bbXcwK5LNoPMHi7Rn8Wlj1bmDsdUcBMt2K5SMVWw.E6I9TB9D8DzTiVc9.drm0ssq092HPoOa_9sQr9Axh5WAWvLGa-r94cnI.DZPPBo599nfoftu_ABwFfA',
    },
    holder: {
      fullName: 'Шевченко Олена Іванівна',
      rnokppMasked: '******9324',
      documentNumberMasked: null,
      identityRef: 'Pyj360JYCw1Ji4Snlw_2sIGFiPRJ1q12WM_1SA_MAVM',
      identitySealed:
        'eyJhbGciOiJFQ0RILUVTK0EyNTZLVyIsImVuYyI6IkEyNTZHQ00iLCJraWQiOiJkZXYtdHJlYXN1cnktMSIsImN0eCI6InBheWVlLWlkZW50aXR5IiwiZXBrIjp7IngiOiJ4SmpMSWdpSHFLRzJNd3RWTlZ1c3RTOHVIak5FYUJORHJBelJpemlLMXJ3IiwiY3J2IjoiUC0yNTYiLCJrdHkiOiJFQyIsInkiOiI1eFdnSXFGUWd3aEdoS0xSMnpHSmVaU3BHdzB1c21wU1kzS0gxMjJVTlZZIn19.2ebsPqSKwDczkqc7-Ft4PULztCNjWs-i14IlpKcofZRxnpoLSsFJmw.WVuVN1worYkRu3U-.rseRuxt1wBskcQiUG7qX0Zikt9TsAwiCIGXZRytPEszfrO7Ku2VwpTBtz5h9.BDbWdTG7m3avRzy4OimTvA',
    },
    changeRequestId: '6a1f3c2e-9b8d-4e7f-a6b5-c4d3e2f1a0b9',
    requestedBy: 'registrar-1',
    approvedBy: 'supervisor-1',
    version: 2,
    changedAt: '2026-11-23T10:00:00.000Z',
  },
});

/** The source systems a migration imports from (docs/migration.md). */
export const LegacySourceSystems = ['asopd', 'komtekh', 'edarp', 'subsidies'] as const;
export type LegacySourceSystem = (typeof LegacySourceSystems)[number];

/**
 * An active assignment of a source system, imported by a migration job a second person approved
 * (docs/migration.md): social-processing creates the assignment from it (marked with its legacy
 * source and case number) and publishes assignment.granted, so the next payroll pays it without a new
 * application. A job's rows are applied once: `importJobId` + `legacyCaseNumber` identify it.
 */
export const AssignmentMigratedV1 = defineEvent({
  producer: 'social-register',
  aggregateType: 'person',
  event: 'assignment-migrated',
  version: 1,
  key: 'person id (the recipient)',
  consumers: ['social-processing'],
  description:
    'An active assignment of a system in use (АСОПД/КОМТЕХ, ЄДАРП, «Житлові субсидії») was imported into the register by an approved migration job; processing takes it over.',
  payload: Type.Object(
    {
      importJobId: Uuid,
      sourceSystem: Type.Union(LegacySourceSystems.map((s) => Type.Literal(s))),
      legacyCaseNumber: Type.String({ minLength: 1, maxLength: 64, description: 'the legacy case number (номер особової справи)' }),
      personId: Uuid,
      householdId: Nullable(Uuid),
      katottg: Katottg,
      programmeCode: Type.String({ minLength: 1 }),
      periodFrom: PeriodMonth,
      periodTo: PeriodMonth,
      monthlyAmountKopiyky: Kopiyky,
      decision: Nullable(Type.Object({ number: Nullable(Type.String()), date: Nullable(CalendarDate) }, { additionalProperties: false })),
      requestedBy: Type.String({ minLength: 1 }),
      approvedBy: Type.String({ minLength: 1 }),
    },
    { additionalProperties: false },
  ),
  fixture: {
    importJobId: '9d2e4f60-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
    sourceSystem: 'asopd',
    legacyCaseNumber: 'ASOPD-0001-123456',
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    householdId: null,
    katottg: 'UA80000000000093317',
    programmeCode: 'idp-living-allowance',
    periodFrom: '2026-09',
    periodTo: '2027-02',
    monthlyAmountKopiyky: '200000',
    decision: { number: '123/2026', date: '2026-08-28' },
    requestedBy: 'registrar-1',
    approvedBy: 'supervisor-1',
  },
});

export const SocialRegisterEvents = [
  PersonRegisteredV1,
  StatusGrantedV1,
  StatusEndedV1,
  PersonUpdatedV1,
  PersonDiedV1,
  PersonMergedV1,
  HouseholdChangedV1,
  PersonPaymentAccountChangedV2,
  AssignmentMigratedV1,
];
