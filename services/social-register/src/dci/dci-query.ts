import { isCalendarDate } from './dci-input';
import { DciError, DciErrorCode, DciRejection, DciRequestReason } from './dci.errors';

export type Op = 'eq' | 'lt' | 'gt' | 'le' | 'ge' | 'in';
export type Attribute = 'id' | 'rnokpp' | 'unzr' | 'last_name' | 'given_name' | 'birth_date' | 'death_date' | 'sex' | 'katottg' | 'registration_date' | 'status';
export type Scalar = string | number | boolean;

export interface Condition {
  attr: Attribute;
  op: Op;
  value: Scalar | Scalar[];
}

/** Attribute names accepted in queries (DCI/SPDCI names and the register's own). */
const ATTRIBUTES: Record<string, Attribute> = {
  id: 'id',
  register_id: 'id',
  rnokpp: 'rnokpp',
  unzr: 'unzr',
  last_name: 'last_name',
  surname: 'last_name',
  given_name: 'given_name',
  first_name: 'given_name',
  birth_date: 'birth_date',
  death_date: 'death_date',
  sex: 'sex',
  katottg: 'katottg',
  admin_area_code: 'katottg',
  location: 'katottg',
  registration_date: 'registration_date',
  status: 'status',
};

/** Which operators each attribute allows. */
const OPS: Record<Attribute, Op[]> = {
  id: ['eq', 'in'],
  rnokpp: ['eq', 'in'],
  unzr: ['eq', 'in'],
  last_name: ['eq'],
  given_name: ['eq'],
  birth_date: ['eq', 'lt', 'gt', 'le', 'ge', 'in'],
  death_date: ['eq', 'lt', 'gt', 'le', 'ge'],
  sex: ['eq', 'in'],
  katottg: ['eq'],
  registration_date: ['eq', 'lt', 'gt', 'le', 'ge'],
  status: ['eq', 'in'],
};

const ID_TYPES: Record<string, Attribute> = { rnokpp: 'rnokpp', unzr: 'unzr', id: 'id', register_id: 'id' };
const OP_NAMES: Record<string, Op> = { eq: 'eq', lt: 'lt', gt: 'gt', le: 'le', lte: 'le', ge: 'ge', gte: 'ge', in: 'in' };

function reject(message: string, reason = DciRequestReason.SEARCH_CRITERIA_INVALID): never {
  throw new DciRejection(reason, message);
}

const isScalar = (v: unknown): v is Scalar => ['string', 'number', 'boolean'].includes(typeof v);

function condition(name: string, opName: string, value: unknown, reason: DciRequestReason): Condition {
  const attr = ATTRIBUTES[name.replace(/^.*:/, '').toLowerCase()];
  if (!attr) reject(`unknown attribute ${name}`, reason);
  const op = OP_NAMES[opName.replace(/^\$/, '').toLowerCase()];
  if (!op || !OPS[attr].includes(op)) reject(`operator ${opName} is not allowed on ${name}`, reason);
  if (op === 'in' ? !Array.isArray(value) || value.length === 0 || !value.every(isScalar) : !isScalar(value)) reject(`bad value for ${name}`, reason);
  if (['birth_date', 'death_date', 'registration_date'].includes(attr)) {
    const values = Array.isArray(value) ? value : [value];
    if (!values.every((v) => typeof v === 'string' && /^[0-9]{4}-[0-9]{2}-[0-9]{2}/.test(v))) reject(`${name} takes dates YYYY-MM-DD`, reason);
    // A date that does not exist (2026-02-30) is a malformed request, not an unsupported criterion.
    if (!values.every((v) => isCalendarDate(String(v).slice(0, 10)))) throw new DciError(DciErrorCode.REQUEST_BAD, `${name} is not a calendar date (YYYY-MM-DD)`);
  }
  return { attr, op, value: Array.isArray(value) ? value.map((v) => (typeof v === 'string' && attr.endsWith('date') ? v.slice(0, 10) : v)) : typeof value === 'string' && attr.endsWith('date') ? value.slice(0, 10) : (value as Scalar) };
}

/** `{ attr: { $op: value } }` or `{ attr: value }` (equality), possibly under `$and`. */
function fromExpressionObject(q: unknown, reason: DciRequestReason): Condition[] {
  if (!q || typeof q !== 'object' || Array.isArray(q)) reject('expression query must be an object', reason);
  const out: Condition[] = [];
  for (const [key, val] of Object.entries(q as Record<string, unknown>)) {
    if (key === '$and') {
      if (!Array.isArray(val)) reject('$and takes a list', reason);
      for (const part of val) out.push(...fromExpressionObject(part, reason));
    } else if (key.startsWith('$')) {
      reject(`${key} is not supported (only $and of conditions)`, reason);
    } else if (val && typeof val === 'object' && !Array.isArray(val)) {
      for (const [op, v] of Object.entries(val as Record<string, unknown>)) out.push(condition(key, op, v, reason));
    } else {
      out.push(condition(key, 'eq', val, reason));
    }
  }
  return out;
}

