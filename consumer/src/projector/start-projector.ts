import type { Logger } from '@herald/core';
import type { HeraldEvent } from '@herald/events';
import { createBatchConsumer, createFailureRouter, createReliableProducer, createRetryConsumer, type ClassifyFailure, type ConsumerMetrics, type KafkaClient, type SupervisedConsumer } from '@herald/kafka';
import type { Sequelize } from 'sequelize';
import type { ConsumerConfig } from '../config';
import { createRecordUnsealer } from '../personal-data/unseal-records';
import type { UserKeys } from '../personal-data/user-keys-client';
import type { ReadModels } from '../read-models/read-models';
import type { RunningRole } from '../roles';
import { classifyFailure } from './classify-failure';
import {
  createAccountDeletionsProjection,
  createFollowsProjection,
  createPostDeletionsProjection,
  createPostsProjection,
  createSessionsProjection,
  createTokensProjection,
  createUnfollowsProjection,
  createUserUpdatesProjection,
  createUsersProjection,
  type Projection,
} from './projections';

/** Faults a test injects into the projections (never set in production: main.ts passes none). */
export interface ProjectorFaults {
  /** Called after a projection's database commit, before its offset commit, with its group id. */
  afterDatabaseCommit?: (groupId: string) => void;
  /** Called before a projection writes; throw to make the write fail. */
  beforeApply?: (events: HeraldEvent[]) => void;
}

export interface Projector extends RunningRole {
  /** The projection groups (the console pauses and resumes them). */
  groups: SupervisedConsumer[];
}

/**
 * The projections and failure classification with a test's faults let in around each write. A
 * fault thrown after the database commit escapes the batch (classified `unavailable`, which is
 * rethrown), as a bug between the database commit and the offset commit would.
 */
function faulted({ afterDatabaseCommit, beforeApply }: ProjectorFaults) {
  const escaping = new WeakSet<object>();
  const classify: ClassifyFailure = (error) => (typeof error === 'object' && error !== null && escaping.has(error) ? 'unavailable' : classifyFailure(error));
  const withFaults = <P extends Projection>(projection: P, groupId: string): P => ({
    ...projection,
    handle: async (records: Parameters<P['handle']>[0]) => {
      beforeApply?.(records.map((record) => record.event));
      const inserted = await projection.handle(records);
      try {
        afterDatabaseCommit?.(groupId);
      } catch (error) {
        if (typeof error === 'object' && error !== null) escaping.add(error);
        throw error;
      }
      return inserted;
    },
  });
  return { classify, withFaults };
}

/**
 * The projector role: one kafkajs group per projection (users, profile changes, deleted accounts,
 * tokens, posts, deleted posts, follows, unfollows, ended sessions), the retry group, and the failure router that moves what fails to the retry
 * topic or the dead-letter queue. It serves nothing over HTTP but its health.
 */
