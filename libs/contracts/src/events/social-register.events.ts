import { Type } from '@sinclair/typebox';
import { defineEvent } from '../envelope';
import { CalendarDate, Katottg, Nullable, Uuid } from './common';

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
  consumers: ['social-processing'],
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

/** Events the social register publishes (add new contracts here). */
export const SocialRegisterEvents = [PersonRegisteredV1, StatusGrantedV1, StatusEndedV1];
