/**
 * Rendering and schema validation of the deployment files, for k8s-manifests.spec.ts.
 * Kubernetes objects are validated with kubernetes-models (the API's OpenAPI schemas: types, enums,
 * required fields; it does not reject unknown fields). CRDs are checked by hand in the spec.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';

export const repoRoot = path.resolve(__dirname, '../..');

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- checked field by field in the spec
  data?: Record<string, string>;
}

/** One service as scripts/infra/services.js lists it (the list every script uses). */
export interface ServiceInfo {
  name: string;
  schema: string;
  port: number;
}

export function infraServices(): ServiceInfo[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS script of the repo
  return (require(path.join(repoRoot, 'scripts/infra/services.js')) as { SERVICES: ServiceInfo[] }).SERVICES;
}

/** The kubectl binary when it can run (`kubectl kustomize` needs no cluster), else undefined. */
export function findKubectl(): string | undefined {
  for (const candidate of [process.env.KUBECTL, 'kubectl']) {
    if (!candidate) continue;
    try {
      execFileSync(candidate, ['version', '--client'], { stdio: 'pipe', timeout: 20_000 });
      return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/** Every document of a YAML text as plain data; a YAML error fails with the file name. */
export function parseYamlDocuments(text: string, source: string, options: { merge?: boolean } = {}): unknown[] {
  const docs = parseAllDocuments(text, { merge: options.merge ?? false });
  const list = Array.isArray(docs) ? docs : [docs];
  const out: unknown[] = [];
  for (const doc of list) {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS({ maxAliasCount: -1 }) as unknown;
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

const renderCache = new Map<string, K8sObject[]>();

/** `kubectl kustomize <dir>` parsed into objects (cached per directory). */
export function kustomize(kubectl: string, dir: string): K8sObject[] {
  let objects = renderCache.get(dir);
  if (!objects) {
    const text = execFileSync(kubectl, ['kustomize', path.join(repoRoot, dir)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
      timeout: 60_000,
    });
    objects = parseYamlDocuments(text, `kubectl kustomize ${dir}`) as K8sObject[];
    renderCache.set(dir, objects);
  }
  return objects;
}

type Validatable = new (data: never) => { validate(): void };

/** apiVersion/kind -> kubernetes-models class, for every core kind the manifests use. */
export const coreModels: Record<string, Validatable> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

/** Custom resources, which kubernetes-models does not know; the spec asserts their fields. */
export const customResourceTypes = new Set([
  'kafka.strimzi.io/v1beta2/Kafka',
  'kafka.strimzi.io/v1beta2/KafkaNodePool',
  'kafka.strimzi.io/v1beta2/KafkaTopic',
  'kafka.strimzi.io/v1beta2/KafkaUser',
  'postgresql.cnpg.io/v1/Cluster',
]);

export const typeOf = (o: K8sObject): string => `${o.apiVersion}/${o.kind}`;
export const idOf = (o: K8sObject): string => `${o.kind}/${o.metadata?.name}`;

/**
 * kustomize folds long base64 Secret values over several lines; the API server's decoder ignores
 * the newlines (Go's base64 does), the schema's "byte" format does not: join them before validating.
 */
function forValidation(o: K8sObject): K8sObject {
  if (o.kind !== 'Secret' || !o.data) return o;
  return { ...o, data: Object.fromEntries(Object.entries(o.data).map(([k, v]) => [k, v.replace(/\s+/g, '')])) };
}

/** Schema problems of one object ([] when valid). */
export function schemaProblems(o: K8sObject): string[] {
  const Model = coreModels[typeOf(o)];
  if (!Model) {
    return customResourceTypes.has(typeOf(o))
      ? []
      : [`${idOf(o)}: no schema for ${typeOf(o)} (add it to coreModels or customResourceTypes)`];
  }
  try {
    new Model(forValidation(o) as never).validate();
    return [];
  } catch (err) {
    return [`${idOf(o)}: ${(err as Error).message}`];
  }
}

export const ofKind = (objects: K8sObject[], kind: string): K8sObject[] => objects.filter((o) => o.kind === kind);

/** The object of a kind whose name is `name` or, for generated ConfigMaps/Secrets, `name-<hash>`. */
export function findNamed(objects: K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find((o) => o.kind === kind && (o.metadata.name === name || baseName(o.metadata.name) === name));
}

/** The pod template spec of a workload (Deployment, StatefulSet, Job). */
export function podSpecOf(o: K8sObject): IPodSpec {
  return o.spec.template.spec as IPodSpec;
}

/**
 * The name of a generated ConfigMap/Secret without its content hash (`eisss-config-2k6kk5bc5h` ->
 * `eisss-config`). Kustomize hashes use only [245-9bcdfghkmt], so `case-management` stays whole.
 */
export const baseName = (name: string): string => name.replace(/-[245-9bcdfghkmt]{10}$/, '');

export function decodeSecret(secret: K8sObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(secret.data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  return out;
}

/** Whether a label selector's matchLabels all hold in `labels`. */
export function selects(matchLabels: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!matchLabels || Object.keys(matchLabels).length === 0) return false;
  return Object.entries(matchLabels).every(([k, v]) => labels?.[k] === v);
}

/** A consumer group of a service as its source declares it: `inboxGroup('<name>')` and the topics of its `@EventPattern`s. */
export interface ConsumerGroup {
  group: string;
  service: string;
  topics: string[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [p] : [];
  });
}

/**
 * Every consumer group of services/<svc>/src: a `const X = inboxGroup('g')` and the
 * `@EventPattern(<topics>, X)` that use it, where <topics> names contracts (`PersonDiedV1.topic`,
 * `[A.topic, B.topic]`) or exported lists of contracts (`AssignmentEvents.map((c) => c.topic)`).
 * `contracts` is the @eisss/contracts module; a pattern naming nothing it knows is a problem.
 */
export function consumerGroups(contracts: Record<string, unknown>): { groups: ConsumerGroup[]; problems: string[] } {
  const byName = new Map<string, ConsumerGroup>();
  const problems: string[] = [];
  const topicOf = (name: string): string | undefined => (contracts[name] as { topic?: unknown } | undefined)?.topic as string | undefined;
  for (const service of readdirSync(path.join(repoRoot, 'services'))) {
    const src = path.join(repoRoot, 'services', service, 'src');
    if (!existsSync(src)) continue;
    for (const file of sourceFiles(src)) {
      const text = readFileSync(file, 'utf8');
      const vars = new Map([...text.matchAll(/const (\w+) = inboxGroup\('([^']+)'\)/g)].map((m) => [m[1]!, m[2]!]));
      if (vars.size === 0) continue;
      const pattern = new RegExp(String.raw`@EventPattern\(([\s\S]*?),\s*(${[...vars.keys()].join('|')})\)`, 'g');
      for (const m of text.matchAll(pattern)) {
        const group = vars.get(m[2]!)!;
        const topics: string[] = [];
        for (const t of m[1]!.matchAll(/(\w+)\.topic\b/g)) {
          const topic = topicOf(t[1]!);
          if (topic) topics.push(topic);
        }
        for (const t of m[1]!.matchAll(/(\w+)\.map\(/g)) {
          const list = contracts[t[1]!];
          if (Array.isArray(list)) topics.push(...list.map((c: { topic: string }) => c.topic));
          else problems.push(`${path.relative(repoRoot, file)}: ${t[1]} is not an exported list of contracts`);
        }
        if (topics.length === 0) problems.push(`${path.relative(repoRoot, file)}: no topic in @EventPattern(${m[1]}, ${m[2]})`);
        const entry = byName.get(group) ?? { group, service, topics: [] };
        if (entry.service !== service) problems.push(`group ${group} is declared by ${entry.service} and ${service}`);
        entry.topics = [...new Set([...entry.topics, ...topics])].sort();
        byName.set(group, entry);
      }
    }
  }
  return { groups: [...byName.values()].sort((a, b) => a.group.localeCompare(b.group)), problems };
}

/**
 * The rows of the Markdown table between `<!-- name -->` and `<!-- /name -->` in a document, as arrays of
 * cell texts without the header and separator rows, backticks removed.
 */
export function markdownTable(text: string, name: string): string[][] {
  const start = text.indexOf(`<!-- ${name} -->`);
  const end = text.indexOf(`<!-- /${name} -->`);
  if (start < 0 || end < start) throw new Error(`no table <!-- ${name} --> ... <!-- /${name} --> in the document`);
  const rows = text
    .slice(start, end)
    .split('\n')
    .filter((l) => l.trim().startsWith('|'))
    .map((l) =>
      l
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((c) => c.trim().replace(/`/g, '')),
    );
  return rows.slice(2);
}
