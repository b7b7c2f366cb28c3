import { normaliseNamePart } from '@eisss/platform';
import { isLogical, type Comparison, type Condition } from './dci-query';

/**
 * Compiles DCI query conditions (dci-query.ts) to a parameterised SQL condition: every value goes
 * through `param` (a placeholder), never into the text. Each comparison is two-valued (COALESCE …
 * false): a missing value (no death date, no household) makes it false, so `$not` of it is true,
 * the same as `matches()` on event facts.
 *
 * Persons (alias `p`, social_register.person):
 * - `age`: whole years on the query date (`today`, the Kyiv calendar date), Postgres age();
 * - `katottg` / `location`: prefix of the registered or the actual address's КАТОТТГ;
 * - `group_size`: active members of the person's household (none: false);
 * - `rnokpp`, `unzr`: through their keyed hashes (the values are stored encrypted);
 * - `poverty_score`, `document`: the register holds neither: false.
 * Groups (households, alias `h`): `id`, `location` (the household's КАТОТТГ), `registration_date`,
 * `group_size`, `poverty_score` (false) are the household's; every other attribute is a member's.
 * The member conditions joined by AND at one level (the query's top level or one `$and`) must hold
 * for the same active member (`{ gender: male, age: { $ge: 30 } }`: a man of 30 or more); under
 * `$or` / `$not` each member condition stands on its own (some member meets it).
 */
export interface SqlContext {
  /** Adds a parameter, returns its placeholder ($n). */
  param(value: unknown): string;
  /** The keyed hash of an РНОКПП or УНЗР (person-pii.ts). */
  hash(kind: 'rnokpp' | 'unzr', value: string): string;
  /** The query date (YYYY-MM-DD, Kyiv). */
  today: string;
}

const SQL_OP = { eq: '=', lt: '<', gt: '>', le: '<=', ge: '>=' } as const;
const S = 'social_register';

const list = (c: Comparison) => (Array.isArray(c.value) ? c.value : [c.value]);

/** `expr <op> value` or `expr = ANY (values)`, with the SQL type of the values. */
function cmp(expr: string, c: Comparison, ctx: SqlContext, type: 'text' | 'date' | 'numeric'): string {
  if (c.op === 'in') return `${expr} = ANY (${ctx.param(list(c).map((v) => (type === 'numeric' ? Number(v) : String(v))))}::${type}[])`;
  return `${expr} ${SQL_OP[c.op]} ${ctx.param(type === 'numeric' ? Number(c.value) : String(c.value))}::${type}`;
}

function prefix(columns: string[], c: Comparison, ctx: SqlContext): string {
  // Values are checked as UA + digits (no LIKE wildcards) by the parser.
  const k = ctx.param(list(c).map(String));
  return `EXISTS (SELECT 1 FROM unnest(${k}::text[]) AS k(v) WHERE ${columns.map((col) => `${col} LIKE k.v || '%'`).join(' OR ')})`;
}

function personComparison(c: Comparison, ctx: SqlContext): string {
  switch (c.attr) {
    case 'id':
      return cmp('p.id::text', c, ctx, 'text');
    case 'rnokpp':
    case 'unzr':
      return `p.${c.attr}_hash = ANY (${ctx.param(list(c).map((v) => ctx.hash(c.attr as 'rnokpp' | 'unzr', String(v))))}::text[])`;
    case 'last_name':
      return `split_part(p.name_key, '|', 1) = ANY (${ctx.param(list(c).map((v) => normaliseNamePart(String(v))))}::text[])`;
    case 'given_name':
      return `split_part(p.name_key, '|', 2) = ANY (${ctx.param(list(c).map((v) => normaliseNamePart(String(v))))}::text[])`;
    case 'birth_date':
      return cmp('p.birth_date', c, ctx, 'date');
    case 'death_date':
      return cmp('p.death_date', c, ctx, 'date');
    case 'registration_date':
      return cmp(`(p.created_at AT TIME ZONE 'Europe/Kyiv')::date`, c, ctx, 'date');
    case 'sex':
      return cmp('p.sex', c, ctx, 'text');
    case 'katottg':
      return prefix(['p.katottg', 'p.actual_katottg'], c, ctx);
    case 'status': {
      const d = ctx.param(ctx.today);
      return `EXISTS (SELECT 1 FROM ${S}.person_status s WHERE s.person_id = p.id AND s.type = ANY (${ctx.param(list(c).map(String))}::text[]) AND s.valid_from <= ${d}::date AND (s.valid_to IS NULL OR s.valid_to >= ${d}::date))`;
    }
    case 'age':
      return cmp(`date_part('year', age(${ctx.param(ctx.today)}::date, p.birth_date))::numeric`, c, ctx, 'numeric');
    case 'group_size':
      return cmp(
        `NULLIF((SELECT count(*) FROM ${S}.household_member pm JOIN ${S}.household_member pm2 ON pm2.household_id = pm.household_id AND pm2.left_on IS NULL WHERE pm.person_id = p.id AND pm.left_on IS NULL), 0)::numeric`,
        c,
        ctx,
        'numeric',
      );
    case 'poverty_score':
    case 'document':
      return 'false';
    default: {
      const never: never = c.attr;
      return never;
    }
  }
}

