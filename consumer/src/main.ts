import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { keepTrying, runService, type Logger } from '@herald/core';
import { createDatabaseIfMissing, createSequelize, runMigrations } from '@herald/db';
import { createHealthRoutes, type HealthPart } from '@herald/http';
import { createBrokerProbe, createGroupStatus, createKafka, ensureTopics, type SupervisedConsumer } from '@herald/kafka';
import { traced } from '@herald/telemetry';
import { createPubSub } from 'graphql-yoga';
import { buildApp } from './app';
import { loadConfig, type ConsumerConfig } from './config';
import { MIGRATION_LOCK_KEY, MIGRATIONS } from './db/migrations';
import { attachGraphQLWs } from './http/graphql-ws-server';
import type { HeraldPubSub } from './http/pubsub';
import { createClientIp } from './http/client-ip';
import { createAsyncApiRoutes } from './contract/asyncapi-routes';
import { asyncApiSettingsOf, buildAsyncApi } from './contract/build-asyncapi';
import { createMetrics } from './http/metrics';
import { createStreamBudget } from './http/stream-budget';
import { createOps } from './ops/start-ops';
import { createProjector, projectorGroups, type ProjectorFaults } from './projector/start-projector';
import { createLiveFeed } from './read-api/live-feed';
import { createRecordUnsealer } from './personal-data/unseal-records';
import { createUserKeysClient } from './personal-data/user-keys-client';
import { createProducerHttpClient } from './producer/producer-http-client';
import { createReadApi } from './read-api/start-read-api';
import { createReadModels } from './read-models/read-models';
import { ROLES, type Role, type RunningRole } from './roles';

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
  const groups = projectorGroups(config);
  const groupStatus = createGroupStatus({ admin, groups });
  const metrics = createMetrics({ groupStatus });
  const clientIpOf = createClientIp(config.http.trustProxy);
  const streams = createStreamBudget({ limits: config.http.streams, clientIp: clientIpOf });

  const producerHttp = createProducerHttpClient({ baseUrl: config.producer.url, timeoutMs: config.producer.timeoutMs });
  const keysHttp = config.userKeys.url === config.producer.url ? producerHttp : createProducerHttpClient({ baseUrl: config.userKeys.url, timeoutMs: config.producer.timeoutMs });
  const userKeys = createUserKeysClient({ producerHttp: keysHttp, ...config.userKeys });

  const runs = (role: Role) => config.roles.includes(role);
  const running = new Map<Role, RunningRole>();
  const projector = runs('projector') ? createProjector({ config, kafka, sequelize, readModels, userKeys, metrics: metrics.consumer, logger, faults }) : undefined;
  if (projector) running.set('projector', projector);
  let liveFeed: SupervisedConsumer | undefined;
  if (runs('read-api') || runs('ops')) {
    // Both API roles call the producer over HTTP (mutations; its status) and push what the live
    // feed reads (a Kafka consumer of this process alone) to their subscriptions.
    const pubsub: HeraldPubSub = createPubSub();
    const live = createLiveFeed({ kafka, groupId: config.readApi.liveGroupId, topics, pubsub, unsealRecords: createRecordUnsealer({ userKeys }), ...config.consumers, metrics: metrics.consumer, logger: logger.child({ component: 'live-feed' }) });
    const api = { producerHttp, pubsub, liveFeed: live, logger };
    if (runs('read-api')) running.set('read-api', createReadApi({ ...api, config, readModels, clientIpOf }));
    if (runs('ops')) running.set('ops', createOps({ ...api, config, kafka, groups, groupStatus, projectionGroups: projector?.groups ?? [], metrics: metrics.consumer }));
    liveFeed = live;
  }
  const roles = [...running.values()];
  const endpoints = roles.flatMap((role) => role.endpoints);

  const database = { name: 'database', check: () => sequelize.authenticate().then(() => true) };
  // A member stays "joined" while a hung broker holds its requests; the probe notices.
  const broker = { name: 'kafka', check: async () => brokerProbe.isReachable() };
  const health: Record<string, HealthPart> = Object.fromEntries([...running].map(([name, role]) => [name, role.health]));
  const app = buildApp({
    endpoints,
    logger,
    metrics,
    trustProxy: config.http.trustProxy,
    graphqlBodyLimitBytes: config.http.graphqlBodyLimitBytes,
    sseBudget: streams.sseMiddleware,
    routers: [
      ...roles.flatMap((role) => role.routers),
      // Served by every role, as health is: the URL stays whichever roles a task runs.
      createAsyncApiRoutes({ document: buildAsyncApi(asyncApiSettingsOf(config)) }),
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

/** The service name of this process's spans: `herald-consumer`, or `herald-consumer-<roles>` when it runs fewer than all. */
export const tracedServiceName = ({ roles }: Pick<ConsumerConfig, 'roles'>): string => (roles.length === ROLES.length ? 'herald-consumer' : `herald-consumer-${roles.join('+')}`);

// Tracing (when configured) starts before the consumer and stops after it (@herald/telemetry).
if (require.main === module) {
  runService({ name: 'consumer', loadConfig, start: traced<ConsumerConfig, Logger, RunningConsumer>(tracedServiceName, (config, logger) => startConsumer(config, logger)) });
}
