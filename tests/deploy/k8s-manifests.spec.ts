/**
 * The deployment files: k8s/ (rendered with `kubectl kustomize`, validated against the Kubernetes
 * schemas and our rules), docker-compose.yml and the Dockerfile.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as contracts from '@eisss/contracts';
import { EventCatalogue, ServiceNames, dlqTopic } from '@eisss/contracts';
import { BaseConfigSchema, aclsFor, kafkaPrincipals, loadConfig } from '@eisss/platform';
import { Type } from '@sinclair/typebox';
import {
  type K8sObject,
  baseName,
  consumerGroups,
  customResourceTypes,
  decodeSecret,
  findKubectl,
  findNamed,
  idOf,
  infraServices,
  kustomize,
  markdownTable,
  ofKind,
  parseYamlDocuments,
  podSpecOf,
  repoRoot,
  schemaProblems,
  selects,
  typeOf,
} from './k8s-manifests.helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the generator's CommonJS core
const kafkaTopics = require(path.join(repoRoot, 'scripts/k8s/kafka-topics.cjs')) as {
  KAFKA_TOPICS_FILE: string;
  GENERATE_COMMAND: string;
  renderKafkaTopics(catalogue: typeof EventCatalogue, dlq: typeof dlqTopic): string;
};

const kafkaUsers = require(path.join(repoRoot, 'scripts/k8s/kafka-users.cjs')) as {
  KAFKA_USERS_FILE: string;
  renderKafkaUsers(principals: string[], acls: typeof aclsFor, serviceNames: string[]): string;
};
const renderedKafkaUsers = () => kafkaUsers.renderKafkaUsers(kafkaPrincipals(EventCatalogue), (p) => aclsFor(p), [...ServiceNames]);

const services = infraServices();
const secretEnv = ['DATABASE_URL', 'PGADMIN_URL', 'DB_PASSWORD'];
/** What every service must be told (libs/platform/src/config/config.ts), besides the secrets. */
const requiredSettings = [
  'NODE_ENV',
  'PORT',
  'HOST',
  'DATABASE_POOL_MAX',
  'KAFKA_BROKERS',
  'KAFKA_TOPIC_PREFIX',
  'KAFKA_TOPIC_PARTITIONS',
  'LOG_LEVEL',
  'OUTBOX_POLL_INTERVAL_MS',
  'OUTBOX_BATCH_SIZE',
  'CONSUMER_MAX_RETRIES',
  'SHUTDOWN_TIMEOUT_MS',
  'AUTH_ISSUER',
  'AUTH_JWKS_URL',
];

interface Overlay {
  name: 'dev' | 'prod';
  namespace: string;
  minReplicas: number;
  kafkaBrokers: string;
  /** The realm whose tokens the services accept. */
  issuer: string;
}
const overlays: Overlay[] = [
  { name: 'dev', namespace: 'eisss-dev', minReplicas: 1, kafkaBrokers: 'kafka:9092', issuer: 'http://keycloak:8080/realms/eisss' },
  {
    name: 'prod',
    namespace: 'eisss',
    minReplicas: 3,
    kafkaBrokers: 'eisss-kafka-kafka-bootstrap:9093',
    issuer: 'https://idp.eisss.example/realms/eisss',
  },
];

/** Topics the catalogue needs: every event topic, and the DLQ of each topic that has consumers. */
function expectedTopics(): string[] {
  return EventCatalogue.flatMap((c) => (c.consumers.length > 0 ? [c.topic, dlqTopic(c.topic)] : [c.topic])).sort();
}

type Container = NonNullable<ReturnType<typeof podSpecOf>['containers']>[number];

