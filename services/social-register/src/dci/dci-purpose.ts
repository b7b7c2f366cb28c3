import { ValidateBy, type ValidationOptions } from 'class-validator';
import { DciRejection, DciRequestReason } from './dci.errors';
import type { Attribute } from './dci-query';
import { RECORD_ATTRIBUTES, type AllowedAttributes, type RecordAttribute } from './dci-records';

/**
 * Purpose-limited records: a DCI client may be registered with `purposeAttributes`, the record
 * attributes (dci-records.ts RECORD_ATTRIBUTES) each of its purposes allows. A search names its
 * purpose in `search_criteria.consent.purpose.code` (the spec's Consent example: purpose {text, code,
 * ref_uri}) or `search_criteria.authorize.purpose.code`; without one the client's `default` purpose
 * applies when it has one. A purpose the client does not have (or none, without a default) rejects
 * that search request (rjct.search_criteria.invalid). A client without the setting gets every attribute.
 */
export const PURPOSE_CODE = /^[A-Za-z0-9._:-]{1,100}$/;
export const MAX_PURPOSES = 50;
export const DEFAULT_PURPOSE = 'default';

/** Why a purposeAttributes value is not acceptable, or null. */
export function purposeAttributesProblem(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || Array.isArray(value))
    return 'purposeAttributes must be an object { "<purpose code>": ["<attribute>", …] }';
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0 || entries.length > MAX_PURPOSES) return `purposeAttributes names 1…${MAX_PURPOSES} purposes`;
  for (const [purpose, attrs] of entries) {
    if (!PURPOSE_CODE.test(purpose))
      return `purposeAttributes: purpose code ${JSON.stringify(purpose).slice(0, 120)} must match ${PURPOSE_CODE.source}`;
    if (
      !Array.isArray(attrs) ||
      new Set(attrs).size !== attrs.length ||
      !attrs.every((a) => (RECORD_ATTRIBUTES as readonly unknown[]).includes(a))
    )
      return `purposeAttributes.${purpose} must be a list without repeats of ${RECORD_ATTRIBUTES.join(', ')}`;
  }
  return null;
}

export function IsPurposeAttributes(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPurposeAttributes',
      validator: {
        validate: (v: unknown) => purposeAttributesProblem(v) === null,
        defaultMessage: (args) => purposeAttributesProblem(args?.value) ?? 'purposeAttributes is invalid',
      },
    },
    options,
  );
}

type Criteria = { consent?: unknown; authorize?: unknown };
const codeOf = (o: unknown): unknown =>
  o && typeof o === 'object' ? ((o as { purpose?: { code?: unknown } }).purpose ?? undefined)?.code : undefined;

/** The attributes a search of this client may return (null: all), or a per-request rejection. */
export function allowedAttributes(purposeAttributes: Record<string, string[]> | null, criteria: Criteria): AllowedAttributes {
  if (!purposeAttributes) return null;
  const named = codeOf(criteria.consent) ?? codeOf(criteria.authorize);
  const purposes = Object.keys(purposeAttributes);
  if (named === undefined) {
    if (purposeAttributes[DEFAULT_PURPOSE]) return new Set(purposeAttributes[DEFAULT_PURPOSE]);
    throw new DciRejection(
      DciRequestReason.SEARCH_CRITERIA_INVALID,
      `name the purpose of the search in search_criteria.consent.purpose.code (${purposes.join(', ')})`,
    );
  }
  if (typeof named !== 'string' || !Object.prototype.hasOwnProperty.call(purposeAttributes, named))
    throw new DciRejection(
      DciRequestReason.SEARCH_CRITERIA_INVALID,
      `purpose ${String(named).slice(0, 100)} is not one of this client's purposes (${purposes.join(', ')})`,
    );
  return new Set(purposeAttributes[named]);
}

/**
 * The record attribute a query attribute reveals: a client whose purpose does not allow it may not
 * filter on it either (an expression on `age` would tell the age the record leaves out). The register
 * id always goes out; `poverty_score` is not held.
 */
const REVEALS: Record<Attribute, RecordAttribute | null> = {
  id: null,
  rnokpp: 'identifier',
  unzr: 'identifier',
  document: 'identifier',
  last_name: 'name',
  given_name: 'name',
  birth_date: 'birth_date',
  age: 'birth_date',
  death_date: 'death_date',
  sex: 'sex',
  katottg: 'address',
  registration_date: 'registration_date',
  status: 'statuses',
  group_size: 'group_size',
  poverty_score: null,
};

/** The first attribute of `attributes` the purpose does not allow (null: all allowed, or no purpose limit). */
export function attributeBeyondPurpose(attributes: Iterable<Attribute>, allowed: AllowedAttributes): Attribute | null {
  if (!allowed) return null;
  for (const a of attributes) {
    const r = REVEALS[a];
    if (r && !allowed.has(r)) return a;
  }
  return null;
}
