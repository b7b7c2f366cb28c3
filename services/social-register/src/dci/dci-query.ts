import { normaliseNamePart } from '@eisss/platform';
import { isCalendarDate } from './dci-input';
import { DciError, DciErrorCode, DciRejection, DciRequestReason } from './dci.errors';

/**
 * DCI queries (search_criteria.query, subscribe_criteria.filter) as a tree of conditions.
 *
 * Operators are the spec's (SubscriptionInfo.filter predicate `operator` enum: gt, lt, eq, ge, le, in;
 * in an expression `$gt` … `$in`, with `$gte`/`$lte` read as ge/le), combined with `$and`, `$or`,
 * `$not` (expression) or `condition: and | or | not` (predicate).
 */
export type Op = 'eq' | 'lt' | 'gt' | 'le' | 'ge' | 'in';
export type Attribute =
  | 'id'
  | 'rnokpp'
  | 'unzr'
  | 'document'
  | 'last_name'
  | 'given_name'
  | 'birth_date'
  | 'death_date'
  | 'sex'
  | 'katottg'
  | 'registration_date'
  | 'status'
  | 'age'
  | 'group_size'
  | 'poverty_score';
export type Scalar = string | number | boolean;

/** One comparison of an attribute with a value. */
export interface Comparison {
  attr: Attribute;
  op: Op;
  value: Scalar | Scalar[];
}

/** Conditions combined: `and`/`or` of several, `not` of the conjunction of its parts. */
export interface Logical {
  logic: 'and' | 'or' | 'not';
  of: Condition[];
}

export type Condition = Comparison | Logical;

export const isLogical = (c: Condition): c is Logical => (c as Logical).logic !== undefined;

/** Attribute names accepted in queries (the spec's examples, DCI/SPDCI names and the register's own). */
const ATTRIBUTES: Record<string, Attribute> = {
  id: 'id',
  register_id: 'id',
  rnokpp: 'rnokpp',
  unzr: 'unzr',
  document_number: 'document',
  last_name: 'last_name',
  surname: 'last_name',
  given_name: 'given_name',
  first_name: 'given_name',
  birth_date: 'birth_date',
  dob: 'birth_date',
  death_date: 'death_date',
  sex: 'sex',
  gender: 'sex',
  katottg: 'katottg',
  admin_area_code: 'katottg',
  location: 'katottg',
  registration_date: 'registration_date',
  status: 'status',
  age: 'age',
  group_size: 'group_size',
  poverty_score: 'poverty_score',
};

const ALL: Op[] = ['eq', 'lt', 'gt', 'le', 'ge', 'in'];
/** Which operators each attribute allows. */
const OPS: Record<Attribute, Op[]> = {
  id: ['eq', 'in'],
  rnokpp: ['eq', 'in'],
  unzr: ['eq', 'in'],
  document: ['eq', 'in'],
  last_name: ['eq', 'in'],
  given_name: ['eq', 'in'],
  birth_date: ALL,
  death_date: ALL,
  sex: ['eq', 'in'],
  katottg: ['eq', 'in'],
  registration_date: ALL,
  status: ['eq', 'in'],
  age: ALL,
  group_size: ALL,
  poverty_score: ALL,
};

const DATES: Attribute[] = ['birth_date', 'death_date', 'registration_date'];
const NUMBERS: Attribute[] = ['age', 'group_size', 'poverty_score'];

/**
 * Identifier types of `idtype-value` queries (the spec leaves them to the implementation: "e.g. UIN,
 * MOBILE, BRN…"), with or without a namespace (`ns:ua:IdType:RNOKPP`), in any case.
 * - RNOKPP (TIN, TAX_ID): the taxpayer number (РНОКПП);
 * - UNZR (UIN, NATIONAL_ID, NID): the Demographic Register record number (УНЗР), Ukraine's unique identification number;
 * - PASSPORT, ID_CARD, DOCUMENT_NUMBER: an identity document number (the register holds none yet: such a search finds nothing);
 * - ID (REGISTER_ID): the register's own id of the person (or household).
 * Any other type: that search request is rejected (rjct.search_criteria.invalid).
 */