/** Security problems of a pod (restricted profile; read-only root unless allowed). */
function podSecurityProblems(o: K8sObject, options: { readOnlyRoot: boolean }): string[] {
  const pod = podSpecOf(o);
  const problems: string[] = [];
  const id = idOf(o);
  if (pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault') problems.push(`${id}: seccompProfile is not RuntimeDefault`);
  if (pod.automountServiceAccountToken !== false) problems.push(`${id}: mounts a service account token`);
  for (const c of pod.containers) {
    const sc = c.securityContext ?? {};
    if ((sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) !== true) problems.push(`${id}/${c.name}: runAsNonRoot is not true`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${id}/${c.name}: allowPrivilegeEscalation is not false`);
    if (!sc.capabilities?.drop?.includes('ALL')) problems.push(`${id}/${c.name}: capabilities do not drop ALL`);
    if (sc.privileged) problems.push(`${id}/${c.name}: privileged`);
    if (options.readOnlyRoot && sc.readOnlyRootFilesystem !== true) problems.push(`${id}/${c.name}: readOnlyRootFilesystem is not true`);
    if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory) problems.push(`${id}/${c.name}: no cpu/memory requests`);
    if (!c.resources?.limits?.memory) problems.push(`${id}/${c.name}: no memory limit`);
  }
  return problems;
}

/** The env a container gets from its ConfigMaps (envFrom) and its literal env values. */
function plainEnv(objects: K8sObject[], c: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of c.envFrom ?? []) {
    const name = from.configMapRef?.name;
    if (!name) continue;
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name);
    if (!cm) throw new Error(`container ${c.name}: ConfigMap ${name} is not in the render`);
    Object.assign(env, cm.data ?? {});
  }
  for (const e of c.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
  return env;
}

/** secretKeyRefs of a container: env name -> { secret, key }. */
function secretRefs(c: Container): Record<string, { name: string; key: string }> {
  const refs: Record<string, { name: string; key: string }> = {};
  for (const e of c.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef;
    if (ref?.name) refs[e.name] = { name: ref.name, key: ref.key };
  }
  return refs;
}

const kubectl = findKubectl();

describe('k8s manifests', () => {
  if (!kubectl) {
    it.skip('renders k8s/base and k8s/overlays/* — skipped: kubectl not found on PATH (install kubectl >= 1.27, or set KUBECTL)', () =>
      undefined);
    return;
  }
  const render = (dir: string): K8sObject[] => kustomize(kubectl, dir);

  it('lists the same six services in scripts/infra/services.js and @eisss/contracts when compared', () => {
    expect(services.map((s) => s.name).sort()).toEqual([...ServiceNames].sort());
  });

  describe('k8s/base', () => {
    it('holds no Secret and no secret value when rendered without an overlay', () => {
      const objects = render('k8s/base');
      expect(ofKind(objects, 'Secret').map(idOf)).toEqual([]);
      const literalSecrets = objects
        .filter((o) => o.spec?.template?.spec)
        .flatMap((o) =>
          podSpecOf(o).containers.flatMap((c) =>
            (c.env ?? []).filter((e) => secretEnv.includes(e.name) && e.value !== undefined).map((e) => `${idOf(o)}: ${e.name}`),
          ),
        );
      expect(literalSecrets).toEqual([]);
      const configMapSecrets = ofKind(objects, 'ConfigMap').flatMap((cm) =>
        Object.keys(cm.data ?? {})
          .filter((k) => secretEnv.includes(k))
          .map((k) => `${idOf(cm)}: ${k}`),
      );
      expect(configMapSecrets).toEqual([]);
    });

    it('sets no namespace when rendered without an overlay', () => {
      expect(
        render('k8s/base')
          .filter((o) => o.metadata.namespace)
          .map(idOf),
      ).toEqual([]);
    });

    it('references <svc>-db/url (and no token secret) from every service and migration when rendered', () => {
      const objects = render('k8s/base');
      for (const s of services) {
        for (const o of [findNamed(objects, 'Deployment', s.name), findNamed(objects, 'Job', `${s.name}-migrate`)]) {
          expect(o).toBeDefined();
          expect(secretRefs(podSpecOf(o!).containers[0])).toEqual({
            DATABASE_URL: { name: `${s.name}-db`, key: 'url' },
            // The treasury's paying account has no defaults in production: it comes from the cluster.
            ...(s.name === 'payments-treasury'
              ? {
                  TREASURY_DEBTOR_IBAN: { name: 'payments-treasury-money', key: 'iban' },
                  TREASURY_DEBTOR_NAME: { name: 'payments-treasury-money', key: 'name' },
                  TREASURY_DEBTOR_EDRPOU: { name: 'payments-treasury-money', key: 'edrpou' },
                  // Bank accounts at rest, and the key that opens what the register seals for the treasury.
                  PII_MASTER_KEYS: { name: 'payments-treasury-keys', key: 'pii-master-keys' },
                  PII_HMAC_KEY: { name: 'payments-treasury-keys', key: 'pii-hmac-key' },
                  SEAL_KEYS: { name: 'payments-treasury-keys', key: 'seal-keys' },
                }
              : {}),
            // The register's keys: personal data at rest and its DCI signatures.
            ...(s.name === 'social-register'
              ? {
                  PII_MASTER_KEYS: { name: 'social-register-keys', key: 'pii-master-keys' },
                  PII_HMAC_KEY: { name: 'social-register-keys', key: 'pii-hmac-key' },
                  DCI_SIGNING_PRIVATE_KEY: { name: 'social-register-keys', key: 'dci-signing-key' },
                  SEAL_KEYS: { name: 'social-register-keys', key: 'seal-keys' },
                  SEAL_FOR_TREASURY: { name: 'eisss-seal-public-keys', key: 'treasury' },
                }
              : {}),
            // Processing seals proposed accounts for the register (and, migrating old rows, accounts for the treasury).
            ...(s.name === 'social-processing'
              ? {
                  SEAL_FOR_REGISTER: { name: 'eisss-seal-public-keys', key: 'register' },
                  SEAL_FOR_TREASURY: { name: 'eisss-seal-public-keys', key: 'treasury' },
                }
              : {}),
          });
        }
      }
    });
  });

  describe.each(overlays)('k8s/overlays/$name', (overlay) => {
    const objects = (): K8sObject[] => render(`k8s/overlays/${overlay.name}`);

    it('validates every object against its Kubernetes schema when rendered', () => {
      const all = objects();
      expect(all.length).toBeGreaterThan(40);
      expect(all.flatMap(schemaProblems)).toEqual([]);
    });

    it('puts every object in its namespace when rendered', () => {
      const all = objects();
      expect(ofKind(all, 'Namespace').map((n) => n.metadata.name)).toEqual([overlay.namespace]);
      const elsewhere = all.filter((o) => o.kind !== 'Namespace' && o.metadata.namespace !== overlay.namespace).map(idOf);
      expect(elsewhere).toEqual([]);
    });

    it('has a Deployment, Service, HPA, PDB and migration Job for exactly the six services when rendered', () => {
      const all = objects();
      const names = services.map((s) => s.name).sort();
      expect(
        ofKind(all, 'Deployment')
          .map((o) => o.metadata.name)
          .sort(),
      ).toEqual(names);
      expect(
        ofKind(all, 'HorizontalPodAutoscaler')
          .map((o) => o.metadata.name)
          .sort(),
      ).toEqual(names);
      expect(
        ofKind(all, 'PodDisruptionBudget')
          .map((o) => o.metadata.name)
          .sort(),
      ).toEqual(names);
      const migrations = ofKind(all, 'Job').filter((j) => j.metadata.labels?.['app.kubernetes.io/component'] === 'migration');
      expect(migrations.map((j) => j.metadata.name).sort()).toEqual(names.map((n) => `${n}-migrate`));
      for (const s of services) expect(findNamed(all, 'Service', s.name)).toBeDefined();
    });

    it('gives every Deployment probes, resources and a restricted security context when rendered', () => {
      const problems: string[] = [];
      for (const d of ofKind(objects(), 'Deployment')) {
        const id = idOf(d);
        const pod = podSpecOf(d);
        problems.push(...podSecurityProblems(d, { readOnlyRoot: true }));
        if (pod.containers.length !== 1)
          problems.push(`${id}: expected one container, got ${pod.containers.map((c) => c.name).join(', ')}`);
        const c = pod.containers[0];
        if (c.readinessProbe?.httpGet?.path !== '/health/ready') problems.push(`${id}: readinessProbe is not GET /health/ready`);
        if (c.livenessProbe?.httpGet?.path !== '/health/live') problems.push(`${id}: livenessProbe is not GET /health/live`);
        if (!c.startupProbe?.httpGet) problems.push(`${id}: no startupProbe`);
        for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe]) {
          if (probe?.httpGet && probe.httpGet.port !== 'http') problems.push(`${id}: a probe does not use the port named http`);
        }
        // SHUTDOWN_TIMEOUT_MS (15 s) + preStop must fit in the grace period.
        if ((pod.terminationGracePeriodSeconds ?? 30) < 25) problems.push(`${id}: terminationGracePeriodSeconds < 25`);
        if (d.spec.replicas !== undefined) problems.push(`${id}: sets replicas, which the HPA owns`);
        if (!pod.volumes?.some((v) => v.name === 'tmp' && v.emptyDir) || !c.volumeMounts?.some((m) => m.mountPath === '/tmp')) {
          problems.push(`${id}: no writable /tmp (emptyDir) beside the read-only root`);
        }
        const annotations = d.spec.template.metadata?.annotations ?? {};
        // /metrics is on the management port (MANAGEMENT_PORT, 9464 in production), not on the service port.
        const managementPort = c.ports?.find((p) => p.name === 'management')?.containerPort;
        if (managementPort !== 9464) problems.push(`${id}: no container port named management (9464)`);
        if (
          annotations['prometheus.io/scrape'] !== 'true' ||
          annotations['prometheus.io/path'] !== '/metrics' ||
          annotations['prometheus.io/port'] !== String(managementPort)
        ) {
          problems.push(`${id}: prometheus annotations do not point at /metrics on the management port ${managementPort}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('runs every service on its port with a complete production configuration when rendered', () => {
      const all = objects();
      const secrets = ofKind(all, 'Secret');
      for (const s of services) {
        const d = findNamed(all, 'Deployment', s.name)!;
        const c = podSpecOf(d).containers[0];
        expect(c.ports?.find((p) => p.name === 'http')?.containerPort).toBe(s.port);
        const env = plainEnv(all, c);
        expect(Object.keys(env)).toEqual(expect.arrayContaining(requiredSettings));
        expect(env).toMatchObject({
          NODE_ENV: 'production',
          PORT: String(s.port),
          KAFKA_BROKERS: overlay.kafkaBrokers,
          KAFKA_TOPIC_PREFIX: '',
        });
        // Tokens of the overlay's realm, for this service (AUTH_AUDIENCE defaults to the service name).
        expect(env).toMatchObject({ AUTH_ISSUER: overlay.issuer, AUTH_JWKS_URL: `${overlay.issuer}/protocol/openid-connect/certs` });
        expect(env.AUTH_AUDIENCE).toBeUndefined();
        // The secrets: the generated ones in dev, stand-ins for the cluster's secret store in prod.
        const secretValues: Record<string, string> = {};
        for (const [envName, ref] of Object.entries(secretRefs(c))) {
          const secret = secrets.find((x) => x.metadata.name === ref.name);
          secretValues[envName] =
            secret !== undefined
              ? decodeSecret(secret)[ref.key]
              : envName === 'DATABASE_URL'
                ? `postgres://${s.schema}:stand-in@eisss-pg-rw:5432/eisss`
                : 'stand-in-secret-of-32-characters';
        }
        // The platform's own validation, as the process runs it at start (fails fast on a bad value).
        expect(() => loadConfig(s.name, Type.Object({}), { PORT: s.port, DATABASE_URL: '' }, { ...env, ...secretValues })).not.toThrow();
      }
    });

    it('exposes every service through a ClusterIP Service that selects its pods when rendered', () => {
      const all = objects();
      for (const s of services) {
        const svc = findNamed(all, 'Service', s.name)!;
        const d = findNamed(all, 'Deployment', s.name)!;
        expect(svc.spec.type ?? 'ClusterIP').toBe('ClusterIP');
        expect(svc.spec.ports).toEqual([expect.objectContaining({ port: s.port, targetPort: 'http' })]);
        expect(selects(svc.spec.selector, d.spec.template.metadata.labels)).toBe(true);
        expect(selects(d.spec.selector.matchLabels, d.spec.template.metadata.labels)).toBe(true);
      }
    });

    it('migrates every schema with migrate.js up from the service image before the rollout when rendered', () => {
      const all = objects();
      for (const s of services) {
        const job = findNamed(all, 'Job', `${s.name}-migrate`)!;
        const d = findNamed(all, 'Deployment', s.name)!;
        const jc = podSpecOf(job).containers[0];
        const dc = podSpecOf(d).containers[0];
        expect(jc.command).toEqual(['node', `services/${s.name}/dist/migrate.js`, 'up']);
        expect(jc.image).toBe(dc.image);
        expect(secretRefs(jc)).toEqual(secretRefs(dc));
        expect(jc.envFrom).toEqual(dc.envFrom);
        expect(podSpecOf(job).restartPolicy).toBe('Never');
        expect(job.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/sync-wave': '-1' });
        expect(podSecurityProblems(job, { readOnlyRoot: true })).toEqual([]);
      }
    });

    it('pins every service image to a tag when rendered', () => {
      const images = objects()
        .filter((o) => o.kind === 'Deployment' || o.kind === 'Job')
        .flatMap((o) => podSpecOf(o).containers.map((c) => c.image ?? ''));
      for (const image of images) {
        expect(image).toMatch(/^[^:]+\/eisss\/[a-z-]+(:[\w.-]+|@sha256:[0-9a-f]{64})$|^eisss\/[a-z-]+(:[\w.-]+|@sha256:[0-9a-f]{64})$/);
        expect(image).not.toMatch(/:latest$/);
      }
      if (overlay.name === 'dev') expect(images.every((i) => i.endsWith(':dev'))).toBe(true);
    });

    it('scales every service with a CPU HPA and keeps one pod through disruptions when rendered', () => {
      const all = objects();
      for (const s of services) {
        const hpa = findNamed(all, 'HorizontalPodAutoscaler', s.name)!;
        const pdb = findNamed(all, 'PodDisruptionBudget', s.name)!;
        const d = findNamed(all, 'Deployment', s.name)!;
        expect(hpa.apiVersion).toBe('autoscaling/v2');
        expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: s.name });
        expect(hpa.spec.minReplicas).toBe(overlay.minReplicas);
        expect(hpa.spec.maxReplicas).toBeGreaterThanOrEqual(overlay.minReplicas);
        expect(hpa.spec.metrics).toEqual([
          expect.objectContaining({ type: 'Resource', resource: expect.objectContaining({ name: 'cpu' }) }),
        ]);
        expect(selects(pdb.spec.selector.matchLabels, d.spec.template.metadata.labels)).toBe(true);
        // One pod of a service at a time: with one replica (dev) minAvailable 1 would block node drains,
        // and in prod every eviction is a consumer-group rebalance (docs/scaling.md).
        expect(pdb.spec.maxUnavailable).toBe(1);
        expect(pdb.spec.minAvailable).toBeUndefined();
      }
    });

    it('denies ingress by default and lets our pods out only to named destinations (DNS, Postgres, Kafka, the IdP) when rendered', () => {
      const policies = ofKind(objects(), 'NetworkPolicy');
      const denyAll = policies.find(
        (p) => Object.keys(p.spec.podSelector ?? {}).length === 0 && p.spec.policyTypes?.includes('Ingress') && !p.spec.ingress,
      );
      expect(denyAll).toBeDefined();
      const http = policies.find((p) => p.metadata.name === 'allow-http-to-services')!;
      expect(http.spec.podSelector.matchLabels).toMatchObject({ 'app.kubernetes.io/component': 'server' });
      expect(http.spec.ingress.flatMap((r: { ports: unknown[] }) => r.ports)).toEqual([{ port: 'http', protocol: 'TCP' }]);
      // The management port (metrics, docs) only for Prometheus in the monitoring namespace.
      const management = policies.find((p) => p.metadata.name === 'allow-management-from-monitoring')!;
      expect(management.spec.ingress).toEqual([
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
          ports: [{ port: 'management', protocol: 'TCP' }],
        },
      ]);
      expect(JSON.stringify(http.spec.ingress)).not.toContain('monitoring');
      type Rule = {
        to?: { podSelector?: { matchLabels?: Record<string, string> }; namespaceSelector?: unknown; ipBlock?: unknown }[];
        ports: { port: number; protocol: string }[];
      };
      const egress = policies.filter((p) => p.spec.policyTypes?.includes('Egress'));
      expect(egress.map((p) => p.metadata.name).sort()).toEqual([
        'allow-egress-dci-callbacks',
        'allow-egress-dns',
        'allow-egress-idp',
        'allow-egress-kafka',
        'allow-egress-postgres',
      ]);
      // DCI callbacks: the register only, HTTPS, public addresses only.
      const dci = policies.find((p) => p.metadata.name === 'allow-egress-dci-callbacks')!;
      expect(dci.spec.podSelector.matchLabels).toMatchObject({ 'app.kubernetes.io/name': 'social-register' });
      expect(dci.spec.egress).toEqual([
        {
          to: [
            {
              ipBlock: {
                cidr: '0.0.0.0/0',
                except: expect.arrayContaining(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '127.0.0.0/8']),
              },
            },
          ],
          ports: [{ port: 443, protocol: 'TCP' }],
        },
      ]);
      for (const p of egress) {
        expect(p.spec.podSelector.matchLabels).toMatchObject({ 'app.kubernetes.io/part-of': 'eisss' });
        // Every rule names its destination: never "any host on a port".
        for (const rule of p.spec.egress as Rule[]) expect(rule.to?.length ?? 0).toBeGreaterThan(0);
      }
      const byName = (n: string) => egress.find((p) => p.metadata.name === n)!.spec.egress as Rule[];
      expect(byName('allow-egress-dns')[0]!.to![0]).toMatchObject({
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      });
      expect(byName('allow-egress-postgres')).toEqual([
        { to: [{ podSelector: { matchLabels: { 'eisss.gov.ua/endpoint': 'postgres' } } }], ports: [{ port: 5432, protocol: 'TCP' }] },
      ]);
      expect(byName('allow-egress-kafka')[0]!.to).toEqual([{ podSelector: { matchLabels: { 'eisss.gov.ua/endpoint': 'kafka' } } }]);
      // Every service and job pod is covered by the egress policies.
      const uncovered = objects()
        .filter(
          (o) =>
            (o.kind === 'Deployment' || o.kind === 'Job') && o.spec.template.metadata.labels?.['app.kubernetes.io/part-of'] !== 'eisss',
        )
        .map(idOf);
      expect(uncovered).toEqual([]);
    });

    it('references only ConfigMaps that exist and Secrets the overlay provides when rendered', () => {
      const all = objects();
      const missing: string[] = [];
      const external = new Set<string>();
      for (const o of all.filter((x) => x.spec?.template?.spec)) {
        for (const c of podSpecOf(o).containers) {
          for (const from of c.envFrom ?? []) {
            if (from.configMapRef && !all.some((x) => x.kind === 'ConfigMap' && x.metadata.name === from.configMapRef!.name))
              missing.push(`${idOf(o)}: ConfigMap ${from.configMapRef.name}`);
          }
          for (const ref of Object.values(secretRefs(c))) {
            const secret = all.find((x) => x.kind === 'Secret' && x.metadata.name === ref.name);
            if (!secret) external.add(ref.name);
            else if (!(ref.key in (secret.data ?? {}))) missing.push(`${idOf(o)}: key ${ref.key} of Secret ${ref.name}`);
          }
        }
      }
      expect(missing).toEqual([]);
      // dev generates every Secret; prod leaves them all to the cluster's secret store.
      // (prod: <svc> is the Kafka password Secret that Strimzi's User Operator writes for the KafkaUser <svc>.)
      const expectedExternal =
        overlay.name === 'dev'
          ? []
          : [
              ...services.map((s) => `${s.name}-db`),
              ...services.map((s) => s.name),
              'payments-treasury-money',
              'social-register-keys',
              'payments-treasury-keys',
              'eisss-seal-public-keys',
            ].sort();
      expect([...external].sort()).toEqual(expectedExternal);
    });
  });

  describe('k8s/overlays/prod', () => {
    const objects = (): K8sObject[] => render('k8s/overlays/prod');

    it('declares a Strimzi KafkaTopic for every catalogue topic and dead-letter topic when rendered', () => {
      const declared = ofKind(objects(), 'KafkaTopic')
        .map((t) => t.spec?.topicName as string)
        .sort();
      const expected = expectedTopics();
      const missing = expected.filter((t) => !declared.includes(t));
      const extra = declared.filter((t) => !expected.includes(t));
      if (missing.length > 0 || extra.length > 0) {
        throw new Error(
          `${kafkaTopics.KAFKA_TOPICS_FILE} is out of date with EventCatalogue (missing: ${missing.join(', ') || '-'}; ` +
            `not in the catalogue: ${extra.join(', ') || '-'}). Run: ${kafkaTopics.GENERATE_COMMAND}`,
        );
      }
    });

    it('keeps kafka-topics.yaml identical to the generator output when the catalogue changes', () => {
      const file = path.join(repoRoot, kafkaTopics.KAFKA_TOPICS_FILE);
      const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
      if (current !== kafkaTopics.renderKafkaTopics(EventCatalogue, dlqTopic)) {
        throw new Error(`${kafkaTopics.KAFKA_TOPICS_FILE} is out of date with EventCatalogue. Run: ${kafkaTopics.GENERATE_COMMAND}`);
      }
    });

    it("keeps kafka-users.yaml identical to the generator output (the catalogue's ACLs) when the catalogue changes", () => {
      const file = path.join(repoRoot, kafkaUsers.KAFKA_USERS_FILE);
      const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
      if (current !== renderedKafkaUsers())
        throw new Error(
          `${kafkaUsers.KAFKA_USERS_FILE} is out of date with EventCatalogue and the ACL generator. Run: ${kafkaTopics.GENERATE_COMMAND}`,
        );
    });

    it('declares a SCRAM KafkaUser with the generated ACLs for every service and inbound adapter when rendered', () => {
      const users = ofKind(objects(), 'KafkaUser');
      expect(users.map((u) => u.metadata.name).sort()).toEqual([...kafkaPrincipals(EventCatalogue)].sort());
      for (const u of users) {
        expect(u.metadata.labels?.['strimzi.io/cluster']).toBe('eisss-kafka');
        expect(u.spec.authentication).toEqual({ type: 'scram-sha-512' });
        expect(u.spec.authorization.type).toBe('simple');
        const acls = (
          u.spec.authorization.acls as { resource: { type: string; name: string; patternType: string }; operations: string[] }[]
        ).map((a) => ({ ...a.resource, operations: a.operations }));
        expect(acls).toEqual(
          aclsFor(u.metadata.name).map((a) => ({
            type: a.resourceType,
            name: a.name,
            patternType: a.patternType,
            operations: a.operations,
          })),
        );
      }
    });

    it('runs the Strimzi Kafka cluster with a TLS, SCRAM-SHA-512 listener only and simple authorization when rendered', () => {
      const [kafka] = ofKind(objects(), 'Kafka');
      expect(kafka.metadata.name).toBe('eisss-kafka');
      expect(kafka.spec.kafka.listeners).toEqual([
        { name: 'tls', port: 9093, type: 'internal', tls: true, authentication: { type: 'scram-sha-512' } },
      ]);
      expect(kafka.spec.kafka.authorization).toMatchObject({ type: 'simple' });
      expect(kafka.spec.kafka.config).toMatchObject({ 'auto.create.topics.enable': false, 'allow.everyone.if.no.acl.found': false });
      expect(kafka.spec.kafka.template.pod.metadata.labels).toEqual({ 'eisss.gov.ua/endpoint': 'kafka' });
      expect(kafka.spec.entityOperator).toMatchObject({ topicOperator: {}, userOperator: {} });
    });

    it('connects every service as its own Kafka principal over TLS against the cluster CA when rendered', () => {
      const all = objects();
      for (const s of services) {
        const d = findNamed(all, 'Deployment', s.name)!;
        const c = podSpecOf(d).containers[0]!;
        expect(plainEnv(all, c)).toMatchObject({
          KAFKA_SASL_USERNAME: s.name,
          KAFKA_BROKERS: 'eisss-kafka-kafka-bootstrap:9093',
          KAFKA_SSL_CA_FILE: '/etc/eisss/kafka-ca/ca.crt',
        });
        // The password is the one Strimzi's User Operator keeps in the Secret of the KafkaUser's name.
        expect(secretRefs(c).KAFKA_SASL_PASSWORD).toEqual({ name: s.name, key: 'password' });
        expect(c.volumeMounts).toEqual(expect.arrayContaining([{ name: 'kafka-ca', mountPath: '/etc/eisss/kafka-ca', readOnly: true }]));
        expect(podSpecOf(d).volumes).toEqual(
          expect.arrayContaining([
            { name: 'kafka-ca', secret: { secretName: 'eisss-kafka-cluster-ca-cert', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          ]),
        );
      }
    });

    it('gives every KafkaTopic the production settings and a valid resource name when rendered', () => {
      const topics = ofKind(objects(), 'KafkaTopic');
      expect(topics.length).toBe(expectedTopics().length);
      for (const t of topics) {
        expect(t.apiVersion).toBe('kafka.strimzi.io/v1beta2');
        expect(t.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
        expect(t.metadata.namespace).toBe('eisss');
        expect(t.metadata.labels?.['strimzi.io/cluster']).toBe('eisss-kafka');
        expect(t.spec).toMatchObject({ replicas: 3, config: { 'min.insync.replicas': 2 } });
        // 6 as generated, 24 for the hot topics (kafka-topic-partitions.yaml; checked against docs/scaling.md below).
        expect([6, 24]).toContain(t.spec.partitions);
        expect(t.spec.topicName).toMatch(/^[a-z0-9][a-z0-9.-]*$/);
      }
    });

    it('runs Postgres as a 3-instance CloudNativePG cluster with one managed role per service when rendered', () => {
      const clusters = objects().filter((o) => typeOf(o) === 'postgresql.cnpg.io/v1/Cluster');
      expect(clusters).toHaveLength(1);
      const spec = clusters[0].spec;
      expect(clusters[0].metadata.name).toBe('eisss-pg');
      expect(spec.instances).toBe(3);
      expect(spec.storage?.size).toMatch(/^\d+(Gi|Ti)$/);
      expect(spec.bootstrap?.initdb?.database).toBe('eisss');
      const roles = spec.managed?.roles as { name: string; login: boolean; ensure: string; passwordSecret: { name: string } }[];
      expect(roles.map((r) => r.name).sort()).toEqual(services.map((s) => s.schema).sort());
      for (const s of services) {
        const role = roles.find((r) => r.name === s.schema)!;
        expect(role).toMatchObject({ login: true, ensure: 'present', passwordSecret: { name: `${s.name}-db` } });
        // Its schema, owned by the role, is created at bootstrap (managed roles do not create schemas).
        expect(spec.bootstrap.initdb.postInitApplicationSQL).toEqual(
          expect.arrayContaining([`CREATE SCHEMA ${s.schema} AUTHORIZATION ${s.schema}`]),
        );
      }
      // The connection budget (HPA max x pool per role, and the sum of the roles) is checked below with docs/scaling.md.
    });

    it('leaves database and topic set-up to the operators when rendered', () => {
      const jobs = ofKind(objects(), 'Job').map((j) => j.metadata.name);
      expect(jobs).not.toContain('topics-init');
      expect(jobs).not.toContain('db-init');
      expect(ofKind(objects(), 'Secret')).toEqual([]);
      expect(ofKind(objects(), 'StatefulSet')).toEqual([]);
    });

    it('renders both custom resource kinds that only the hand-written checks cover when rendered', () => {
      const crds = objects().filter((o) => customResourceTypes.has(typeOf(o)));
      expect(new Set(crds.map(typeOf))).toEqual(customResourceTypes);
    });
  });

  // docs/scaling.md derives these values; the prod overlay must carry them, and they must hold together.
  describe('k8s/overlays/prod scaling (docs/scaling.md)', () => {
    const objects = (): K8sObject[] => render('k8s/overlays/prod');
    const doc = readFileSync(path.join(repoRoot, 'docs/scaling.md'), 'utf8');
    const hpaOf = (name: string) =>
      findNamed(objects(), 'HorizontalPodAutoscaler', name)!.spec as { minReplicas: number; maxReplicas: number };
    const envOf = (name: string) => plainEnv(objects(), podSpecOf(findNamed(objects(), 'Deployment', name)!).containers[0]!);
    const cluster = () => objects().find((o) => typeOf(o) === 'postgresql.cnpg.io/v1/Cluster')!.spec;
    const partitionsOf = (): Map<string, number> =>
      new Map(ofKind(objects(), 'KafkaTopic').map((t) => [t.spec.topicName as string, t.spec.partitions as number]));
    /** Connections one pod opens at most: its pool and the outbox relay's own pool (libs/platform/src/messaging/outbox.relay.ts). */
    const relayPool = Number(
      /new Pool\(\{[^}]*\bmax: (\d+)/.exec(readFileSync(path.join(repoRoot, 'libs/platform/src/messaging/outbox.relay.ts'), 'utf8'))?.[1],
    );
    const { groups, problems } = consumerGroups(contracts as unknown as Record<string, unknown>);

    it('carries the replicas, resources, pool and connection limit the document states for every service when rendered', () => {
      const rows = markdownTable(doc, 'prod-services');
      expect(rows.map((r) => r[0]).sort()).toEqual(services.map((s) => s.name).sort());
      const roles = cluster().managed.roles as { name: string; connectionLimit: number }[];
      for (const [name, min, max, cpu, memory, pool, limit] of rows) {
        const s = services.find((x) => x.name === name)!;
        const c = podSpecOf(findNamed(objects(), 'Deployment', name!)!).containers[0]!;
        expect({ name, min: hpaOf(name!).minReplicas, max: hpaOf(name!).maxReplicas }).toEqual({
          name,
          min: Number(min),
          max: Number(max),
        });
        expect(`${c.resources?.requests?.cpu} / ${c.resources?.limits?.cpu}`).toBe(cpu);
        expect(`${c.resources?.requests?.memory} / ${c.resources?.limits?.memory}`).toBe(memory);
        expect(envOf(name!).DATABASE_POOL_MAX).toBe(pool);
        expect(roles.find((r) => r.name === s.schema)?.connectionLimit).toBe(Number(limit));
      }
    });

    it('carries the consumer, outbox and Postgres settings the document states when rendered', () => {
      const spec = cluster();
      const clusterValues: Record<string, unknown> = {
        'Cluster instances': spec.instances,
        'Cluster cpu': spec.resources?.limits?.cpu,
        'Cluster memory': spec.resources?.limits?.memory,
        'Cluster storage': spec.storage?.size,
        'Cluster walStorage': spec.walStorage?.size,
      };
      for (const [key, value] of markdownTable(doc, 'prod-settings')) {
        if (/^[A-Z][A-Z0-9_]*$/.test(key!)) {
          // A setting of every service: one the platform reads (a misspelt name would be ignored silently).
          expect(Object.keys(BaseConfigSchema.properties)).toContain(key);
          for (const s of services) expect({ service: s.name, key, value: envOf(s.name)[key!] }).toEqual({ service: s.name, key, value });
        } else if (key!.startsWith('Cluster ')) {
          expect(Object.keys(clusterValues)).toContain(key);
          expect({ key, value: String(clusterValues[key!]) }).toEqual({ key, value });
        } else {
          expect({ key, value: spec.postgresql?.parameters?.[key!] }).toEqual({ key, value });
        }
      }
    });

    it('gives the hot topics the document lists their partitions and every other topic the generated 6 when rendered', () => {
      const hot = new Map(markdownTable(doc, 'prod-topics').map(([topic, partitions]) => [topic!, Number(partitions)]));
      expect(hot.size).toBeGreaterThan(0);
      for (const [topic, n] of partitionsOf()) expect({ topic, partitions: n }).toEqual({ topic, partitions: hot.get(topic) ?? 6 });
      for (const topic of hot.keys()) expect(partitionsOf().has(topic)).toBe(true);
    });

    it('finds every consumer group of the services in their source, each consuming catalogue topics meant for its service', () => {
      expect(problems).toEqual([]);
      expect(groups.length).toBeGreaterThanOrEqual(services.length);
      const meant = new Set(EventCatalogue.flatMap((c) => c.consumers.map((svc) => `${svc} ${c.topic}`)));
      expect(groups.flatMap((g) => g.topics.map((t) => `${g.service} ${t}`)).filter((x) => !meant.has(x))).toEqual([]);
    });

    it("gives every consumer group at least one partition per replica of its service at the HPA's maximum when rendered", () => {
      // Every replica runs one member of each group of its service; a member beyond the partitions idles.
      const partitions = partitionsOf();
      const short = groups
        .map((g) => ({
          group: g.group,
          partitions: g.topics.reduce((n, t) => n + (partitions.get(t) ?? 0), 0),
          maxReplicas: hpaOf(g.service).maxReplicas,
        }))
        .filter((g) => g.partitions < g.maxReplicas);
      expect(short).toEqual([]);
    });

    it('gives every hot topic a partition for each partition its consumers process at once at their maximum when rendered', () => {
      const partitions = partitionsOf();
      const short: string[] = [];
      for (const [topic] of markdownTable(doc, 'prod-topics')) {
        for (const g of groups.filter((x) => x.topics.includes(topic!))) {
          const slots = hpaOf(g.service).maxReplicas * Number(envOf(g.service).CONSUMER_PARTITIONS_CONCURRENTLY);
          if (!(partitions.get(topic!)! >= slots)) short.push(`${topic} (${partitions.get(topic!)}) < ${g.group}: ${slots}`);
        }
      }
      expect(short).toEqual([]);
    });

    it("keeps each service's connections at its HPA maximum within its role's limit, and all roles within max_connections, when rendered", () => {
      expect(relayPool).toBeGreaterThan(0);
      const spec = cluster();
      const roles = spec.managed.roles as { name: string; connectionLimit: number }[];
      const over: string[] = [];
      for (const s of services) {
        const d = findNamed(objects(), 'Deployment', s.name)!;
        const surge = Number(d.spec.strategy?.rollingUpdate?.maxSurge ?? 1);
        const pods = hpaOf(s.name).maxReplicas + surge;
        const needed = pods * (Number(envOf(s.name).DATABASE_POOL_MAX) + relayPool);
        const limit = roles.find((r) => r.name === s.schema)!.connectionLimit;
        if (needed > limit) over.push(`${s.schema}: ${pods} pods x (pool + ${relayPool}) = ${needed} > connectionLimit ${limit}`);
      }
      expect(over).toEqual([]);
      // The roles' limits together leave room for the superuser, the operator and monitoring (>= 50).
      const sum = roles.reduce((n, r) => n + r.connectionLimit, 0);
      expect(sum + 50).toBeLessThanOrEqual(Number(spec.postgresql.parameters.max_connections));
    });

    it('exports consumer lag (Strimzi Kafka Exporter) and lets only monitoring read it when rendered', () => {
      const [kafka] = ofKind(objects(), 'Kafka');
      expect(kafka.spec.kafkaExporter).toMatchObject({ groupRegex: '.*', topicRegex: '.*' });
      const policy = findNamed(objects(), 'NetworkPolicy', 'allow-kafka-exporter-from-monitoring')!;
      expect(policy.spec.podSelector.matchLabels).toEqual({ 'strimzi.io/name': 'eisss-kafka-kafka-exporter' });
      expect(policy.spec.ingress).toEqual([
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
          ports: [{ port: 9404, protocol: 'TCP' }],
        },
      ]);
    });

    it('names only platform metrics that libs/platform/src/metrics defines', () => {
      const defined = [...readFileSync(path.join(repoRoot, 'libs/platform/src/metrics/metrics.ts'), 'utf8').matchAll(/name: '(\w+)'/g)].map(
        (m) => m[1]!,
      );
      const spans = [...doc.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      const named = spans.flatMap((span) =>
        [...span.matchAll(/\b((?:http|events|outbox|consumer)_[a-z_]+)/g)].map((m) => m[1]!.replace(/_(bucket|count|sum)$/, '')),
      );
      expect(named.length).toBeGreaterThan(0);
      expect([...new Set(named)].filter((n) => !defined.includes(n))).toEqual([]);
    });
  });

  describe('k8s/overlays/dev', () => {
    const objects = (): K8sObject[] => render('k8s/overlays/dev');

    it('generates every Secret with obviously fake values when rendered', () => {
      const secrets = ofKind(objects(), 'Secret');
      expect(secrets.map((s) => baseName(s.metadata.name)).sort()).toEqual(
        [
          'eisss-postgres-admin',
          'kafka-users',
          'payments-treasury-money',
          'social-register-keys',
          'payments-treasury-keys',
          'eisss-seal-public-keys',
          ...services.map((s) => `${s.name}-db`),
        ].sort(),
      );
      for (const secret of secrets) {
        const values = decodeSecret(secret);
        // The test paying account is a number and a code; its name says it is for dev only.
        if (baseName(secret.metadata.name) === 'payments-treasury-money') expect(values.name).toMatch(/dev-only/);
        else for (const [key, value] of Object.entries(values)) expect(`${secret.metadata.name}.${key}=${value}`).toMatch(/dev-only/);
      }
    });

    it('connects each service as its own role with the password db-init gives the roles when rendered', () => {
      const admin = decodeSecret(findNamed(objects(), 'Secret', 'eisss-postgres-admin')!);
      for (const s of services) {
        const url = new URL(decodeSecret(findNamed(objects(), 'Secret', `${s.name}-db`)!).url);
        expect({ user: url.username, password: url.password, host: url.host, db: url.pathname }).toEqual({
          user: s.schema,
          password: admin['db-password'],
          host: 'postgres:5432',
          db: '/eisss',
        });
      }
    });

    it('runs the set-up jobs and an in-cluster Postgres and Kafka when rendered', () => {
      const all = objects();
      const jobs = ofKind(all, 'Job');
      const dbInit = jobs.find((j) => j.metadata.name === 'db-init')!;
      const topicsInit = jobs.find((j) => j.metadata.name === 'topics-init')!;
      expect(podSpecOf(dbInit).containers[0].command).toEqual(['node', 'scripts/infra/postgres.js']);
      expect(podSpecOf(topicsInit).containers[0].command).toEqual(['node', 'scripts/infra/topics.js']);
      for (const script of ['scripts/infra/postgres.js', 'scripts/infra/topics.js'])
        expect(existsSync(path.join(repoRoot, script))).toBe(true);
      expect(podSecurityProblems(dbInit, { readOnlyRoot: true })).toEqual([]);
      expect(podSecurityProblems(topicsInit, { readOnlyRoot: true })).toEqual([]);
      const statefulSets = ofKind(all, 'StatefulSet');
      expect(statefulSets.map((s) => s.metadata.name).sort()).toEqual(['kafka', 'postgres']);
      // The Kafka image writes its configuration under /opt/kafka: read-only root is not required there.
      expect(statefulSets.flatMap((s) => podSecurityProblems(s, { readOnlyRoot: s.metadata.name !== 'kafka' }))).toEqual([]);
      const kafkaEnv = Object.fromEntries(
        (podSpecOf(findNamed(all, 'StatefulSet', 'kafka')!).containers[0].env ?? []).map((e) => [e.name, e.value]),
      );
      expect(kafkaEnv.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
      // The broker authenticates every principal of the catalogue (SCRAM users at format time) with a password from kafka-users.
      const scramUsers = (kafkaEnv.KAFKA_SCRAM_USERS ?? '').split(' ');
      expect([...scramUsers].sort()).toEqual(['admin', ...kafkaPrincipals(EventCatalogue)].sort());
      const users = decodeSecret(findNamed(all, 'Secret', 'kafka-users')!);
      expect(Object.keys(users).sort()).toEqual(scramUsers.map((u) => `KAFKA_PASSWORD_${u.toUpperCase().replace(/-/g, '_')}`).sort());
      expect(podSpecOf(findNamed(all, 'StatefulSet', 'kafka')!).containers[0].command).toEqual([
        '/bin/bash',
        '/opt/eisss/kafka-container.sh',
      ]);
      for (const s of services) {
        const c = podSpecOf(findNamed(all, 'Deployment', s.name)!).containers[0]!;
        expect(c.env?.find((e) => e.name === 'KAFKA_SASL_USERNAME')?.value).toBe(s.name);
        expect(secretRefs(c).KAFKA_SASL_PASSWORD).toEqual({
          name: expect.stringMatching(/^kafka-users/),
          key: `KAFKA_PASSWORD_${s.schema.toUpperCase()}`,
        });
      }
    });
  });
});

describe('docker-compose.yml', () => {
  const compose = (): { services: Record<string, any> } =>
    // eslint-disable-line @typescript-eslint/no-explicit-any
    parseYamlDocuments(readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8'), 'docker-compose.yml', { merge: true })[0] as {
      services: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    };

  it('runs each service after its migration with a readiness healthcheck when parsed', () => {
    const all = compose().services;
    for (const s of services) {
      const svc = all[s.name];
      expect(svc).toBeDefined();
      expect(svc.build).toEqual({ context: '.', args: { SERVICE: s.name } });
      expect(svc.healthcheck?.test?.join(' ')).toContain('/health/ready');
      expect(svc.depends_on).toMatchObject({
        [`migrate-${s.name}`]: { condition: 'service_completed_successfully' },
        'topics-init': { condition: 'service_completed_successfully' },
        postgres: { condition: 'service_healthy' },
        kafka: { condition: 'service_healthy' },
      });
      expect(svc.environment).toMatchObject({ NODE_ENV: 'production', PORT: String(s.port), KAFKA_BROKERS: 'kafka:9092' });
      expect(svc.environment.DATABASE_URL).toBe(`postgres://${s.schema}:\${DB_PASSWORD:?set DB_PASSWORD}@postgres:5432/eisss`);
      expect(svc.ports).toEqual([`127.0.0.1:${s.port}:${s.port}`]);
      expect(svc.restart).toBe('unless-stopped');

      const migrate = all[`migrate-${s.name}`];
      expect(migrate.command).toEqual(['node', `services/${s.name}/dist/migrate.js`, 'up']);
      expect(migrate.image).toBe(svc.image);
      expect(migrate.environment).toEqual(svc.environment);
      expect(migrate.depends_on).toEqual({ 'db-init': { condition: 'service_completed_successfully' } });
    }
  });

  it('hardens every container it builds when parsed', () => {
    const all = compose().services;
    const ours = Object.entries(all).filter(([, svc]) => svc.build);
    expect(ours.length).toBe(services.length * 2 + 2); // services, migrations, db-init, topics-init
    for (const [name, svc] of ours) {
      expect({ name, read_only: svc.read_only, cap_drop: svc.cap_drop, security_opt: svc.security_opt }).toEqual({
        name,
        read_only: true,
        cap_drop: ['ALL'],
        security_opt: ['no-new-privileges:true'],
      });
      expect(svc.tmpfs?.some((t: string) => t.startsWith('/tmp'))).toBe(true);
      expect(svc.deploy?.resources?.limits?.memory).toBeDefined();
    }
    for (const name of ['postgres', 'kafka']) {
      expect(all[name].cap_drop).toEqual(['ALL']);
      expect(all[name].healthcheck?.test).toBeDefined();
    }
  });

  it('takes every secret from the environment, without a default, when parsed', () => {
    const all = compose().services;
    for (const s of services) {
      // The identity provider is the deployment's: its realm URL and JWKS URL, without a default.
      expect(all[s.name].environment.AUTH_ISSUER).toMatch(/^\$\{AUTH_ISSUER:\?[^}]*\}$/);
      expect(all[s.name].environment.AUTH_JWKS_URL).toMatch(/^\$\{AUTH_JWKS_URL:\?[^}]*\}$/);
      expect(all[s.name].environment.AUTH_JWT_SECRET).toBeUndefined();
      // Its own Kafka principal, over TLS against the broker's certificate (volume kafkaca).
      const variable = `KAFKA_PASSWORD_${s.schema.toUpperCase()}`;
      expect(all[s.name].environment).toMatchObject({ KAFKA_SASL_USERNAME: s.name, KAFKA_SSL_CA_FILE: '/etc/eisss/kafka-ca/ca.pem' });
      expect(all[s.name].environment.KAFKA_SASL_PASSWORD).toMatch(new RegExp(`^\\$\\{${variable}:\\?[^}]*\\}$`));
      expect(all.kafka.environment[variable]).toBe(
        all[s.name].environment.KAFKA_SASL_PASSWORD.replace(/:\?[^}]*\}$/, `:?set ${variable}}`),
      );
      expect(all[s.name].volumes).toEqual(['kafkaca:/etc/eisss/kafka-ca:ro']);
    }
    expect(all['topics-init'].environment).toMatchObject({
      KAFKA_SASL_USERNAME: 'admin',
      KAFKA_SASL_PASSWORD: '${KAFKA_PASSWORD_ADMIN:?set KAFKA_PASSWORD_ADMIN}',
    });
    // The broker: SASL_SSL only (kafka-container.sh), every principal a SCRAM user.
    expect(all.kafka.entrypoint).toEqual(['/bin/bash', '/opt/eisss/kafka-container.sh']);
    expect(all.kafka.environment.KAFKA_SCRAM_USERS.split(' ').sort()).toEqual(['admin', ...kafkaPrincipals(EventCatalogue)].sort());
    expect(all.postgres.environment.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?[^}]*\}$/);
    expect(all['db-init'].environment.DB_PASSWORD).toMatch(/^\$\{DB_PASSWORD:\?[^}]*\}$/);
  });

  it('sets up Postgres and Kafka topics with the repository scripts before the migrations when parsed', () => {
    const all = compose().services;
    expect(all.kafka.image).toBe('apache/kafka:3.9.1');
    expect(all.kafka.environment.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
    expect(all.kafka.environment.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(all.postgres.image).toBe('postgres:15-alpine');
    expect(all['db-init'].command).toEqual(['node', 'scripts/infra/postgres.js']);
    expect(all['topics-init'].command).toEqual(['node', 'scripts/infra/topics.js']);
    for (const [job, needs] of [
      ['db-init', 'postgres'],
      ['topics-init', 'kafka'],
    ]) {
      expect(all[job].depends_on).toEqual({ [needs]: { condition: 'service_healthy' } });
      expect(all[job].restart).toBe('no');
      expect(existsSync(path.join(repoRoot, all[job].command[1]))).toBe(true);
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = (): string => readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');

  it('builds one service on node 20 and runs it as uid 10001 when read', () => {
    const text = dockerfile();
    expect(text).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(text).toMatch(/^ARG SERVICE$/m);
    expect(text).toMatch(/npm ci/);
    expect(text).toMatch(/npm run build && npm prune --omit=dev/);
    expect(text).toMatch(/^USER 10001:10001$/m);
    expect(text).toMatch(/NODE_ENV=production/);
    expect(text).toMatch(/^HEALTHCHECK .*\n?.*\/health\/live/m);
    expect(text).toMatch(/^CMD .*services\/\$\{SERVICE\}\/dist\/main\.js/m);
  });

  it('copies the manifest of every workspace before npm ci when read', () => {
    const text = dockerfile();
    const libs = readdirSync(path.join(repoRoot, 'libs')).filter((d) => existsSync(path.join(repoRoot, 'libs', d, 'package.json')));
    expect(libs.length).toBeGreaterThan(0);
    for (const lib of libs) expect(text).toContain(`COPY libs/${lib}/package.json libs/${lib}/`);
  });

  it('keeps local builds and secrets out of the build context when read', () => {
    const ignored = readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.infra', '.git', 'reports', 'coverage', '**/.env']));
  });
});
