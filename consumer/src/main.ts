import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { keepTrying, runService, type Logger } from '@herald/core';
import { createDatabaseIfMissing, createSequelize, runMigrations } from '@herald/db';
import { createHealthRoutes, type HealthPart } from '@herald/http';
import { createBrokerProbe, createKafka, ensureTopics } from '@herald/kafka';
import { createPubSub } from 'graphql-yoga';
import { buildApp } from './app';
import { loadConfig, type ConsumerConfig } from './config';
import { MIGRATION_LOCK_KEY, MIGRATIONS } from './db/migrations';
import { attachGraphQLWs } from './http/graphql-ws-server';
import type { HeraldPubSub } from './http/pubsub';
import { createClientIp } from './http/client-ip';
import { createMetrics } from './http/metrics';
import { createStreamBudget } from './http/stream-budget';
import { createOps } from './ops/start-ops';
import { createGroupStatus } from './ops/kafka-admin/consumer-group-status';
import { createProjector, type ProjectorFaults } from './projector/start-projector';
import { createLiveFeed } from './read-api/live-feed';
import { createProducerHttpClient } from './read-api/producer-http-client';
import { createReadApi } from './read-api/start-read-api';
import { createReadModels } from './read-models/read-models';
import type { Role, RunningRole } from './roles';

const VERSION = '0.1.0';

export interface RunningConsumer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the roles the config names (all three by default) in this process, on one HTTP server:
 * the database and its migrations, the Kafka client, each role's wiring (projector/, read-api/,
 * ops/), their endpoints and health. `faults` are a test's, for the projector; never in production.
 */
export async function startConsumer(config: ConsumerConfig, logger: Logger, faults: ProjectorFaults = {}): Promise<RunningConsumer> {
  await createDatabaseIfMissing({ database: config.database, logger });
  const sequelize = createSequelize({ config: config.database, logger });
  await runMigrations({ sequelize, database: config.database, migrations: MIGRATIONS, lockKey: MIGRATION_LOCK_KEY, logger });
  const readModels = createReadModels({ sequelize, feed: config.feed });

  const kafka = createKafka({ config: config.kafka, logger });
  const admin = kafka.admin();
  const probeAdmin = kafka.admin();
  const brokerProbe = createBrokerProbe({ admin: probeAdmin, logger: logger.child({ component: 'broker-probe' }) });
  const { topics } = config;
  // Every projector group's progress, whichever task runs it: for operators and the lag metric.
  const { groups } = config.projector;
  const groupIds = [
    { groupId: groups.users.groupId, topic: topics.newUserCreated },
    { groupId: groups.tokens.groupId, topic: topics.issuedToken },
    { groupId: groups.posts.groupId, topic: topics.postCreated },
    { groupId: groups.follows.groupId, topic: topics.userFollowed },
    { groupId: groups.unfollows.groupId, topic: topics.userUnfollowed },
    { groupId: config.projector.retryGroupId, topic: topics.retry },
  ];
  const groupStatus = createGroupStatus({ admin, groups: groupIds });
  const metrics = createMetrics({ groupStatus });
  const clientIpOf = createClientIp(config.http.trustProxy);
  const streams = createStreamBudget({ limits: config.http.streams, clientIp: clientIpOf });

  const runs = (role: Role) => config.roles.includes(role);
  // Both API roles call the producer over HTTP (mutations; its status) and push what the live
  // feed reads (a Kafka consumer of this process alone) to their subscriptions.
  const producerHttp = createProducerHttpClient({ baseUrl: config.readApi.producer.url, timeoutMs: config.readApi.producer.timeoutMs });
  const pubsub: HeraldPubSub = createPubSub();
  const liveFeed =
    runs('read-api') || runs('ops')
      ? createLiveFeed({ kafka, groupId: config.readApi.liveGroupId, topics, pubsub, ...config.consumers, metrics: metrics.consumer, logger: logger.child({ component: 'live-feed' }) })
      : undefined;

  const running = new Map<Role, RunningRole>();
  const projector = runs('projector') ? createProjector({ config, kafka, sequelize, readModels, metrics: metrics.consumer, logger, faults }) : undefined;
  if (projector) running.set('projector', projector);
  if (runs('read-api')) running.set('read-api', createReadApi({ config, readModels, producerHttp, pubsub, clientIpOf, logger }));
  if (runs('ops')) {
    const projectionGroups = projector?.groups ?? [];
    running.set('ops', createOps({ config, kafka, groups: groupIds, groupStatus, projectionGroups, producerHttp, pubsub, metrics: metrics.consumer, logger }));
  }
  const roles = [...running.values()];
  const endpoints = roles.flatMap((role) => role.endpoints);

  const database = { name: 'database', check: () => sequelize.authenticate().then(() => true) };
  // A member stays "joined" while a hung broker holds its requests; the probe notices.
  const broker = { name: 'kafka', check: async () => brokerProbe.isReachable() };
  const liveJoined = liveFeed ? [{ name: 'live-feed', check: async () => liveFeed.isJoined() && liveFeed.isHealthy() }] : [];
  // A live feed that keeps crashing however often it is restarted needs a new task, as a projection group does.
  const liveHealthy = liveFeed ? [{ name: 'live-feed', check: async () => liveFeed.isHealthy() }] : [];
  // Each role's own health (/health/<role>, /ready/<role>): what it needs to do its job.
  const health: Record<string, HealthPart> = Object.fromEntries(
    [...running].map(([name, role]) => [
      name,
      {
        readiness: [...(name === 'projector' ? [] : liveJoined), ...role.health.readiness],
        liveness: [...(name === 'projector' ? [] : liveHealthy), ...role.health.liveness],
      },
    ]),
  );
  const app = buildApp({
    endpoints,
    logger,
    metrics,
    trustProxy: config.http.trustProxy,
    graphqlBodyLimitBytes: config.http.graphqlBodyLimitBytes,
    sseBudget: streams.sseMiddleware,
    routers: [
      ...roles.flatMap((role) => role.routers),
      createHealthRoutes({
        service: 'consumer',
        version: VERSION,
        registry: metrics.registry,
        operatorToken: config.operatorToken,
        readiness: [database, broker],
        parts: health,
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
      for (const role of roles) await role.connect();
      await liveFeed?.start();
    },
    reset: async () => {
      await liveFeed?.stop().catch(() => {});
      await Promise.all(roles.map((role) => role.disconnect().catch(() => {})));
      await admin.disconnect().catch(() => {});
    },
  });
  for (const role of roles) await role.start();
  kafkaSide.start();
  brokerProbe.start();
  const server = createServer(app);
  const ws = attachGraphQLWs({ server, yogas: endpoints, logger, maxPayloadBytes: config.http.graphqlBodyLimitBytes, streams, maxSubscriptionsPerSocket: config.http.maxSubscriptionsPerSocket });
  server.listen(config.port, config.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  logger.info({ url, roles: config.roles }, 'consumer listening');

  return {
    url,
    async stop() {
      const closed = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      server.closeIdleConnections();
      await ws.close();
      const forceClose = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs / 2);
      await kafkaSide.stop();
      await Promise.all([...roles.map((role) => role.stop()), liveFeed?.stop()]);
      await closed;
      clearTimeout(forceClose);
      brokerProbe.stop();
      await probeAdmin.disconnect().catch(() => {});
      await admin.disconnect();
      await sequelize.close();
      logger.info('consumer stopped');
    },
  };
}

if (require.main === module) {
  runService({ name: 'consumer', loadConfig, start: (config, logger) => startConsumer(config, logger) });
}