export function createProjector({
  config,
  kafka,
  sequelize,
  readModels,
  userKeys,
  metrics,
  logger,
  faults = {},
}: {
  config: Pick<ConsumerConfig, 'projector' | 'consumers' | 'topics' | 'feed'>;
  kafka: KafkaClient;
  sequelize: Sequelize;
  readModels: ReadModels;
  /** Users' data keys, to open the personal data of sign-ups, profile changes and posts. */
  userKeys: UserKeys;
  metrics: ConsumerMetrics;
  logger: Logger;
  faults?: ProjectorFaults;
}): Projector {
  const { projector: settings, topics } = config;
  const { groups } = settings;
  const { users, tokens, posts, follows, sessions, deletions } = readModels;
  // The Kafka producer of retry and dead-letter copies.
  const failureProducer = createReliableProducer(kafka);
  const { classify, withFaults }: { classify: ClassifyFailure; withFaults: <P extends Projection>(projection: P, groupId: string) => P } =
    faults.afterDatabaseCommit || faults.beforeApply ? faulted(faults) : { classify: classifyFailure, withFaults: (projection) => projection };
  const failures = createFailureRouter({ producer: failureProducer, topics, policy: settings.retry, metrics, logger: logger.child({ component: 'failures' }) });
  const unsealRecords = createRecordUnsealer({ userKeys });
  const projections = {
    users: withFaults(createUsersProjection({ users, sequelize, unsealRecords }), groups.users.groupId),
    userUpdates: withFaults(createUserUpdatesProjection({ users, sequelize, unsealRecords }), groups.userUpdates.groupId),
    userDeletions: withFaults(createAccountDeletionsProjection({ deletions, sequelize, userKeys }), groups.userDeletions.groupId),
    tokens: withFaults(createTokensProjection({ tokens, sequelize }), groups.tokens.groupId),
    posts: withFaults(createPostsProjection({ posts, sequelize, unsealRecords }), groups.posts.groupId),
    postDeletions: withFaults(createPostDeletionsProjection({ posts, sequelize }), groups.postDeletions.groupId),
    follows: withFaults(createFollowsProjection({ follows, sequelize }), groups.follows.groupId),
    unfollows: withFaults(createUnfollowsProjection({ follows, sequelize }), groups.unfollows.groupId),
    sessions: withFaults(createSessionsProjection({ sessions }), groups.sessions.groupId),
  };
  const common = { kafka, failures, classify, metrics, ...config.consumers };
  const batchConsumer = <N extends keyof typeof projections>(name: N, chunkSize?: number) =>
    createBatchConsumer({
      ...common,
      ...groups[name],
      handler: projections[name] as Projection,
      chunkSize,
      commitIntervalMs: settings.commitIntervalMs,
      logger: logger.child({ component: `${name}-consumer` }),
    });
  const projectionGroups = [
    batchConsumer('users'),
    batchConsumer('userUpdates'),
    batchConsumer('userDeletions'),
    batchConsumer('tokens'),
    // Each post may write up to FEED_FANOUT_MAX_FOLLOWERS feed rows: fewer per transaction.
    batchConsumer('posts', config.feed.fanOutChunkPosts),
    batchConsumer('postDeletions'),
    batchConsumer('follows'),
    batchConsumer('unfollows'),
    batchConsumer('sessions'),
  ];
  const retryGroup = createRetryConsumer({
    ...common,
    groupId: settings.retryGroupId,
    retryTopic: topics.retry,
    handlers: Object.fromEntries(Object.entries(projections).map(([name, projection]) => [groups[name as keyof typeof groups].topic, projection])),
    policy: settings.retry,
    logger: logger.child({ component: 'retry-consumer' }),
  });
  const all = [...projectionGroups, retryGroup];

  return {
    groups: projectionGroups,
    endpoints: [],
    routers: [],
    start: async () => {},
    health: {
      // A group that keeps crashing rejoins between crashes; it is not ready in between either.
      readiness: [{ name: 'consumers', check: async () => all.every((group) => group.isJoined() && group.isHealthy()) }],
      // A group that keeps crashing however often it is restarted needs a new task.
      liveness: [{ name: 'consumers', check: async () => all.every((group) => group.isHealthy()) }],
    },
    async connect() {
      await failureProducer.connect();
      for (const group of all) await group.start();
    },
    async disconnect() {
      await Promise.all(all.map((group) => group.stop().catch(() => {})));
      await failureProducer.disconnect().catch(() => {});
    },
    async stop() {
      // Each projection group commits what its database transactions wrote (auto mode: kafkajs,
      // patched, commits what it resolved), then leaves its group and hands its partitions over.
      await Promise.all(all.map((group) => group.stop()));
      await failureProducer.disconnect();
    },
  };
}

/** Every group the projector runs and the topic it reads, whichever task runs them: for operators and the lag metric. */
export const projectorGroups = ({ projector, topics }: Pick<ConsumerConfig, 'projector' | 'topics'>) => [
  ...Object.values(projector.groups).map(({ groupId, topic }) => ({ groupId, topic })),
  { groupId: projector.retryGroupId, topic: topics.retry },
];
