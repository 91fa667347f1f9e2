import type { Logger } from '@herald/core';
import { sourceTopics } from '@herald/events';
import { createDocumentRoutes, createOperatorCheck, requireOperator } from '@herald/http';
import { createReliableProducer, type ConsumerMetrics, type GroupStatus, type KafkaClient, type SupervisedConsumer } from '@herald/kafka';
import { printSchema } from 'graphql';
import type { ConsumerConfig } from '../config';
import type { HeraldPubSub } from '../http/pubsub';
import { liveFeedHealth } from '../read-api/live-feed';
import type { ProducerHttpClient } from '../producer/producer-http-client';
import type { RunningRole } from '../roles';
import { createClusterControl } from './console/cluster-control';
import { createClusterSampler } from './console/cluster-sampler';
import { createConsoleRoutes } from './console/console-routes';
import { createFlowMeter } from './console/flow-meter';
import { createFlowTap } from './console/flow-tap';
import { createOperatorConsole } from './console/operator-console';
import { createPoisonPublisher } from './console/poison-publisher';
import { createDeadLetterQueue } from './dead-letter/dead-letter-queue';
import { createOpsSchema, createOpsYoga, OPS_SDL_PATH } from './graphql/create-ops-yoga';
import { createProducerStatus } from './producer-status';

/**
 * The ops role: the operators' GraphQL endpoint on /ops/graphql and the console page on /console
 * (cluster, topics and groups sampled; the live flow; dead-letter browse and replay; failure
 * simulation), consumer-group status and the producer's status. Pausing a group works on the
 * projection groups of this process (`projectionGroups`: none when the projector runs elsewhere).
 */
export function createOps({
  config,
  kafka,
  groups,
  groupStatus,
  projectionGroups,
  producerHttp,
  pubsub,
  liveFeed,
  metrics,
  logger,
}: {
  config: Pick<ConsumerConfig, 'ops' | 'topics' | 'consumers' | 'graphql' | 'operatorToken'>;
  kafka: KafkaClient;
  /** Every projector group and its topic, whichever task runs them. */
  groups: Array<{ groupId: string; topic: string }>;
  groupStatus: () => Promise<GroupStatus[]>;
  projectionGroups: SupervisedConsumer[];
  producerHttp: ProducerHttpClient;
  pubsub: HeraldPubSub;
  liveFeed: SupervisedConsumer;
  metrics: ConsumerMetrics;
  logger: Logger;
}): RunningRole {
  const { ops: settings, topics } = config;
  const sources = sourceTopics(topics);
  const flow = createFlowMeter({ topics: Object.values(topics), publish: (tick) => pubsub.publish('consoleFlow', tick) });
  const clusterControl = settings.clusterControl && createClusterControl(settings.clusterControl);
  const sampler = createClusterSampler({
    // Few retries: a sample that cannot be had now is retaken at the next tick anyway.
    admin: kafka.admin({ retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 1000 } }),
    topics: Object.values(topics),
    groups,
    control: clusterControl,
    isPaused: (groupId) => projectionGroups.some((group) => group.groupId === groupId && group.isPaused()),
    intervalMs: settings.sampleIntervalMs,
    historySize: settings.historySamples,
    logger: logger.child({ component: 'console-sampler' }),
  });
  const flowTap = createFlowTap({
    kafka,
    groupId: settings.flowGroupId,
    flow,
    ...config.consumers,
    metrics,
    logger: logger.child({ component: 'console-flow' }),
  });
  // A Kafka producer of the console's poison records (failure simulation).
  const poisonProducer = createReliableProducer(kafka);
  const operatorConsole = createOperatorConsole({
    sampler,
    flowTap,
    deadLetters: createDeadLetterQueue({ kafka, topics: { deadLetter: topics.deadLetter, sources } }),
    control: clusterControl,
    groups: projectionGroups,
    poison: createPoisonPublisher({ producer: poisonProducer, topics: sources }),
    logger: logger.child({ component: 'console' }),
  });
  const producerStatus = createProducerStatus({ producer: producerHttp, cacheMs: settings.producerStatusCacheMs });
  const schema = createOpsSchema();
  const yoga = createOpsYoga({
    schema,
    services: { producerStatus, groupStatus, pubsub, operatorConsole },
    checkOperator: createOperatorCheck(config.operatorToken),
    logger: logger.child({ component: 'ops-graphql' }),
    options: config.graphql,
  });
  return {
    endpoints: [yoga],
    // The operators' schema as SDL, to operators only, as the endpoint itself is.
    routers: [createConsoleRoutes(), createDocumentRoutes({ path: OPS_SDL_PATH, document: printSchema(schema), guard: requireOperator(createOperatorCheck(config.operatorToken)) })],
    // Every user's tokenIssued comes from the live feed.
    health: liveFeedHealth(liveFeed),
    async start() {
      sampler.start();
      flow.start();
    },
    connect: () => poisonProducer.connect(),
    disconnect: () => poisonProducer.disconnect().catch(() => {}),
    async stop() {
      await operatorConsole.close();
      flow.stop();
      await flowTap.close();
      await sampler.stop();
      await poisonProducer.disconnect();
    },
  };
}
