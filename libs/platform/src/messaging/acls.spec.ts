import { EventCatalogue, ExternalProducers, ServiceNames, dlqTopic } from '@eisss/contracts';
import { AclOperationTypes, ResourcePatternTypes } from 'kafkajs';
import { join } from 'node:path';
import { aclsFor, catalogueAcls, kafkaPrincipals, toKafkaAcls, type AclSpec } from './acls';

const ops = (specs: AclSpec[], name: string) =>
  specs
    .filter((s) => s.name === name)
    .flatMap((s) => s.operations)
    .sort();

describe('Kafka ACLs from the event catalogue', () => {
  it("gives a service WRITE on exactly the topics it produces, nothing on another producer's", () => {
    const acls = aclsFor('e-budget');
    const written = acls.filter((a) => a.operations.includes('Write')).map((a) => a.name);
    const own = EventCatalogue.filter((c) => c.producer === 'e-budget').map((c) => c.topic);
    const dlqs = EventCatalogue.filter((c) => c.consumers.includes('e-budget')).map((c) => dlqTopic(c.topic));
    expect(own.length).toBeGreaterThan(0);
    expect(written.sort()).toEqual([...own, ...dlqs].sort());
    for (const c of EventCatalogue.filter((c) => c.producer !== 'e-budget')) expect(ops(acls, c.topic)).not.toContain('Write');
  });

  it('gives READ+DESCRIBE on consumed topics, WRITE on their DLQs and READ on the own group prefix only', () => {
    const consumed = EventCatalogue.filter((c) => c.consumers.includes('payments-treasury'));
    expect(consumed.length).toBeGreaterThan(0);
    const acls = aclsFor('payments-treasury', { prefix: 't1xab.' });
    for (const c of consumed) {
      expect(ops(acls, `t1xab.${c.topic}`)).toEqual(expect.arrayContaining(['Describe', 'Read']));
      expect(ops(acls, `t1xab.${dlqTopic(c.topic)}`)).toEqual(['Describe', 'Write']);
    }
    const groups = acls.filter((a) => a.resourceType === 'group');
    expect(groups).toEqual([
      {
        principal: 'payments-treasury',
        resourceType: 'group',
        name: 't1xab.payments-treasury.',
        patternType: 'prefix',
        operations: ['Read'],
      },
    ]);
    // Every topic ACL is a literal name under the prefix: no wildcard, no prefix pattern on topics.
    for (const a of acls.filter((x) => x.resourceType === 'topic')) {
      expect(a.patternType).toBe('literal');
      expect(a.name.startsWith('t1xab.')).toBe(true);
    }
  });

  it('lets an inbound adapter write its own topics and nothing else', () => {
    const acls = aclsFor('crvs');
    const own = EventCatalogue.filter((c) => c.producer === 'crvs').map((c) => c.topic);
    expect(acls.map((a) => a.name).sort()).toEqual(own.sort());
    expect(acls.every((a) => a.resourceType === 'topic' && a.operations.join() === 'Write,Describe')).toBe(true);
  });

  it('has one principal per service and per external producer of the catalogue, the same list as the broker script', () => {
    const principals = kafkaPrincipals();
    expect(principals).toEqual(expect.arrayContaining([...ServiceNames]));
    for (const p of ExternalProducers) expect(principals.includes(p)).toBe(EventCatalogue.some((c) => c.producer === p));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const script = require(join(__dirname, '../../../../scripts/infra/kafka-credentials.js')) as { PRINCIPALS: string[]; ADMIN: string };
    expect([...script.PRINCIPALS].sort()).toEqual([script.ADMIN, ...principals].sort());
  });

  it('covers every topic of the catalogue: each has exactly one writer besides the DLQ writers', () => {
    const all = catalogueAcls();
    for (const c of EventCatalogue) {
      const writers = all.filter((a) => a.name === c.topic && a.operations.includes('Write')).map((a) => a.principal);
      expect(writers).toEqual([c.producer]);
      const readers = all.filter((a) => a.name === c.topic && a.operations.includes('Read')).map((a) => a.principal);
      expect(readers.sort()).toEqual([...c.consumers].sort());
    }
  });

  it('maps to kafkajs entries: ALLOW for User:<principal> on any host, one per operation', () => {
    const entries = toKafkaAcls([
      { principal: 'verification', resourceType: 'group', name: 'verification.', patternType: 'prefix', operations: ['Read'] },
    ]);
    expect(entries).toEqual([
      expect.objectContaining({
        principal: 'User:verification',
        host: '*',
        resourceName: 'verification.',
        resourcePatternType: ResourcePatternTypes.PREFIXED,
        operation: AclOperationTypes.READ,
      }),
    ]);
  });
});
