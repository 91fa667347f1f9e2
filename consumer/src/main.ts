import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { keepTrying, runService, type Logger } from '@herald/core';
import { createDatabaseIfMissing, createSequelize, pgOptions, runMigrations } from '@herald/db';
import type { HeraldEvent } from '@herald/events';
import { createHealthRoutes, createOperatorCheck } from '@herald/http';
import { createBrokerProbe, createKafka, createReliableProducer, ensureTopics } from '@herald/kafka';
import { createPubSub } from 'graphql-yoga';
import { buildApp } from './app';
import { createClusterControl } from './console/cluster-control';
import { createClusterSampler } from './console/cluster-sampler';
import { createConsoleRoutes } from './console/console-routes';
import { createFlowMeter } from './console/flow-meter';
import { createFlowTap } from './console/flow-tap';
import { createOperatorConsole } from './console/operator-console';
import { createPoisonPublisher } from './console/poison-publisher';
import { createDeadLetterQueue } from './dead-letter/dead-letter-queue';
import { createTokenVerifier } from './auth/token-verifier';
import { loadConfig, type ConsumerConfig } from './config';
import { createFailureRouter } from './consumers/failure-router';
import { createFeedPushes } from './consumers/feed-pushes';
import { createProjectionConsumer } from './consumers/projection-consumer';
import { createLiveFeed } from './consumers/live-feed';
import {
  createFollowsProjection,
  createPostsProjection,
  createTokensProjection,
  createUnfollowsProjection,
  createUsersProjection,
  type Projection,
} from './consumers/projections';
import { createRetryConsumer } from './consumers/retry-consumer';
import { MIGRATION_LOCK_KEY, MIGRATIONS } from './db/migrations';
import type { HeraldPubSub } from './graphql/context';
import { createHeraldYoga } from './graphql/create-yoga';
import { createClientIp } from './graphql/client-ip';
import { attachGraphQLWs } from './graphql/graphql-ws-server';
import { createOpsYoga } from './graphql/ops/create-ops-yoga';
import { createStreamBudget } from './graphql/stream-budget';
import { createMetrics } from './http/metrics';
import { createGroupStatus } from './kafka-admin/consumer-group-status';
import { createProducerClient } from './producer-client/producer-client';
import { createProducerStatus } from './producer-client/producer-status';
import { createFeedReadModel } from './read-models/feed-read-model';
import { createFollowsReadModel } from './read-models/follows-read-model';
import { createPostsReadModel } from './read-models/posts-read-model';
import { createTokensReadModel } from './read-models/tokens-read-model';
import { createUsersReadModel } from './read-models/users-read-model';

const VERSION = '0.1.0';

export interface RunningConsumer {
  url: string;
  stop(): Promise<void>;
}

export interface ConsumerFaults {
  /** Test-only: called after a projection's database commit, before its offset commit. */
  afterDatabaseCommit?: (groupId: string) => void;
  /** Test-only: called before a projection writes; throw to make the write fail. */
  beforeApply?: (events: HeraldEvent[]) => void;
}

/** A projection that first lets the test's fault hook fail it (no-op in production). */
function withFaults(projection: Projection, faults: ConsumerFaults): Projection {
  const { beforeApply } = faults;
  if (!beforeApply) return projection;
  return {
    ...projection,
    apply: async (records) => {
      beforeApply(records.map((record) => record.event));
      return projection.apply(records);
    },
  };
}

/**
 * Wires the consumer from its config and starts it: migrations, topics, the kafkajs consumers
 * (one group per projection, the retry consumer, the live feed), the feed's pushes, GraphQL over
 * HTTP and WebSocket (the public API and the operators'). The only place where the parts meet.
 */
