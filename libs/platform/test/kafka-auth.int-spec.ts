import { CrvsPersonDiedV1, PersonRegisteredV1, PaymentSettledV1 } from '@eisss/contracts';
import { KAFKA_BROKERS, KafkaProbe, TestEnvironment, expectEventually, kafkaClientOptions } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import { createKafka } from '../src/messaging/kafka';

/**
 * The project's broker authenticates every client (SASL_SSL, SCRAM-SHA-512) and authorizes by the
 * catalogue's ACLs (StandardAuthorizer, nothing allowed without an ACL): what the broker itself refuses.
 */
/** kafkajs's message for the broker's TOPIC_AUTHORIZATION_FAILED (error 29); its producer retrier keeps only the message. */
const TOPIC_AUTHORIZATION_FAILED = 'Not authorized to access topics: [Topic authorization failed]';

describe('the broker: identities and ACLs', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await TestEnvironment.create();
  });

  afterAll(async () => {
    await env?.destroy();
  });

  const send = async (principal: string, topic: string) => {
    // Retries absorb a topic not yet served right after its creation; an authorization failure is never retried.
    const producer = env.kafka(`auth-${principal}`, principal).producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      await producer.send({
        topic: env.topicPrefix + topic,
        acks: -1,
        messages: [{ key: 'k', value: JSON.stringify({ probe: randomUUID() }) }],
      });
    } finally {
      await producer.disconnect();
    }
  };

  it("refuses a service that publishes onto another producer's topic (TOPIC_AUTHORIZATION_FAILED), and accepts its own", async () => {
    await expect(send('social-processing', PersonRegisteredV1.topic)).rejects.toThrow(TOPIC_AUTHORIZATION_FAILED);
    await expect(send('payments-treasury', PersonRegisteredV1.topic)).rejects.toThrow(TOPIC_AUTHORIZATION_FAILED);
    const probe = await KafkaProbe.start([env.topicPrefix + PersonRegisteredV1.topic]);
    try {
      await send('social-register', PersonRegisteredV1.topic);
      await expectEventually(() => expect(probe.on(env.topicPrefix + PersonRegisteredV1.topic)).toHaveLength(1));
    } finally {
      await probe.stop();
    }
  });

  it("lets an inbound adapter write only its own register's topics", async () => {
    await expect(send('crvs', PaymentSettledV1.topic)).rejects.toThrow(TOPIC_AUTHORIZATION_FAILED);
    await expect(send('border-guard', CrvsPersonDiedV1.topic)).rejects.toThrow(TOPIC_AUTHORIZATION_FAILED);
    await expect(send('crvs', CrvsPersonDiedV1.topic)).resolves.toBeUndefined();
  });

  it("refuses a consumer group outside the service's own prefix, and a topic the service does not consume", async () => {
    const kafka = env.kafka('auth-groups', 'social-processing');
    const join = async (group: string) => {
      const consumer = kafka.consumer({ groupId: env.topicPrefix + group, retry: { retries: 0 } });
      await consumer.connect();
      try {
        await consumer.subscribe({ topics: [env.topicPrefix + PersonRegisteredV1.topic], fromBeginning: true });
        const outcome = new Promise<string>((resolve) => {
          consumer.on(consumer.events.GROUP_JOIN, () => resolve('joined'));
          consumer.on(consumer.events.CRASH, (e) => resolve(`crashed: ${e.payload.error.name}`));
        });
        await consumer.run({ eachMessage: async () => undefined });
        return await outcome;
      } finally {
        await consumer.disconnect();
      }
    };
    // The broker answers FindCoordinator for a group without an ACL with GROUP_AUTHORIZATION_FAILED,
    // which kafkajs reports as "coordinator not found".
    await expect(join(`e-budget.stolen-${randomUUID()}`)).resolves.toBe('crashed: KafkaJSGroupCoordinatorNotFound');
    await expect(join(`social-processing.auth-${randomUUID()}`)).resolves.toBe('joined');
    const notConsumed = kafka.consumer({ groupId: `${env.topicPrefix}social-processing.auth-${randomUUID()}`, retry: { retries: 0 } });
    await notConsumed.connect();
    try {
      // social-processing does not consume payment.settled: the broker does not even describe the topic to it.
      await expect(notConsumed.subscribe({ topics: [env.topicPrefix + PaymentSettledV1.topic], fromBeginning: true })).rejects.toThrow(
        TOPIC_AUTHORIZATION_FAILED,
      );
    } finally {
      await notConsumed.disconnect();
    }
  });

  describe('connecting', () => {
    const admin = kafkaClientOptions('admin', KAFKA_BROKERS);
    const connect = async (options: Parameters<typeof createKafka>[0]) => {
      const client = createKafka(options).admin({ retry: { retries: 0 } });
      try {
        await client.connect();
        return await client.listTopics();
      } finally {
        await client.disconnect();
      }
    };

    it('accepts the admin principal with its password over TLS', async () => {
      await expect(connect({ clientId: 'auth-admin', ...admin })).resolves.toEqual(
        expect.arrayContaining([env.topicPrefix + PersonRegisteredV1.topic]),
      );
    });

    it('refuses a wrong password', async () => {
      await expect(
        connect({ clientId: 'auth-wrong', ...admin, sasl: { ...admin.sasl!, password: 'not-the-password' } }),
      ).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
      await expect(
        connect({ clientId: 'auth-unknown', ...admin, sasl: { mechanism: 'scram-sha-512', username: 'intruder', password: 'x' } }),
      ).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
    });

    it('refuses an unauthenticated client, over TLS or in plain text', async () => {
      await expect(connect({ clientId: 'auth-none', brokers: admin.brokers, ssl: admin.ssl })).rejects.toThrow();
      await expect(connect({ clientId: 'auth-plain', brokers: admin.brokers })).rejects.toThrow();
    });
  });
});
