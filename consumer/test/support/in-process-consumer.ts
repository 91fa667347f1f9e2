import { createTestDatabase, eventually, isReady, silentLogger, startTestUserKeysServer, testInfra, testKafka, uniqueName, type TestUserKeysServer } from '@herald/testing';
import { randomBytes } from 'node:crypto';
import { createLogger } from '@herald/core';
import { topicNames } from '@herald/events';
import { loadConfig } from '../../src/config';
import { startConsumer } from '../../src/main';
import type { ProjectorFaults } from '../../src/projector/start-projector';

export interface InProcessConsumer {
  url: string;
  databaseUrl: string;
  groupPrefix: string;
  topicPrefix: string;
  topics: ReturnType<typeof topicNames>;
  /** Headers that carry this consumer's operator credential (for `/ops/graphql` and `/metrics`). */
  asOperator: Record<string, string>;
  /** The users' keys this consumer is served (support/events.ts seals with them); `erase` destroys one. */
  userKeys: Pick<TestUserKeysServer, 'erase' | 'refuse'>;
  /** Stops the consumer and drops its database. */
  stop(): Promise<void>;
  /** Stops the consumer, keeping its database, topics and groups for `startAgain`. */
  stopOnly(): Promise<void>;
  /** Starts the same consumer again: same database, topics and groups. */
  startAgain(): Promise<InProcessConsumer>;
}

/**
 * The consumer started inside the test process, on the run's Kafka and PostgreSQL, with a database,
 * topics and groups of its own, so a test can inject faults through `startConsumer`'s options.
 * `maxMessageBytes` creates the topics beforehand with that record-size limit (Kafka's default is
 * about 1 MB), so records at the limit stay small enough for a test.
 */
export async function startInProcessConsumer({
  env = {},
  faults = {},
  maxMessageBytes,
  kafkaBrokers = testInfra().kafkaBrokers,
}: { env?: Record<string, string>; faults?: ProjectorFaults; maxMessageBytes?: number; kafkaBrokers?: string } = {}): Promise<InProcessConsumer> {
  const database = await createTestDatabase('consumer_test');
  const topicPrefix = `${uniqueName('test-')}.`;
  const groupPrefix = uniqueName('herald-consumer-test-');
  const topics = topicNames(topicPrefix);
  const operatorToken = randomBytes(24).toString('base64url');
  // No producer runs here: the users' keys come from a stand-in with the producer's contract.
  const userKeys = await startTestUserKeysServer();
  if (maxMessageBytes) {
    const admin = testKafka(kafkaBrokers).admin();
    await admin.connect();
    const names = Object.values(topics);
    // Not kafkajs' own wait for leaders: on a busy broker its metadata can still say "unknown
    // topic" for a moment, which that wait does not retry.
    await admin.createTopics({
      waitForLeaders: false,
      topics: names.map((topic) => ({ topic, numPartitions: 8, replicationFactor: 1, configEntries: [{ name: 'max.message.bytes', value: String(maxMessageBytes) }] })),
    });
    await eventually(
      async () => {
        const { topics: described } = await admin.fetchTopicMetadata({ topics: names }).catch(() => ({ topics: [] as Array<{ partitions: Array<{ leader: number }> }> }));
        return described.length === names.length && described.every((topic) => topic.partitions.length === 8 && topic.partitions.every((partition) => partition.leader >= 0));
      },
      { timeoutMs: 60_000, what: 'topics created with their leaders' },
    );
    await admin.disconnect();
  }
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    KAFKA_BROKERS: kafkaBrokers,
    KAFKA_TOPIC_PREFIX: topicPrefix,
    DATABASE_URL: database.url,
    PRODUCER_URL: 'http://127.0.0.1:9',
    CONSUMER_GROUP_PREFIX: groupPrefix,
    CONSUMER_SESSION_TIMEOUT_MS: '6000',
    RETRY_BASE_DELAY_MS: '200',
    SHUTDOWN_TIMEOUT_MS: '5000',
    LOG_LEVEL: 'silent',
    OPERATOR_TOKEN: operatorToken,
    USER_KEYS_URL: userKeys.url,
    USER_KEYS_TOKEN: userKeys.token,
    ...env,
  });
  const logger = process.env.HERALD_TEST_DEBUG ? createLogger({ name: 'consumer', level: 'warn' }) : silentLogger('consumer');
  const start = async (): Promise<InProcessConsumer> => {
    const running = await startConsumer(config, logger, faults);
    await eventually(isReady(running.url), { timeoutMs: 60_000, what: 'consumer ready (groups joined)' });
    return {
      url: running.url,
      databaseUrl: database.url,
      groupPrefix,
      topicPrefix,
      topics,
      asOperator: { 'x-operator-token': operatorToken },
      userKeys,
      async stop() {
        await running.stop();
        await userKeys.stop();
        await database.drop();
      },
      stopOnly: () => running.stop(),
      startAgain: start,
    };
  };
  return start();
}
