import { EventCatalogue, ExternalProducers, ServiceNames, dlqTopic, type EventContract } from '@eisss/contracts';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type AclEntry, type Kafka } from 'kafkajs';
import { prefixed } from './kafka';

/**
 * One ACL of the broker, in a form shared by the local broker (kafkajs `createAcls`) and the Strimzi
 * `KafkaUser` (scripts/k8s). Topics are literal names: the principal gets exactly the catalogue's topics,
 * never a prefix (a `<producer>.` prefix would also match the `.dlq` of its own topics, which only their
 * consumers write, and any topic not in the catalogue).
 */
export interface AclSpec {
  principal: string;
  resourceType: 'topic' | 'group';
  name: string;
  patternType: 'literal' | 'prefix';
  operations: ('Read' | 'Write' | 'Describe')[];
}

/** Every principal of the broker besides the admin: the services and the inbound adapters (named after their producer). */
export function kafkaPrincipals(catalogue: readonly EventContract[] = EventCatalogue): string[] {
  const used = new Set<string>(catalogue.map((c) => c.producer));
  return [...ServiceNames, ...ExternalProducers.filter((p) => used.has(p))];
}

/**
 * What principal `principal` may do: WRITE+DESCRIBE on the topics it produces, READ+DESCRIBE on the topics
 * it consumes, WRITE on their dead-letter topics, READ on its own consumer groups (`<prefix><service>.`,
 * see `@EventPattern(topic, inboxGroup(g))`). Idempotent producers need no cluster ACL: WRITE on a topic authorizes them
 * (KIP-679). `prefix` is the test topic prefix (empty in production).
 */
export function aclsFor(principal: string, options: { prefix?: string; catalogue?: readonly EventContract[] } = {}): AclSpec[] {
  const prefix = options.prefix ?? '';
  const catalogue = options.catalogue ?? EventCatalogue;
  const out: AclSpec[] = [];
  const topic = (name: string, operations: AclSpec['operations']) =>
    out.push({ principal, resourceType: 'topic', name: prefixed(prefix, name), patternType: 'literal', operations });
  for (const c of catalogue) if (c.producer === principal) topic(c.topic, ['Write', 'Describe']);
  const consumed = catalogue.filter((c) => (c.consumers as readonly string[]).includes(principal));
  for (const c of consumed) topic(c.topic, ['Read', 'Describe']);
  for (const c of consumed) topic(dlqTopic(c.topic), ['Write', 'Describe']);
  if (consumed.length > 0)
    out.push({ principal, resourceType: 'group', name: prefixed(prefix, `${principal}.`), patternType: 'prefix', operations: ['Read'] });
  return out;
}

/** The ACLs of every principal of the catalogue. */
export function catalogueAcls(options: { prefix?: string; catalogue?: readonly EventContract[] } = {}): AclSpec[] {
  return kafkaPrincipals(options.catalogue).flatMap((p) => aclsFor(p, options));
}

const OPERATION = { Read: AclOperationTypes.READ, Write: AclOperationTypes.WRITE, Describe: AclOperationTypes.DESCRIBE } as const;
const RESOURCE = { topic: AclResourceTypes.TOPIC, group: AclResourceTypes.GROUP } as const;

/** The specs as kafkajs ACL entries (ALLOW, any host, one entry per operation, no duplicates). */
export function toKafkaAcls(specs: AclSpec[]): AclEntry[] {
  const seen = new Set<string>();
  const entries = specs.flatMap((s) =>
    s.operations.map((op) => ({
      principal: `User:${s.principal}`,
      host: '*',
      resourceType: RESOURCE[s.resourceType],
      resourceName: s.name,
      resourcePatternType: s.patternType === 'prefix' ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
      operation: OPERATION[op],
      permissionType: AclPermissionTypes.ALLOW,
    })),
  );
  return entries.filter((e) => {
    const key = `${e.principal}|${e.resourceType}|${e.resourcePatternType}|${e.resourceName}|${e.operation}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/**
 * Creates the ACLs (as a super user; creating an existing ACL is a no-op on the broker) and waits until
 * the broker's authorizer serves the last of them (they are applied in order from the metadata log).
 */
export async function ensureAcls(kafka: Kafka, specs: AclSpec[]): Promise<number> {
  const acl = toKafkaAcls(specs);
  if (acl.length === 0) return 0;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createAcls({ acl });
    const last = acl[acl.length - 1]!;
    for (let attempt = 0; ; attempt++) {
      const { resources } = await admin.describeAcls(last);
      if (resources.some((r) => r.acls.length > 0)) break;
      if (attempt >= 300) throw new Error(`the broker did not apply ${acl.length} ACLs within 30 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return acl.length;
  } finally {
    await admin.disconnect();
  }
}

/** Deletes exactly these ACLs (a test world's, when it is destroyed). */
export async function removeAcls(kafka: Kafka, specs: AclSpec[]): Promise<void> {
  const filters = toKafkaAcls(specs);
  if (filters.length === 0) return;
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (let i = 0; i < filters.length; i += 500) await admin.deleteAcls({ filters: filters.slice(i, i + 500) });
  } finally {
    await admin.disconnect();
  }
}
