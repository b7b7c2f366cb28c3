/** Inbound facts from other state registers (civil registration, border crossings, incomes, …). */
import { Type } from '@sinclair/typebox';
import { defineEvent, type EventContract } from '../envelope';
import { CalendarDate, Katottg, Kopiyky, Nullable, PeriodMonth, Uuid } from './common';

/**
 * Civil registration (ДРАЦС) facts, shaped on the DCI CRVS notify event (`notify_event[].data`):
 * `reference_id` → referenceId, `reg_event_type` → regEventType, `reg_record_type` → regRecordType,
 * the CRVS person's `name.surname`/`name.given_name`, `sex`, `birth_date`, `birth_place`,
 * `death_date`, `death_place` → camelCase. The person is matched to ours by personId (the adapter
 * resolves it from the register's identifiers; no РНОКПП travels here).
 */
const CrvsName = Type.Object(
  { surname: Type.String(), givenName: Type.String(), secondName: Nullable(Type.String()) },
  { additionalProperties: false },
);

export const CrvsPersonDiedV1 = defineEvent({
  producer: 'crvs',
  aggregateType: 'person',
  event: 'died',
  version: 1,
  key: 'person id',
  consumers: ['verification'],
  description: 'A death was registered in civil registration (DCI CRVS notify event, reg_event_type Death).',
  payload: Type.Object(
    {
      referenceId: Type.String({ minLength: 1, description: 'DCI reference_id of the registry record (death record number)' }),
      regEventType: Type.Literal('spdci-common:RegistryEventType:Death'),
      regRecordType: Type.String({ description: 'DCI reg_record_type, e.g. spdci-extensions-crvs:Person' }),
      registeredOn: CalendarDate,
      personId: Uuid,
      name: CrvsName,
      sex: Nullable(Type.Union([Type.Literal('male'), Type.Literal('female')])),
      birthDate: Nullable(CalendarDate),
      deathDate: CalendarDate,
      deathPlace: Nullable(Type.String()),
    },
    { additionalProperties: false },
  ),
  fixture: {
    referenceId: 'death-record-123',
    regEventType: 'spdci-common:RegistryEventType:Death',
    regRecordType: 'spdci-extensions-crvs:Person',
    registeredOn: '2026-12-11',
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    name: { surname: 'Шевченко', givenName: 'Олена', secondName: null },
    sex: 'female',
    birthDate: '1990-05-17',
    deathDate: '2026-12-10',
    deathPlace: 'Київ',
  },
});

export const CrvsPersonBornV1 = defineEvent({
  producer: 'crvs',
  aggregateType: 'person',
  event: 'born',
  version: 1,
  key: 'person id (of the child)',
  consumers: ['verification'],
  description: 'A live birth was registered in civil registration (DCI CRVS notify event, reg_event_type LiveBirth).',
  payload: Type.Object(
    {
      referenceId: Type.String({ minLength: 1, description: 'DCI reference_id (birth record number)' }),
      regEventType: Type.Literal('spdci-common:RegistryEventType:LiveBirth'),
      regRecordType: Type.String(),
      registeredOn: CalendarDate,
      personId: Uuid,
      name: CrvsName,
      sex: Nullable(Type.Union([Type.Literal('male'), Type.Literal('female')])),
      birthDate: CalendarDate,
      birthPlace: Nullable(Type.String()),
      parentPersonIds: Type.Array(Uuid),
    },
    { additionalProperties: false },
  ),
  fixture: {
    referenceId: 'birth-record-456',
    regEventType: 'spdci-common:RegistryEventType:LiveBirth',
    regRecordType: 'spdci-extensions-crvs:Person',
    registeredOn: '2026-11-20',
    personId: '6b1e2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
    name: { surname: 'Шевченко', givenName: 'Андрій', secondName: null },
    sex: 'male',
    birthDate: '2026-11-18',
    birthPlace: 'Київ',
    parentPersonIds: ['3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70'],
  },
});

/**
 * Documented valid reasons of a stay abroad (КМУ № 332 as amended by № 709 of 11.07.2023 and later):
 * the days they cover do not count towards the 30-consecutive / 60-in-total / 90-consecutive limits.
 */
export const StayAbroadReasons = [
  'business-trip',
  'internship',
  'treatment',
  'rehabilitation',
  'children-recreation',
  'study',
  'care-of-sick-child',
  'care-of-relative',
  'death-of-relative',
  'hospital-court-or-law-enforcement',
  'other-documented',
] as const;