/**
 * Parses a DCI search query (or subscription filter) into conditions joined by AND.
 * - `idtype-value`: `{ type: 'RNOKPP' | 'UNZR' | 'ID', value }`
 * - `expression`: `{ type: 'expression', value: { expression: { collection: 'Person', query: { $and: [{ birth_date: { $gt: '2020-01-01' } }] } } } }`
 * - `predicate`: `[{ expression1: { attribute_name, operator, attribute_value }, condition: 'and', expression2 }]`
 */
export function parseQuery(queryType: string, query: unknown, reason = DciRequestReason.SEARCH_CRITERIA_INVALID): Condition[] {
  switch (queryType) {
    case 'idtype-value': {
      const q = query as { type?: unknown; value?: unknown };
      if (!q || typeof q.type !== 'string') reject('idtype-value needs type and value', reason);
      const attr = ID_TYPES[q.type.replace(/^.*:/, '').toLowerCase()];
      if (!attr) reject(`identifier type ${q.type} is not known (RNOKPP, UNZR, ID)`, reason);
      if (!isScalar(q.value) || String(q.value).trim() === '') reject('identifier value must be a string', reason);
      return [{ attr, op: 'eq', value: String(q.value).trim() }];
    }
    case 'expression': {
      const q = query as { value?: { expression?: { collection?: unknown; query?: unknown }; query?: unknown }; expression?: { query?: unknown } };
      const expression = q?.value?.expression ?? q?.expression;
      const collection = (expression as { collection?: unknown } | undefined)?.collection;
      if (collection !== undefined && !['person', 'member', 'srperson'].includes(String(collection).toLowerCase())) reject(`collection ${String(collection)} is not searchable (Person)`, reason);
      const body = expression?.query ?? q?.value?.query;
      const conditions = fromExpressionObject(body, reason);
      if (conditions.length === 0) reject('expression has no conditions', reason);
      return conditions;
    }
    case 'predicate': {
      if (!Array.isArray(query) || query.length === 0) reject('predicate query is a non-empty list', reason);
      const out: Condition[] = [];
      for (const item of query as { expression1?: { attribute_name: string; operator: string; attribute_value: unknown }; condition?: string; expression2?: { attribute_name: string; operator: string; attribute_value: unknown } }[]) {
        if (!item?.expression1) reject('predicate needs expression1', reason);
        if (item.condition !== undefined && item.condition !== 'and') reject(`condition ${item.condition} is not supported (and)`, reason);
        for (const e of [item.expression1, item.expression2]) if (e) out.push(condition(e.attribute_name, e.operator, e.attribute_value, reason));
      }
      return out;
    }
    default:
      return reject(`query_type ${queryType} is not supported (idtype-value, expression, predicate)`, reason);
  }
}

/** The facts of an event a subscription filter is matched against. */
export interface NotifyFacts {
  id: string;
  katottg: string[];
  sex?: string;
  birth_date?: string;
}

function compare(actual: string, op: Op, expected: Scalar | Scalar[]): boolean {
  switch (op) {
    case 'eq':
      return actual === String(expected);
    case 'in':
      return (expected as Scalar[]).map(String).includes(actual);
    case 'lt':
      return actual < String(expected);
    case 'gt':
      return actual > String(expected);
    case 'le':
      return actual <= String(expected);
    case 'ge':
      return actual >= String(expected);
    default: {
      const never: never = op;
      return never;
    }
  }
}

/** Attributes a subscription filter may use (matched against event facts, not the database). */
export const FILTER_ATTRIBUTES: Attribute[] = ['id', 'katottg', 'sex', 'birth_date'];

export function matches(conditions: Condition[], facts: NotifyFacts): boolean {
  return conditions.every((c) => {
    switch (c.attr) {
      case 'katottg':
        return facts.katottg.some((k) => k.startsWith(String(c.value)));
      case 'id':
        return compare(facts.id, c.op, c.value);
      case 'sex':
        return facts.sex !== undefined && compare(facts.sex, c.op, c.value);
      case 'birth_date':
        return facts.birth_date !== undefined && compare(facts.birth_date, c.op, c.value);
      default:
        return false;
    }
  });
}