const HOUSEHOLD_ATTRIBUTES = new Set(['id', 'katottg', 'registration_date', 'group_size', 'poverty_score']);
const isMemberLeaf = (c: Condition): c is Comparison => !isLogical(c) && !HOUSEHOLD_ATTRIBUTES.has(c.attr);

/** Some active member of the household meets all these comparisons. */
function someMember(cs: Comparison[], ctx: SqlContext): string {
  return `EXISTS (SELECT 1 FROM ${S}.household_member gm JOIN ${S}.person p ON p.id = gm.person_id WHERE gm.household_id = h.id AND gm.left_on IS NULL AND p.merged_into IS NULL AND ${cs.map((c) => `COALESCE((${personComparison(c, ctx)}), false)`).join(' AND ')})`;
}

function groupComparison(c: Comparison, ctx: SqlContext): string {
  switch (c.attr) {
    case 'id':
      return cmp('h.id::text', c, ctx, 'text');
    case 'katottg':
      return prefix(['h.katottg'], c, ctx);
    case 'registration_date':
      return cmp(`(h.created_at AT TIME ZONE 'Europe/Kyiv')::date`, c, ctx, 'date');
    case 'group_size':
      return cmp(
        `(SELECT count(*) FROM ${S}.household_member gs WHERE gs.household_id = h.id AND gs.left_on IS NULL)::numeric`,
        c,
        ctx,
        'numeric',
      );
    case 'poverty_score':
      return 'false';
    default:
      return someMember([c], ctx);
  }
}

function compile(c: Condition, ctx: SqlContext, leaf: (c: Comparison, ctx: SqlContext) => string, group: boolean): string {
  if (!isLogical(c)) return `COALESCE((${leaf(c, ctx)}), false)`;
  if (c.logic === 'or') return `(${c.of.map((x) => compile(x, ctx, leaf, group)).join(' OR ')})`;
  const all = `(${conjunction(c.of, ctx, leaf, group).join(' AND ')})`;
  return c.logic === 'and' ? all : `(NOT ${all})`;
}

/** The parts of a conjunction; for groups the member comparisons in it as one member's. */
function conjunction(cs: Condition[], ctx: SqlContext, leaf: (c: Comparison, ctx: SqlContext) => string, group: boolean): string[] {
  if (!group) return cs.map((c) => compile(c, ctx, leaf, group));
  const members = cs.filter(isMemberLeaf);
  const rest = cs.filter((c) => !isMemberLeaf(c)).map((c) => compile(c, ctx, leaf, group));
  return members.length > 0 ? [...rest, someMember(members, ctx)] : rest;
}

/** The SQL condition (on `p`) of persons meeting all conditions. */
export function personWhere(conditions: Condition[], ctx: SqlContext): string[] {
  return conjunction(conditions, ctx, personComparison, false);
}

/** The SQL condition (on `h`) of households meeting all conditions. */
export function groupWhere(conditions: Condition[], ctx: SqlContext): string[] {
  return conjunction(conditions, ctx, groupComparison, true);
}