export const ID_TYPES: Record<string, Attribute> = {
  rnokpp: 'rnokpp',
  tin: 'rnokpp',
  tax_id: 'rnokpp',
  taxid: 'rnokpp',
  unzr: 'unzr',
  uin: 'unzr',
  national_id: 'unzr',
  nationalid: 'unzr',
  nid: 'unzr',
  passport: 'document',
  id_card: 'document',
  idcard: 'document',
  document_number: 'document',
  id: 'id',
  register_id: 'id',
};
export const ID_TYPE_NAMES = ['RNOKPP', 'TIN', 'UNZR', 'UIN', 'NationalID', 'NID', 'PASSPORT', 'ID_CARD', 'DOCUMENT_NUMBER', 'ID'];

const OP_NAMES: Record<string, Op> = { eq: 'eq', lt: 'lt', gt: 'gt', le: 'le', lte: 'le', ge: 'ge', gte: 'ge', in: 'in' };
/** More leaves than this in one query are refused (the SQL stays bounded). */
export const MAX_CONDITIONS = 50;
const MAX_NESTING = 8;

function reject(message: string, reason: DciRequestReason): never {
  throw new DciRejection(reason, message);
}

const isScalar = (v: unknown): v is Scalar => ['string', 'number', 'boolean'].includes(typeof v);
const KATOTTG_PREFIX = /^UA[0-9]{0,17}$/;

function normaliseValue(attr: Attribute, name: string, v: Scalar, reason: DciRequestReason): Scalar {
  if (DATES.includes(attr)) {
    if (typeof v !== 'string' || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}/.test(v)) reject(`${name} takes dates YYYY-MM-DD`, reason);
    // A date that does not exist (2026-02-30) is a malformed request, not an unsupported criterion.
    if (!isCalendarDate(v.slice(0, 10))) throw new DciError(DciErrorCode.REQUEST_BAD, `${name} is not a calendar date (YYYY-MM-DD)`);
    return v.slice(0, 10);
  }
  if (NUMBERS.includes(attr)) {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?[0-9]+(\.[0-9]+)?$/.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isFinite(n)) reject(`${name} takes a number`, reason);
    return n;
  }
  if (typeof v !== 'string' && attr !== 'id') reject(`${name} takes a string`, reason);
  const s = String(v).trim();
  if (s === '') reject(`${name} must not be empty`, reason);
  if (attr === 'sex') {
    const sex = s.toLowerCase();
    if (sex !== 'male' && sex !== 'female') reject(`${name} is male or female`, reason);
    return sex;
  }
  if (attr === 'katottg') {
    const k = s.toUpperCase();
    if (!KATOTTG_PREFIX.test(k)) reject(`${name} is a КАТОТТГ code or its prefix (UA followed by up to 17 digits)`, reason);
    return k;
  }
  return s;
}