/** The documented reason of a stay abroad, with the document that confirms it (and the days it covers, when the document says). */
export const StayAbroadReason = Type.Object(
  {
    reason: Type.Union(StayAbroadReasons.map((r) => Type.Literal(r))),
    documentReference: Type.String({
      minLength: 1,
      description: 'reference of the confirming document (certificate, order, medical record)',
    }),
    from: Type.Optional(CalendarDate),
    to: Type.Optional(CalendarDate),
  },
  {
    additionalProperties: false,
    description: 'days of the stay from `from` to `to` inclusive (the whole stay when absent) are excluded from the limits',
  },
);

export const BorderCrossingRecordedV1 = defineEvent({
  producer: 'border-guard',
  aggregateType: 'person',
  event: 'border-crossed',
  version: 1,
  key: 'person id',
  consumers: ['verification'],
  description: 'The State Border Guard Service recorded a person leaving or entering Ukraine.',
  payload: Type.Object(
    {
      crossingId: Type.String({ minLength: 1 }),
      personId: Uuid,
      direction: Type.Union([Type.Literal('exit'), Type.Literal('entry')]),
      crossedOn: CalendarDate,
      checkpoint: Nullable(Type.String()),
      /** Optional: the documented reason of the stay this crossing opens (exit) or closes (entry). */
      stayReason: Type.Optional(Nullable(StayAbroadReason)),
    },
    { additionalProperties: false },
  ),
  fixture: {
    crossingId: 'dpsu-2026-000001',
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    direction: 'exit',
    crossedOn: '2026-09-01',
    checkpoint: 'Ягодин',
    stayReason: { reason: 'treatment', documentReference: 'med-cert-2026-0917', from: '2026-09-01', to: '2026-10-10' },
  },
});

export const IncomeKinds = ['salary', 'entrepreneur', 'pension', 'social-benefit', 'rent', 'other', 'one-off', 'military'] as const;

export const IncomeReportedV1 = defineEvent({
  producer: 'tax-income',
  aggregateType: 'person',
  event: 'income-reported',
  version: 1,
  key: 'person id',
  consumers: ['verification', 'social-processing'],
  description:
    'The State Tax Service reported an income of a person for a month (form 1ДФ/ЄСВ data). one-off and military income is not counted in income tests.',
  payload: Type.Object(
    {
      reportId: Type.String({ minLength: 1, description: 'unique per report line; a corrected line reuses it' }),
      personId: Uuid,
      month: PeriodMonth,
      incomeKind: Type.Union(IncomeKinds.map((k) => Type.Literal(k))),
      amountKopiyky: Kopiyky,
      payerCode: Nullable(Type.String()),
    },
    { additionalProperties: false },
  ),
  fixture: {
    reportId: 'dps-1df-2026q3-0001',
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    month: '2026-09',
    incomeKind: 'salary',
    amountKopiyky: '1500000',
    payerCode: '12345678',
  },
});

export const DepositReportedV1 = defineEvent({
  producer: 'bank-deposits',
  aggregateType: 'person',
  event: 'deposit-reported',
  version: 1,
  key: 'person id',
  consumers: ['verification'],
  description: 'A bank reported the balance of a deposit account of a person on a date (the latest report per account counts).',
  payload: Type.Object(
    {
      reportId: Type.String({ minLength: 1 }),
      personId: Uuid,
      bankCode: Type.String({ description: 'МФО of the bank' }),
      accountReference: Type.String({ description: 'opaque or masked account reference, never a full IBAN' }),
      balanceKopiyky: Kopiyky,
      asOf: CalendarDate,
    },
    { additionalProperties: false },
  ),
  fixture: {
    reportId: 'nbu-dep-0001',
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    bankCode: '322313',
    accountReference: 'dep-****6001',
    balanceKopiyky: '5000000',
    asOf: '2026-10-31',
  },
});

