import { ROLES, type ServiceName } from '@eisss/contracts';
import { ServiceProcess, TestEnvironment, infraServices, tokenFor } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';

/**
 * Bad input is a 4xx, always, on every route of every service: each service runs as a process, its
 * OpenAPI document (/docs-json) lists the routes, and every POST/PUT/PATCH route with a body gets deeply
 * nested JSON, NUL bytes and lone surrogates in its strings and keys, malformed JSON, a wrong type for each
 * required field, an empty object and a huge body; every GET route with query parameters gets a NUL in
 * each parameter. Every answer must be a 4xx with the error body (`{ error: { code, message } }`, or the
 * DCI envelope on the register's /registry/* routes), and no table of the service's schema may gain rows.
 *
 * Row counts exclude no table: a refused request is refused before any read is audited or any event is
 * written, so audit_log, outbox and inbox must stay as they were too; all services' refusals run before
 * any request that may succeed, so no event reaches a consumer (and its inbox) while rows are counted.
 * Requests that may be valid (a null optional field, a wrong type in an optional field, a repeated or
 * nested query parameter, an array body) run afterwards and must only never be a 5xx.
 */

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
  minLength?: number;
  pattern?: string;
};
interface Operation {
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

interface Probe {
  method: string;
  route: string;
  path: string;
  input: string;
  body?: string;
  /** false: a request that may be valid (a null optional field, a repeated query parameter): it must only not be a 5xx. */
  strict: boolean;
  /** Refused by the body parser (before routing), so answered by the platform's filter on every route. */
  parser?: boolean;
}
interface Finding {
  service: ServiceName;
  method: string;
  route: string;
  input: string;
  status: number;
  body: string;
}

/**
 * 5xx that the sweep still finds in services other helpers are changing right now; each entry is
 * `<service> <METHOD> <route> <input>` and must be removed once the service answers 4xx there.
 */
const KNOWN_5XX: string[] = [];

const DEPTH = 10_000;
const NUL = '__NUL__';
const SURROGATE = '__SURROGATE__';
const token = tokenFor({ id: 'sweep', roles: [...ROLES], territory: 'UA' });

function resolve(doc: OpenApi, s: Schema | undefined, seen = 0): Schema {
  if (!s) return {};
  if (s.$ref && seen < 8) return resolve(doc, doc.components?.schemas?.[s.$ref.replace('#/components/schemas/', '')], seen + 1);
  const combined = s.allOf ?? s.oneOf ?? s.anyOf;
  if (combined && combined.length > 0) {
    const parts = combined.map((p) => resolve(doc, p, seen + 1));
    return parts.reduce<Schema>(
      (acc, p) => ({
        ...acc,
        ...p,
        properties: { ...acc.properties, ...p.properties },
        required: [...(acc.required ?? []), ...(p.required ?? [])],
      }),
      { ...s, allOf: undefined, oneOf: undefined, anyOf: undefined },
    );
  }
  return s;
}

/** A plausible value for a schema (required fields only), so that one bad field is the only fault. */
function sample(doc: OpenApi, raw: Schema | undefined, depth = 0, name = ''): unknown {
  const s = resolve(doc, raw);
  if (s.example !== undefined) return s.example;
  if (s.enum && s.enum.length > 0) return s.enum[0];
  switch (s.type) {
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return depth > 4 ? [] : [sample(doc, s.items, depth + 1, name)];
    case 'string':
      if (s.format === 'uuid' || /(^id|Id)$/.test(name)) return randomUUID();
      if (/katottg/i.test(name)) return 'UA80000000000093317';
      if (/sha256/i.test(name)) return 'a'.repeat(64);
      if (/month$/i.test(name)) return '2026-01';
      if (s.format === 'date' || /(On|Date|From|To|asOf)$/.test(name)) return '2026-01-15';
      if (s.format === 'date-time') return '2026-01-15T10:00:00.000Z';
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    default: {
      if (depth > 4 || !s.properties) return {};
      const out: Record<string, unknown> = {};
      for (const key of s.required ?? []) out[key] = sample(doc, s.properties[key], depth + 1, key);
      return out;
    }
  }
}

type Path = (string | number)[];

/** Paths of the fields of a schema (optional ones too), down to a few levels, with their resolved schema. */
function fields(doc: OpenApi, raw: Schema | undefined, prefix: Path = [], depth = 0): { path: Path; schema: Schema; required: boolean }[] {
  const s = resolve(doc, raw);
  if (depth > 3) return [];
  if (s.type === 'array') return fields(doc, s.items, [...prefix, 0], depth + 1);
  if (!s.properties) return [];
  return Object.entries(s.properties).flatMap(([name, p]) => {
    const ps = resolve(doc, p);
    const own = { path: [...prefix, name], schema: ps, required: (s.required ?? []).includes(name) };
    return [own, ...fields(doc, ps, [...prefix, name], depth + 1)];
  });
}

function setAt(base: unknown, path: Path, value: unknown): unknown {
  const root = structuredClone(base ?? {}) as Record<string | number, unknown>;
  let at = root;
  path.forEach((key, i) => {
    if (i === path.length - 1) {
      at[key] = value;
      return;
    }
    const next = path[i + 1];
    if (at[key] === null || typeof at[key] !== 'object') at[key] = typeof next === 'number' ? [] : {};
    at = at[key] as Record<string | number, unknown>;
  });
  return root;
}

/** JSON text in which the placeholders become a raw NUL escape or a raw lone surrogate escape. */
function text(value: unknown): string {
  return JSON.stringify(value).replaceAll(NUL, 'a\\u0000b').replaceAll(SURROGATE, 'a\\ud800b');
}

function wrongTypeFor(s: Schema): unknown {
  if (s.enum) return 12345;
  switch (s.type) {
    case 'string':
      return 12345;
    case 'integer':
    case 'number':
    case 'boolean':
      return 'not-of-this-type';
    case 'array':
      return 'not-an-array';
    default:
      return 'not-an-object';
  }
}

function probesFor(doc: OpenApi): Probe[] {
  const probes: Probe[] = [];
  for (const [route, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = op.parameters ?? [];
      let path = route;
      for (const p of params.filter((x) => x.in === 'path')) {
        const s = resolve(doc, p.schema);
        path = path.replace(`{${p.name}}`, encodeURIComponent(String(s.enum?.[0] ?? randomUUID())));
      }
      const M = method.toUpperCase();
      if (M === 'GET') {
        const query = params.filter((x) => x.in === 'query');
        const required = query.filter((q) => q.required).map((q): [string, string] => [q.name, String(sample(doc, q.schema, 0, q.name))]);
        for (const q of query) {
          const qs = new URLSearchParams([...required.filter(([n]) => n !== q.name), [q.name, 'a\u0000b']]);
          probes.push({ method: M, route, path: `${path}?${qs}`, input: `NUL in query ${q.name}`, strict: true });
          const others = new URLSearchParams(required.filter(([n]) => n !== q.name)).toString();
          const amp = others ? `${others}&` : '';
          probes.push({
            method: M,
            route,
            path: `${path}?${amp}${q.name}=a&${q.name}=b`,
            input: `query ${q.name} repeated`,
            strict: false,
          });
          probes.push({ method: M, route, path: `${path}?${amp}${q.name}%5Bx%5D=1`, input: `query ${q.name} as an object`, strict: false });
          probes.push({
            method: M,
            route,
            path: `${path}?${amp}${q.name}=not-valid-%D0%96`,
            input: `query ${q.name} of the wrong form`,
            strict: false,
          });
        }
        continue;
      }
      if (!['POST', 'PUT', 'PATCH'].includes(M)) continue;
      const schema = op.requestBody?.content?.['application/json']?.schema;
      if (!op.requestBody) continue;
      const body = resolve(doc, schema);
      const base = sample(doc, body) as Record<string, unknown>;
      const all = fields(doc, body);
      const add = (input: string, raw: string, strict = true, parser = false) =>
        probes.push({ method: M, route, path, input, body: raw, strict, parser });
      add(`JSON nested ${DEPTH} levels (arrays)`, `{"x":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}}`);
      add(`JSON nested ${DEPTH} levels (objects)`, `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`);
      add('malformed JSON', '{"a": ', true, true);
      add('JSON string instead of an object', '"just a string"', true, true);
      add(`huge body (300 kB)`, JSON.stringify({ ...base, padding: 'x'.repeat(300_000) }), true, true);
      const strings = all.filter(
        (f) => f.schema.type === 'string' || (f.schema.type === undefined && !f.schema.properties && f.schema.enum === undefined),
      );
      const targets = strings.length > 0 ? strings.map((f) => f.path) : [['x']];
      for (const p of targets) {
        add(`NUL in ${p.join('.')}`, text(setAt(base, p, NUL)));
        add(`lone surrogate in ${p.join('.')}`, text(setAt(base, p, SURROGATE)));
      }
      add('NUL in a key', text({ [`k${NUL}`]: 1, ...base }));
      add('lone surrogate in a key', text({ [`k${SURROGATE}`]: 1, ...base }));
      const required = all.filter((f) => f.required);
      for (const f of required) add(`wrong type for ${f.path.join('.')}`, text(setAt(base, f.path, wrongTypeFor(f.schema))));
      if ((body.required ?? []).length > 0) add('empty object', '{}');
      for (const f of all) {
        add(`null for ${f.path.join('.')}`, text(setAt(base, f.path, null)), f.required ? undefined : false);
        if (!f.required) add(`wrong type for optional ${f.path.join('.')}`, text(setAt(base, f.path, wrongTypeFor(f.schema))), false);
      }
      add('array instead of an object', '[]', false);
    }
  }
  return probes;
}

function isPlatformError(body: unknown): boolean {
  const e = (body as { error?: { code?: unknown; message?: unknown } })?.error;
  return typeof e?.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(e.code) && typeof e.message === 'string';
}

function isDciError(body: unknown): boolean {
  const b = body as { message?: { ack_status?: unknown; error?: { code?: unknown } }; errors?: { code?: unknown }[] };
  if (b?.message?.ack_status === 'ERR' && typeof b.message.error?.code === 'string') return true;
  return Array.isArray(b?.errors) && typeof b.errors[0]?.code === 'string';
}

async function countRows(sql: Client, schema: string): Promise<Record<string, number>> {
  // The service's own tables and its append-only audit trail (<schema>_audit).
  const { rows } = await sql.query<{ table_schema: string; table_name: string }>(
    `SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN ($1::text, $1::text || '_audit') AND table_type = 'BASE TABLE' ORDER BY 1, 2`,
    [schema],
  );
  const out: Record<string, number> = {};
  for (const r of rows) {
    const c = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${r.table_schema}"."${r.table_name}"`);
    out[`${r.table_schema}.${r.table_name}`] = c.rows[0]!.n;
  }
  return out;
}

async function inBatches<T, R>(items: T[], size: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

describe('bad input on every route', () => {
  let env: TestEnvironment;
  const procs = new Map<ServiceName, ServiceProcess>();
  const probes = new Map<ServiceName, Probe[]>();
  const services = infraServices.map((s) => [s.name as ServiceName, s.schema] as const);

  function send(service: ServiceName, list: Probe[]): Promise<Finding[]> {
    const proc = procs.get(service)!;
    return inBatches(list, 8, async (p): Promise<Finding | null> => {
      const res = await proc.request(p.method, p.path, {
        token,
        body: p.body,
        headers: p.body === undefined ? {} : { 'content-type': 'application/json' },
      });
      // The register's DCI routes answer in the DCI envelope, except for what the body parser refuses before
      // any controller is chosen (malformed JSON, a non-object body, 413), which is the platform's error body.
      const dci = p.route.startsWith('/registry/');
      const errorBody = dci ? isDciError(res.body) || (p.parser === true && isPlatformError(res.body)) : isPlatformError(res.body);
      const ok = p.strict ? res.status >= 400 && res.status < 500 && errorBody : res.status < 400 || (res.status < 500 && errorBody);
      return ok
        ? null
        : { service, method: p.method, route: p.route, input: p.input, status: res.status, body: JSON.stringify(res.body).slice(0, 300) };
    }).then((r) => r.filter((f): f is Finding => f !== null));
  }

  function expectNoneUnknown(service: ServiceName, findings: Finding[], total: number, what: string): void {
    if (findings.length > 0)
      process.stdout.write(
        `${service}: ${findings.length} of ${total} ${what} answered wrongly:\n${findings.map((f) => `  ${f.status} ${f.method} ${f.route} ${f.input} → ${f.body}`).join('\n')}\n`,
      );
    expect(findings.filter((f) => !KNOWN_5XX.includes(`${f.service} ${f.method} ${f.route} ${f.input}`))).toEqual([]);
  }

  beforeAll(async () => {
    env = await TestEnvironment.create();
    await Promise.all(
      services.map(async ([service]) => {
        const proc = await ServiceProcess.start(service, env.env(service));
        procs.set(service, proc);
        const docs = await proc.request<OpenApi>('GET', '/docs-json');
        expect(docs.status).toBe(200);
        probes.set(service, probesFor(docs.body));
      }),
    );
  }, 90_000);

  afterAll(async () => {
    await Promise.all([...procs.values()].map((p) => p.stop()));
    await env?.destroy();
  });

  // Every service's refusals first: the lenient requests below may write and publish, and what they
  // publish would reach the other services' consumers while their rows are being counted.
  it.each(services)('answers every bad request to %s with a 4xx and the error body, and writes nothing', async (service, schema) => {
    const strict = probes.get(service)!.filter((p) => p.strict);
    expect(strict.length).toBeGreaterThan(10);
    const sql = await env.sql(service);
    try {
      const before = await countRows(sql, schema);
      const findings = await send(service, strict);
      const after = await countRows(sql, schema);
      expectNoneUnknown(service, findings, strict.length, 'bad requests');
      expect(after).toEqual(before);
    } finally {
      await sql.end();
    }
  });

  it.each(services)(
    'never answers %s with a 5xx when a request may be valid but is odd (null optional fields, repeated or nested query parameters)',
    async (service) => {
      const lenient = probes.get(service)!.filter((p) => !p.strict);
      expectNoneUnknown(service, await send(service, lenient), lenient.length, 'odd requests');
    },
  );
});