function comparison(name: string, opName: string, value: unknown, reason: DciRequestReason): Comparison {
  const attr = ATTRIBUTES[name.replace(/^.*:/, '').toLowerCase()];
  if (!attr) reject(`unknown attribute ${name} (${Object.keys(ATTRIBUTES).join(', ')})`, reason);
  const op = OP_NAMES[opName.replace(/^\$/, '').toLowerCase()];
  if (!op || !OPS[attr].includes(op)) reject(`operator ${opName} is not allowed on ${name} (${OPS[attr].join(', ')})`, reason);
  if (op === 'in') {
    // A predicate's attribute_value cannot be a list (SubscriptionInfo.filter anyOf/2 … attribute_value: string | integer | number | boolean | object): "a,b,c".
    if (typeof value === 'string') value = value.split(',').map((v) => v.trim());
    if (!Array.isArray(value) || value.length === 0 || value.length > 100 || !value.every(isScalar))
      reject(`${name} in takes a list of 1…100 values`, reason);
    return { attr, op, value: value.map((v) => normaliseValue(attr, name, v, reason)) };
  }
  if (!isScalar(value)) reject(`bad value for ${name}`, reason);
  return { attr, op, value: normaliseValue(attr, name, value, reason) };
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** `{ attr: { $op: value, $not: {…} } }`, `{ attr: value }` (equality), `$and`/`$or` lists and `$not` objects. */
function fromExpressionObject(q: unknown, reason: DciRequestReason, depth: number): Condition[] {
  if (depth > MAX_NESTING) reject(`the query nests deeper than ${MAX_NESTING} levels`, reason);
  if (!isObject(q)) reject('an expression query is an object', reason);
  const out: Condition[] = [];
  for (const [key, val] of Object.entries(q)) {
    switch (key.toLowerCase()) {
      case '$and':
      case '$or': {
        if (!Array.isArray(val) || val.length === 0) reject(`${key} takes a non-empty list`, reason);
        const parts = val.map((part) => and(fromExpressionObject(part, reason, depth + 1)));
        out.push(key.toLowerCase() === '$and' ? { logic: 'and', of: parts } : { logic: 'or', of: parts });
        break;
      }
      case '$not':
        out.push({ logic: 'not', of: fromExpressionObject(val, reason, depth + 1) });
        break;
      default:
        if (key.startsWith('$')) reject(`${key} is not supported ($and, $or, $not and conditions on attributes)`, reason);
        if (isObject(val)) {
          if (Object.keys(val).length === 0) reject(`${key} has no operator`, reason);
          for (const [op, v] of Object.entries(val)) {
            if (op.toLowerCase() === '$not') {
              if (!isObject(v)) reject(`${key}.$not takes operators`, reason);
              out.push({ logic: 'not', of: Object.entries(v).map(([o, x]) => comparison(key, o, x, reason)) });
            } else out.push(comparison(key, op, v, reason));
          }
        } else out.push(comparison(key, 'eq', val, reason));
    }
  }
  if (out.length === 0) reject('an expression has no conditions', reason);
  return out;
}

/** One condition for a conjunction (a single one stays as it is). */
function and(cs: Condition[]): Condition {
  return cs.length === 1 ? cs[0]! : { logic: 'and', of: cs };
}

/** The top level as a list joined by AND: nested `and` nodes are opened. */
function flatten(cs: Condition[]): Condition[] {
  return cs.flatMap((c) => (isLogical(c) && c.logic === 'and' ? flatten(c.of) : [c]));
}

function count(cs: Condition[]): number {
  return cs.reduce((n, c) => n + (isLogical(c) ? count(c.of) : 1), 0);
}

type PredicateExpression = { attribute_name?: unknown; operator?: unknown; attribute_value?: unknown };
type PredicateItem = { seq_num?: number; expression1?: PredicateExpression; condition?: unknown; expression2?: PredicateExpression };

function predicateExpression(e: PredicateExpression, reason: DciRequestReason): Comparison {
  if (!isObject(e) || typeof e.attribute_name !== 'string' || typeof e.operator !== 'string')
    reject('a predicate expression needs attribute_name, operator and attribute_value', reason);
  return comparison(e.attribute_name, e.operator, e.attribute_value, reason);
}

/**
 * Predicates (SubscriptionInfo.filter anyOf/2): items in seq_num order, joined by AND; within an
 * item `expression1 <condition> expression2`, with `not` read as "expression1 and not expression2"
 * (and as "not expression1" when there is no expression2).
 */
function fromPredicates(query: unknown, reason: DciRequestReason): Condition[] {
  if (!Array.isArray(query) || query.length === 0) reject('a predicate query is a non-empty list', reason);
  const items = (query as PredicateItem[])
    .map((item, i) => ({ item, i }))
    .sort((a, b) => (a.item?.seq_num ?? a.i) - (b.item?.seq_num ?? b.i) || a.i - b.i);
  const out: Condition[] = [];
  for (const { item } of items) {
    if (!isObject(item) || !item.expression1) reject('each predicate needs expression1', reason);
    const e1 = predicateExpression(item.expression1, reason);
    const e2 = item.expression2 !== undefined ? predicateExpression(item.expression2, reason) : undefined;
    const cond = item.condition === undefined ? 'and' : String(item.condition).toLowerCase();
    if (!['and', 'or', 'not'].includes(cond)) reject(`condition ${String(item.condition)} is not supported (and, or, not)`, reason);
    if (!e2) {
      if (item.condition !== undefined && cond !== 'not') reject(`condition ${cond} needs expression2`, reason);
      out.push(cond === 'not' ? { logic: 'not', of: [e1] } : e1);
    } else if (cond === 'and') out.push(e1, e2);
    else if (cond === 'or') out.push({ logic: 'or', of: [e1, e2] });
    else out.push(e1, { logic: 'not', of: [e2] });
  }
  return out;
}

/**
 * Parses a DCI search query (or subscription filter) into conditions joined by AND.
 * - `idtype-value`: `{ type: 'RNOKPP' | 'UNZR' | 'PASSPORT' | 'ID' | …, value }` (ID_TYPES)
 * - `expression`: `{ type: 'expression', value: { expression: { collection: 'Person' | 'Group', query: { $and: [{ age: { $ge: 18 } }, { $or: [...] }, { $not: {...} }] } } } }`
 * - `predicate`: `[{ seq_num, expression1: { attribute_name, operator, attribute_value }, condition: 'and' | 'or' | 'not', expression2 }]`
 */
export function parseQuery(queryType: string, query: unknown, reason = DciRequestReason.SEARCH_CRITERIA_INVALID): Condition[] {
  let out: Condition[];
  switch (queryType) {
    case 'idtype-value': {
      const q = query as { type?: unknown; value?: unknown };
      if (!isObject(q) || typeof q.type !== 'string') reject('idtype-value needs type and value', reason);
      const attr = ID_TYPES[q.type.replace(/^.*:/, '').toLowerCase()];
      if (!attr) reject(`identifier type ${q.type} is not known (${ID_TYPE_NAMES.join(', ')})`, reason);
      if (!isScalar(q.value) || String(q.value).trim() === '') reject('identifier value must be a string', reason);
      out = [{ attr, op: 'eq', value: String(q.value).trim() }];
      break;
    }
    case 'expression': {
      expressionCollection(query, reason);
      const q = query as { value?: { expression?: { query?: unknown }; query?: unknown }; expression?: { query?: unknown } };
      const expression = q?.value?.expression ?? q?.expression;
      out = flatten(fromExpressionObject(expression?.query ?? q?.value?.query, reason, 0));
      break;
    }
    case 'predicate':
      out = fromPredicates(query, reason);
      break;
    default:
      return reject(`query_type ${queryType} is not supported (idtype-value, expression, predicate)`, reason);
  }
  if (count(out) > MAX_CONDITIONS) reject(`at most ${MAX_CONDITIONS} conditions in a query`, reason);
  return out;
}

/** What an expression names as its collection: person (Person, Member, SRPerson) or group (Group, Household, SRGroup); undefined when it names none. */
export function expressionCollection(query: unknown, reason = DciRequestReason.SEARCH_CRITERIA_INVALID): 'person' | 'group' | undefined {
  const q = query as { value?: { expression?: { collection?: unknown } }; expression?: { collection?: unknown } } | null;
  const collection = q?.value?.expression?.collection ?? q?.expression?.collection;
  if (collection === undefined) return undefined;
  const name = String(collection).replace(/^.*:/, '').toLowerCase();
  if (['person', 'member', 'srperson'].includes(name)) return 'person';
  if (['group', 'household', 'srgroup'].includes(name)) return 'group';
  return reject(`collection ${String(collection)} is not searchable (Person, Group)`, reason);
}

/** Every attribute the conditions use. */
export function attributesOf(conditions: Condition[]): Attribute[] {
  return [...new Set(conditions.flatMap((c) => (isLogical(c) ? attributesOf(c.of) : [c.attr])))];
}

/** The age in whole years on a Kyiv calendar date (the birthday counts; 29 February counts on 1 March in other years, as Postgres age()). */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.slice(0, 10).split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.slice(0, 10).split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * The facts of an event a subscription filter is matched against. `katottg` holds the КАТОТТГ
 * codes of the subject (a person's registered and actual address, a household's); the rest is known
 * or not (a condition on an unknown fact is false). `on` is the Kyiv date for `age` (today by default).
 */
export interface NotifyFacts {
  id: string;
  katottg: string[];
  sex?: string;
  birth_date?: string;
  death_date?: string | null;
  rnokpp?: string | null;
  unzr?: string | null;
  last_name?: string;
  given_name?: string;
  registration_date?: string;
  /** Types of the statuses in force. */
  statuses?: string[];
  /** Active members of the household (of the person's household for a person). */
  group_size?: number;
  /** The day the facts are as of (the caller's clock): an age is counted on it, and without it an age condition does not hold. */
  on?: string;
}

function compare(actual: string | number, op: Op, expected: Scalar | Scalar[]): boolean {
  const num = typeof actual === 'number';
  const cast = (v: Scalar) => (num ? Number(v) : String(v));
  switch (op) {
    case 'eq':
      return actual === cast(expected as Scalar);
    case 'in':
      return (expected as Scalar[]).map(cast).includes(actual);
    case 'lt':
      return actual < cast(expected as Scalar);
    case 'gt':
      return actual > cast(expected as Scalar);
    case 'le':
      return actual <= cast(expected as Scalar);
    case 'ge':
      return actual >= cast(expected as Scalar);
    default: {
      const never: never = op;
      return never;
    }
  }
}

function holds(c: Condition, f: NotifyFacts): boolean {
  if (isLogical(c)) {
    if (c.logic === 'or') return c.of.some((x) => holds(x, f));
    const all = c.of.every((x) => holds(x, f));
    return c.logic === 'and' ? all : !all;
  }
  const values = Array.isArray(c.value) ? c.value : [c.value];
  switch (c.attr) {
    case 'katottg':
      return f.katottg.some((k) => !!k && values.some((v) => k.trim().startsWith(String(v))));
    case 'id':
      return compare(f.id, c.op, c.value);
    case 'sex':
      return f.sex !== undefined && compare(f.sex, c.op, c.value);
    case 'birth_date':
      return !!f.birth_date && compare(f.birth_date, c.op, c.value);
    case 'death_date':
      return !!f.death_date && compare(f.death_date, c.op, c.value);
    case 'registration_date':
      return !!f.registration_date && compare(f.registration_date.slice(0, 10), c.op, c.value);
    case 'age':
      return !!f.birth_date && !!f.on && compare(ageOn(f.birth_date, f.on), c.op, c.value);
    case 'group_size':
      return f.group_size !== undefined && compare(f.group_size, c.op, c.value);
    case 'rnokpp':
    case 'unzr':
      return !!f[c.attr] && compare(f[c.attr]!.trim(), c.op, c.value);
    case 'last_name':
    case 'given_name': {
      const name = f[c.attr];
      return name !== undefined && values.some((v) => normaliseNamePart(String(v)) === normaliseNamePart(name));
    }
    case 'status':
      return !!f.statuses && f.statuses.some((s) => values.map(String).includes(s));
    case 'poverty_score':
    case 'document':
      // The register holds no poverty scores and no document numbers: such a condition never holds.
      return false;
    default: {
      const never: never = c.attr;
      return never;
    }
  }
}

/** Whether the facts meet all conditions (the search's semantics: see dci-query-sql.ts). */
export function matches(conditions: Condition[], facts: NotifyFacts): boolean {
  return conditions.every((c) => holds(c, facts));
}
