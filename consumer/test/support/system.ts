import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createTestDatabase, eventually, isReady, startTestUserKeysServer, testInfra, uniqueName, type TestUserKeysServer } from '@herald/testing';
import { freePort, startService, waitForHttp, type ServiceProcess } from '@herald/local-infra';

export interface TestSystem {
  /** The operator credential both services were started with (/ops/graphql, /metrics). */
  operatorToken: string;
  /** Headers that make a request an operator's. */
  asOperator: Record<string, string>;
  /** The stand-in for the producer's user keys, when the consumer was started with `userKeys: 'test'`. */
  testUserKeys: TestUserKeysServer | undefined;
  /** The USER_KEYS_TOKEN both services share (the producer's user-keys endpoint). */
  userKeysToken: string;
  producerUrl: string;
  consumerUrl: string;
  consumerDatabaseUrl: string;
  producerDatabaseUrl: string;
  topicPrefix: string;
  groupPrefix: string;
  consumer: ServiceProcess;
  producer: ServiceProcess | undefined;
  /** Starts the consumer process again (after a stop or a crash) with the same settings. */
  /** Starts the consumer again; `entry` runs a test's own wiring instead (support/crash-after-commit.ts). */
  restartConsumer(extraEnv?: Record<string, string>, entry?: string): Promise<void>;
  /** Starts one more consumer process, as a second ECS task: same database and groups, its own port. */
  addConsumer(): Promise<{ url: string; process: ServiceProcess }>;
  stop(): Promise<void>;
}

/**
 * Both services as real processes, as they run in production, on free ports, with databases,
 * topics (a prefix) and consumer groups of this test's own, on the run's Kafka and PostgreSQL.
 */
export async function startSystem({
  consumerEnv = {},
  producerEnv = {},
  producer = true,
  discoveryEndpoint,
  userKeys = producer ? 'producer' : 'test',
}: {
  consumerEnv?: Record<string, string>;
  /** For example raised sign-up limits (SIGNUP_LIMIT_PER_IP) for a test that signs many users up. */
  producerEnv?: Record<string, string>;
  producer?: boolean;
  /** Find the producer as Copilot does, at producer.<endpoint>:<port>, instead of by PRODUCER_URL. */
  discoveryEndpoint?: string;
  /**
   * Where the consumer gets users' keys: the producer's endpoint, or (for a test that publishes
   * events it made itself, sealed with @herald/testing's test keys) a stand-in.
   */
  userKeys?: 'producer' | 'test';
} = {}): Promise<TestSystem> {
  const { kafkaBrokers, dataDir } = testInfra();
  const producerDb = await createTestDatabase('producer_test');
  const consumerDb = await createTestDatabase('consumer_test');
  const topicPrefix = `${uniqueName('test-')}.`;
  const groupPrefix = uniqueName('herald-consumer-test-');
  const producerPort = await freePort();
  const consumerPort = await freePort();
  const producerUrl = `http://127.0.0.1:${producerPort}`;
  const consumerUrl = `http://127.0.0.1:${consumerPort}`;
  const operatorToken = `operator-${randomBytes(24).toString('hex')}`;
  const userKeysToken = `user-keys-${randomBytes(24).toString('hex')}`;
  const testUserKeys = userKeys === 'test' ? await startTestUserKeysServer() : undefined;
  const common = { NODE_ENV: 'test', HOST: '127.0.0.1', KAFKA_BROKERS: kafkaBrokers, KAFKA_TOPIC_PREFIX: topicPrefix, LOG_LEVEL: 'info', OPERATOR_TOKEN: operatorToken, USER_KEYS_TOKEN: userKeysToken };

  const producerProcess = producer
    ? startService({
        name: 'producer',
        env: { ...common, PORT: String(producerPort), DATABASE_URL: producerDb.url, OUTBOX_POLL_INTERVAL_MS: '200', ...producerEnv },
        logFile: join(dataDir, `${topicPrefix}producer.log`),
      })
    : undefined;
  if (producerProcess) await waitForHttp(`${producerUrl}/health`, producerProcess);

  const consumerBaseEnv = {
    ...common,
    PORT: String(consumerPort),
    DATABASE_URL: consumerDb.url,
    ...(discoveryEndpoint ? { COPILOT_SERVICE_DISCOVERY_ENDPOINT: discoveryEndpoint, PRODUCER_PORT: String(producerPort) } : { PRODUCER_URL: producerUrl }),
    ...(testUserKeys ? { USER_KEYS_URL: testUserKeys.url, USER_KEYS_TOKEN: testUserKeys.token } : {}),
    CONSUMER_GROUP_PREFIX: groupPrefix,
    RETRY_BASE_DELAY_MS: '200',
    // A killed consumer's partitions move on after 6 s (the broker's minimum) instead of 30 s.
    CONSUMER_SESSION_TIMEOUT_MS: '6000',
    SHUTDOWN_TIMEOUT_MS: '5000',
    ...consumerEnv,
  };
  const launchConsumer = async (extraEnv: Record<string, string> = {}, url = consumerUrl, entry?: string) => {
    const logFile = join(dataDir, `${topicPrefix}consumer${url === consumerUrl ? '' : `-${new URL(url).port}`}.log`);
    const started = startService({ name: 'consumer', env: { ...consumerBaseEnv, PORT: new URL(url).port, ...extraEnv }, logFile, entry });
    await waitForHttp(`${url}/health`, started);
    return started;
  };
  const extraConsumers: ServiceProcess[] = [];

  // A consumer that fails to start must not leave the producer process or the databases behind.
  let firstConsumer: ServiceProcess;
  try {
    firstConsumer = await launchConsumer();
  } catch (error) {
    await producerProcess?.stop();
    await testUserKeys?.stop();
    await consumerDb.drop();
    await producerDb.drop();
    throw error;
  }

  const system: TestSystem = {
    operatorToken,
    asOperator: { 'x-operator-token': operatorToken },
    testUserKeys,
    userKeysToken,
    producerUrl,
    consumerUrl,
    consumerDatabaseUrl: consumerDb.url,
    producerDatabaseUrl: producerDb.url,
    topicPrefix,
    groupPrefix,
    consumer: firstConsumer,
    producer: producerProcess,
    async restartConsumer(extraEnv, entry) {
      system.consumer = await launchConsumer(extraEnv, consumerUrl, entry);
      await eventually(isReady(consumerUrl), { timeoutMs: 60_000, what: 'consumer ready after restart' });
    },
    async addConsumer() {
      const url = `http://127.0.0.1:${await freePort()}`;
      const started = await launchConsumer({}, url);
      extraConsumers.push(started);
      return { url, process: started };
    },
    async stop() {
      for (const extra of extraConsumers) await extra.stop();
      await system.consumer.stop();
      await producerProcess?.stop();
      await testUserKeys?.stop();
      await consumerDb.drop();
      await producerDb.drop();
    },
  };
  await eventually(isReady(consumerUrl), { timeoutMs: 60_000, what: 'consumer ready (groups joined)' });
  return system;
}