export async function startConsumer(config: ConsumerConfig, logger: Logger, faults: ConsumerFaults = {}): Promise<RunningConsumer> {
  await createDatabaseIfMissing({ database: config.database, logger });
  const sequelize = createSequelize({ config: config.database, logger });
  await runMigrations({ sequelize, database: config.database, migrations: MIGRATIONS, lockKey: MIGRATION_LOCK_KEY, logger });
  const users = createUsersReadModel({ sequelize });
  const tokens = createTokensReadModel({ sequelize });
  const posts = createPostsReadModel({ sequelize, fanOut: { maxFollowers: config.feed.maxFollowers } });
  const follows = createFollowsReadModel({ sequelize, backfill: { posts: config.feed.backfillPosts } });
  const feed = createFeedReadModel({ sequelize });
  const feedPushes = createFeedPushes({ connection: pgOptions(config.database), feed, posts, logger: logger.child({ component: 'feed-pushes' }) });

  const kafka = createKafka({ config: config.kafka, logger });
  const admin = kafka.admin();
  const probeAdmin = kafka.admin();
  const brokerProbe = createBrokerProbe({ admin: probeAdmin, logger: logger.child({ component: 'broker-probe' }) });
  const { topics } = config;

  const groups = [
    { groupId: config.groups.users.groupId, topic: topics.newUserCreated },
    { groupId: config.groups.tokens.groupId, topic: topics.issuedToken },
    { groupId: config.groups.posts.groupId, topic: topics.postCreated },
    { groupId: config.groups.follows.groupId, topic: topics.userFollowed },
    { groupId: config.groups.unfollows.groupId, topic: topics.userUnfollowed },
    { groupId: config.groups.retry.groupId, topic: topics.retry },
  ];
  const groupStatus = createGroupStatus({ admin, groups });
  const metrics = createMetrics({ groupStatus });
  const pubsub: HeraldPubSub = createPubSub();
  const flow = createFlowMeter({ topics: Object.values(topics), publish: (tick) => pubsub.publish('consoleFlow', tick) });

  const failureProducer = createReliableProducer(kafka);
  const failures = createFailureRouter({
    producer: failureProducer,
    topics,
    policy: config.retry,
    metrics: metrics.consumer,
    logger: logger.child({ component: 'failures' }),
  });
  const usersProjection = withFaults(createUsersProjection({ users }), faults);
  const tokensProjection = withFaults(createTokensProjection({ tokens }), faults);
  const postsProjection = withFaults(createPostsProjection({ posts, sequelize }), faults);
  const followsProjection = withFaults(createFollowsProjection({ follows, sequelize }), faults);
  const unfollowsProjection = withFaults(createUnfollowsProjection({ follows, sequelize }), faults);
  const common = { kafka, failures, metrics: metrics.consumer, sessionTimeoutMs: config.sessionTimeoutMs, fetch: config.fetch, supervision: config.supervision };
  /** One projection group: its config (group id, commit mode), its topic and its read model. */
  const projectionConsumer = (name: 'users' | 'tokens' | 'posts' | 'follows' | 'unfollows', topic: string, projection: Projection, chunkSize?: number) =>
    createProjectionConsumer({
      ...common,
      ...config.groups[name],
      topic,
      projection,
      chunkSize,
      commitIntervalMs: config.commitIntervalMs,
      logger: logger.child({ component: `${name}-consumer` }),
      afterDatabaseCommit: faults.afterDatabaseCommit && (() => faults.afterDatabaseCommit?.(config.groups[name].groupId)),
    });
  const consumers = [
    projectionConsumer('users', topics.newUserCreated, usersProjection),
    projectionConsumer('tokens', topics.issuedToken, tokensProjection),
    // Each post may write up to FEED_FANOUT_MAX_FOLLOWERS feed rows: fewer per transaction.
    projectionConsumer('posts', topics.postCreated, postsProjection, config.feed.fanOutChunkPosts),
    projectionConsumer('follows', topics.userFollowed, followsProjection),
    projectionConsumer('unfollows', topics.userUnfollowed, unfollowsProjection),
    createRetryConsumer({
      ...common,
      groupId: config.groups.retry.groupId,
      retryTopic: topics.retry,
      projections: {
        [topics.newUserCreated]: usersProjection,
        [topics.issuedToken]: tokensProjection,
        [topics.postCreated]: postsProjection,
        [topics.userFollowed]: followsProjection,
        [topics.userUnfollowed]: unfollowsProjection,
      },
      policy: config.retry,
      logger: logger.child({ component: 'retry-consumer' }),
    }),
    createLiveFeed({
      kafka,
      groupId: config.groups.live.groupId,
      topics,
      pubsub,
      sessionTimeoutMs: config.sessionTimeoutMs,
      fetch: config.fetch,
      supervision: config.supervision,
      metrics: metrics.consumer,
      logger: logger.child({ component: 'live-feed' }),
    }),
  ];
  // The projection groups (not the retry consumer, which pauses by itself, nor the live feed).
  const pausable = consumers.slice(0, 5);
  const sourceTopics = [topics.newUserCreated, topics.issuedToken, topics.postCreated, topics.userFollowed, topics.userUnfollowed];
  const clusterControl = config.console.clusterControl && createClusterControl(config.console.clusterControl);
  const sampler = createClusterSampler({
    // Few retries: a sample that cannot be had now is retaken at the next tick anyway.
    admin: kafka.admin({ retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 1000 } }),
    topics: Object.values(topics),
    groups,
    control: clusterControl,
    isPaused: (groupId) => pausable.some((consumer) => consumer.groupId === groupId && consumer.isPaused()),
    intervalMs: config.console.sampleIntervalMs,
    historySize: config.console.historySamples,
    logger: logger.child({ component: 'console-sampler' }),
  });
  const flowTap = createFlowTap({
    kafka,
    groupId: config.groups.flow.groupId,
    flow,
    sessionTimeoutMs: config.sessionTimeoutMs,
    supervision: config.supervision,
    metrics: metrics.consumer,
    logger: logger.child({ component: 'console-flow' }),
  });
  const operatorConsole = createOperatorConsole({
    sampler,
    flowTap,
    deadLetters: createDeadLetterQueue({ kafka, topics: { deadLetter: topics.deadLetter, sources: sourceTopics } }),
    control: clusterControl,
    groups: pausable,
    poison: createPoisonPublisher({ producer: failureProducer, topics: sourceTopics }),
    logger: logger.child({ component: 'console' }),
  });

  const producer = createProducerClient({ baseUrl: config.producer.url, timeoutMs: config.producer.timeoutMs });
  const verifyToken = createTokenVerifier({ producerUrl: config.producer.url, ...config.jwt, timeoutMs: config.producer.timeoutMs });
  const producerStatus = createProducerStatus({ producer, cacheMs: config.producerStatusCacheMs });
  const checkOperator = createOperatorCheck(config.operatorToken);
  const clientIpOf = createClientIp(config.http.trustProxy);
  const streams = createStreamBudget({ limits: config.http.streams, clientIp: clientIpOf });
  const yoga = createHeraldYoga({
    services: { users, tokens, posts, follows, feed, feedPushes, producer, verifyToken, pubsub },
    logger: logger.child({ component: 'graphql' }),
    options: config.graphql,
    clientIpOf,
  });
  const opsYoga = createOpsYoga({
    services: { producerStatus, groupStatus, pubsub, operatorConsole },
    checkOperator,
    logger: logger.child({ component: 'ops-graphql' }),
    options: config.graphql,
  });
  const app = buildApp({
    yoga,
    opsYoga,
    logger,
    metrics,
    trustProxy: config.http.trustProxy,
    graphqlBodyLimitBytes: config.http.graphqlBodyLimitBytes,
    sseBudget: streams.sseMiddleware,
    routers: [
      createConsoleRoutes(),
      createHealthRoutes({
        service: 'consumer',
        version: VERSION,
        registry: metrics.registry,
        operatorToken: config.operatorToken,
        readiness: [
          { name: 'database', check: () => sequelize.authenticate().then(() => true) },
          // A consumer that keeps crashing rejoins between crashes; it is not ready in between either.
          { name: 'consumers', check: async () => consumers.every((consumer) => consumer.isJoined() && consumer.isHealthy()) },
          // A member stays "joined" while a hung broker holds its requests; the probe notices.
          { name: 'kafka', check: async () => brokerProbe.isReachable() },
        ],
        // A consumer that keeps crashing however often it is restarted needs a new task.
        liveness: [{ name: 'consumers', check: async () => consumers.every((consumer) => consumer.isHealthy()) }],
      }),
    ],
  });

  // Kafka may be down or still starting: the API serves the read models meanwhile, /ready waits.
  const kafkaSide = keepTrying({
    what: 'connecting to Kafka',
    logger,
    attempt: async () => {
      await admin.connect();
      await ensureTopics({ admin, topics: Object.values(topics), partitions: config.kafka.partitions, replicationFactor: config.kafka.replicationFactor, logger });
      await failureProducer.connect();
      for (const consumer of consumers) await consumer.start();
    },
    reset: async () => {
      await Promise.all(consumers.map((consumer) => consumer.stop().catch(() => {})));
      await failureProducer.disconnect().catch(() => {});
      await admin.disconnect().catch(() => {});
    },
  });
  kafkaSide.start();
  brokerProbe.start();
  sampler.start();
  flow.start();
  await feedPushes.start();
  const server = createServer(app);
  const ws = attachGraphQLWs({ server, yogas: [yoga, opsYoga], logger, maxPayloadBytes: config.http.graphqlBodyLimitBytes, streams, maxSubscriptionsPerSocket: config.http.maxSubscriptionsPerSocket });
  server.listen(config.port, config.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  logger.info({ url, producer: config.producer.url }, 'consumer listening');

  return {
    url,
    async stop() {
      const closed = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      server.closeIdleConnections();
      await ws.close();
      await operatorConsole.close();
      const forceClose = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs / 2);
      await kafkaSide.stop();
      // Each projection group commits what its database transactions wrote (auto mode: kafkajs,
      // patched, commits what it resolved), then leaves its group and hands its partitions over.
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      await closed;
      clearTimeout(forceClose);
      await failureProducer.disconnect();
      brokerProbe.stop();
      flow.stop();
      await flowTap.close();
      await sampler.stop();
      await probeAdmin.disconnect().catch(() => {});
      await admin.disconnect();
      await feedPushes.stop();
      await sequelize.close();
      logger.info('consumer stopped');
    },
  };
}

/** Test-only fault injection from config (refused in production by the config itself). */
function faultsFrom(config: ConsumerConfig, logger: Logger): ConsumerFaults {
  const crashGroup = config.crashAfterDatabaseCommit && config.groups[config.crashAfterDatabaseCommit].groupId;
  if (!crashGroup) return {};
  return {
    afterDatabaseCommit: (groupId) => {
      if (groupId !== crashGroup) return;
      logger.warn({ groupId }, 'fault injection: crashing after the database commit, before the offset commit');
      process.kill(process.pid, 'SIGKILL');
    },
  };
}

if (require.main === module) {
  runService({ name: 'consumer', loadConfig, start: (config, logger) => startConsumer(config, logger, faultsFrom(config, logger)) });
}