export const VehicleRegisteredV1 = defineEvent({
  producer: 'vehicle-register',
  aggregateType: 'person',
  event: 'vehicle-registered',
  version: 1,
  key: 'person id',
  consumers: ['verification'],
  description: 'The vehicle register (МВС ГСЦ) recorded a vehicle owned by a person (deregisteredOn set when it is sold or removed).',
  payload: Type.Object(
    {
      registrationId: Type.String({ minLength: 1 }),
      personId: Uuid,
      vehicleKind: Type.String({ description: 'e.g. passenger-car, truck, motorcycle' }),
      make: Nullable(Type.String()),
      manufactureYear: Type.Integer({ minimum: 1900, maximum: 2100 }),
      registeredOn: CalendarDate,
      deregisteredOn: Nullable(CalendarDate),
      /** Optional: the date of manufacture, when the register knows it (else only the year counts). */
      manufactureDate: Type.Optional(Nullable(CalendarDate)),
      /** Optional: the day the person acquired it (defaults to registeredOn). */
      acquiredOn: Type.Optional(Nullable(CalendarDate)),
      /** Optional: how the person acquired it; free-of-charge and preferential-terms (social protection, charity) and self-assembled are exceptions. */
      acquisitionKind: Type.Optional(
        Nullable(
          Type.Union([
            Type.Literal('purchase'),
            Type.Literal('free-of-charge'),
            Type.Literal('preferential-terms'),
            Type.Literal('self-assembled'),
            Type.Literal('inheritance'),
            Type.Literal('other'),
          ]),
        ),
      ),
      /** Optional: the value at acquisition (motorcycles under the value bar are an exception). */
      valueKopiyky: Type.Optional(Nullable(Kopiyky)),
      /** Optional: the vehicle is wanted (illegal possession). */
      wanted: Type.Optional(Type.Boolean()),
      /** Optional: the vehicle is physically destroyed (confirmed by documents). */
      destroyed: Type.Optional(Type.Boolean()),
      /** Optional: the vehicle was handed over for defence needs. */
      transferredForDefence: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
  fixture: {
    registrationId: 'gsc-0001',
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    vehicleKind: 'passenger-car',
    make: 'Skoda',
    manufactureYear: 2023,
    registeredOn: '2026-03-01',
    deregisteredOn: null,
    manufactureDate: '2023-04-15',
    acquiredOn: '2026-02-27',
    acquisitionKind: 'purchase',
    valueKopiyky: '85000000',
  },
});

export const PropertyRegisteredV1 = defineEvent({
  producer: 'property-register',
  aggregateType: 'person',
  event: 'property-registered',
  version: 1,
  key: 'person id',
  consumers: ['verification'],
  description: 'The State register of real property rights recorded a right of a person to real property.',
  payload: Type.Object(
    {
      recordId: Type.String({ minLength: 1 }),
      personId: Uuid,
      propertyKind: Type.String({ description: 'e.g. apartment, house, land' }),
      katottg: Nullable(Katottg),
      areaSquareDecimetres: Nullable(Type.Integer({ minimum: 0, description: 'area in dm² (integer; 1 m² = 100 dm²)' })),
      share: Type.String({ pattern: '^[0-9]+/[0-9]+$', description: 'ownership share, e.g. 1/2' }),
      acquiredOn: CalendarDate,
      disposedOn: Nullable(CalendarDate),
      /**
       * Optional: whether the property's community is on the official list of territories of hostilities or temporary
       * occupation (with no end date) on the report date: false = a safe territory; null or absent = not known.
       */
      inListedTerritory: Type.Optional(Nullable(Type.Boolean())),
      /** Optional: recorded in the State register of damaged and destroyed property as destroyed or unfit for living. */
      damage: Type.Optional(Nullable(Type.Union([Type.Literal('destroyed'), Type.Literal('unfit')]))),
    },
    { additionalProperties: false },
  ),
  fixture: {
    recordId: 'drrp-0001',
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    propertyKind: 'apartment',
    katottg: 'UA80000000000093317',
    areaSquareDecimetres: 5400,
    share: '1/1',
    acquiredOn: '2020-06-01',
    disposedOn: null,
    inListedTerritory: false,
    damage: null,
  },
});

/** Purchases that the IDP allowance's property test looks at (КМУ № 332, п. 7-1): currency and bank metals (banks), real estate and land (notaries). */
export const CurrencyPurchaseKinds = ['currency', 'bank-metal'] as const;
export const RealEstatePurchaseKinds = ['apartment', 'house', 'land', 'other-real-estate'] as const;

export const CurrencyPurchaseReportedV1 = defineEvent({
  // Banks report through the same channel as deposit balances (ExternalProducers has no separate bank-operations producer).
  producer: 'bank-deposits',
  aggregateType: 'person',
  event: 'currency-purchased',
  version: 1,
  key: 'person id',
  consumers: ['verification'],
  description:
    'A bank reported a purchase of foreign currency or bank metals by a person (the UAH equivalent in kopiyky, the day of the operation).',
  payload: Type.Object(
    {
      operationId: Type.String({ minLength: 1, description: 'unique per operation; a corrected report reuses it' }),
      personId: Uuid,
      bankCode: Type.String({ description: 'МФО of the bank' }),
      assetKind: Type.Union(CurrencyPurchaseKinds.map((k) => Type.Literal(k))),
      assetCode: Type.String({ minLength: 3, maxLength: 3, description: 'ISO 4217 code of the currency or metal (USD, EUR, XAU, XAG…)' }),
      amountKopiyky: Kopiyky,
      purchasedOn: CalendarDate,
      /** Optional: the declared purpose when it is an exception of the act (a donation, payment for social services). */
      purpose: Type.Optional(Nullable(Type.Union([Type.Literal('donation'), Type.Literal('social-services'), Type.Literal('other')]))),
    },
    { additionalProperties: false },
  ),
  fixture: {
    operationId: 'bank-fx-2026-000001',
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    bankCode: '322313',
    assetKind: 'currency',
    assetCode: 'USD',
    amountKopiyky: '10000001',
    purchasedOn: '2026-10-05',
    purpose: null,
  },
});

export const RealEstatePurchaseRegisteredV1 = defineEvent({
  // Notaries act as state registrars of real property rights: the purchase comes through the property register's channel.
  producer: 'property-register',
  aggregateType: 'person',
  event: 'real-estate-purchased',
  version: 1,
  key: 'person id',
  consumers: ['verification'],
  description: 'A notary certified a purchase of real estate or land by a person (the price in kopiyky, the day of the deed).',
  payload: Type.Object(
    {
      deedId: Type.String({ minLength: 1, description: 'register number of the notarial deed; a corrected record reuses it' }),
      personId: Uuid,
      assetKind: Type.Union(RealEstatePurchaseKinds.map((k) => Type.Literal(k))),
      katottg: Nullable(Katottg),
      amountKopiyky: Kopiyky,
      purchasedOn: CalendarDate,
      /** Housing received or bought with state or local budget funds is an exception of the act. */
      fundedByBudget: Type.Boolean(),
    },
    { additionalProperties: false },
  ),
  fixture: {
    deedId: 'notary-2026-0001234',
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    assetKind: 'apartment',
    katottg: 'UA80000000000093317',
    amountKopiyky: '150000000',
    purchasedOn: '2026-09-20',
    fundedByBudget: false,
  },
});

/**
 * The employment duty of the IDP allowance (КМУ № 332: an able-bodied unemployed person takes a step into
 * employment within 3 months of the assignment, 2 for an extended period): the State Employment Centre
 * reports a person registered (as unemployed or as a job seeker) or deregistered.
 */
export const EmploymentCentreRegistrationChangedV1 = defineEvent({
  producer: 'employment-centre',
  aggregateType: 'person',
  event: 'registration-changed',
  version: 1,
  key: 'person id',
  consumers: ['social-processing'],
  description:
    'The State Employment Centre registered a person as unemployed or as a job seeker, or ended the registration (the day it takes effect).',
  payload: Type.Object(
    {
      recordId: Type.String({ minLength: 1, description: 'unique per registration act; a corrected report reuses it' }),
      personId: Uuid,
      change: Type.Union([Type.Literal('registered'), Type.Literal('deregistered')]),
      registrationKind: Type.Union([Type.Literal('unemployed'), Type.Literal('job-seeker')]),
      effectiveOn: CalendarDate,
      centreCode: Nullable(Type.String()),
    },
    { additionalProperties: false },
  ),
  fixture: {
    recordId: 'dcz-2026-000001',
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    change: 'registered',
    registrationKind: 'unemployed',
    effectiveOn: '2026-06-05',
    centreCode: 'kyiv-01',
  },
});

export const EmploymentRecordKinds = [
  'employment-started',
  'employment-ended',
  'sole-proprietor-registered',
  'sole-proprietor-terminated',
] as const;

/** The tax service (register of insured persons / ЄДР of sole proprietors) reports the start or end of employment or of sole-proprietor activity. */
export const EmploymentRecordedV1 = defineEvent({
  producer: 'tax-income',
  aggregateType: 'person',
  event: 'employment-recorded',
  version: 1,
  key: 'person id',
  consumers: ['social-processing'],
  description:
    'The State Tax Service recorded that a person started or ended employment (a hiring notice, the register of insured persons) or registered or terminated activity as a sole proprietor (ФОП).',
  payload: Type.Object(
    {
      recordId: Type.String({ minLength: 1, description: 'unique per record; a corrected record reuses it' }),
      personId: Uuid,
      kind: Type.Union(EmploymentRecordKinds.map((k) => Type.Literal(k))),
      effectiveOn: CalendarDate,
      employerCode: Nullable(Type.String({ description: 'ЄДРПОУ of the employer (null for a sole proprietor)' })),
    },
    { additionalProperties: false },
  ),
  fixture: {
    recordId: 'dps-emp-2026-000001',
    personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
    kind: 'employment-started',
    effectiveOn: '2026-05-12',
    employerCode: '12345678',
  },
});

export const InboundEvents: EventContract[] = [
  CrvsPersonDiedV1,
  CrvsPersonBornV1,
  BorderCrossingRecordedV1,
  IncomeReportedV1,
  DepositReportedV1,
  VehicleRegisteredV1,
  PropertyRegisteredV1,
  CurrencyPurchaseReportedV1,
  RealEstatePurchaseRegisteredV1,
  EmploymentCentreRegistrationChangedV1,
  EmploymentRecordedV1,
];
