import type { Logger } from '@herald/core';
import type { TopicKey } from '@herald/events';
import type { HealthPart } from '@herald/http';
import { createLiveReader, liveTopic, type ConsumerMetrics, type FetchSettings, type KafkaClient, type SupervisedConsumer, type Supervision } from '@herald/kafka';
import { defaultTracer, inInternalSpan } from '@herald/telemetry';
import type { Tracer } from '@opentelemetry/api';
import type { EndedSessions } from '../http/pubsub';
import type { RecordUnsealer } from '../personal-data/unseal-records';
import type { UserView } from '../read-models/users-read-model';
import type { TokenView } from '../read-models/tokens-read-model';

/** The topics the live feed reads (the AsyncAPI contract lists them). */
export const LIVE_TOPICS = ['newUserCreated', 'issuedToken', 'sessionEnded'] as const satisfies readonly TopicKey[];

/** Where the live feed publishes: the GraphQL subscriptions' pubsub. */
export interface LivePublisher {
  publish(channel: 'userCreated', user: UserView): void;
  publish(channel: 'tokenIssued', token: TokenView): void;
  publish(channel: 'sessionEnded', ended: EndedSessions): void;
}

/**
 * Feeds the `userCreated` and `tokenIssued` subscriptions, and ends a viewer's subscriptions when
 * the viewer's session ends (resolvers/while-session-lasts.ts). The projection groups split partitions
 * between the consumer's tasks, so each task sees only part of the events; this Kafka consumer, in
 * a group of its own per process (@herald/kafka's live reader), reads every partition from the
 * latest offset and publishes each event once as it is consumed.
 */
export function createLiveFeed({
  kafka,
  groupId,
  topics,
  pubsub,
  unsealRecords,
  logger,
  tracer = defaultTracer(),
  ...consumers
}: {
  kafka: KafkaClient;
  groupId: string;
  topics: Record<(typeof LIVE_TOPICS)[number], string>;
  pubsub: LivePublisher;
  /** Sign-ups carry the user's profile sealed: opened with the user's key before it is pushed. */
  unsealRecords: RecordUnsealer;
  sessionTimeoutMs: number;
  fetch?: FetchSettings;
  supervision: Supervision;
  metrics: ConsumerMetrics;
  logger: Logger;
  tracer?: Tracer;
}): SupervisedConsumer {
  /** Each push to the subscriptions in a span of its own, under the record's `process` span. */
  const push = (subscription: string, publish: () => void) => inInternalSpan(tracer, `push ${subscription}`, { 'herald.subscription': subscription }, async () => publish());
  return createLiveReader({
    ...consumers,
    kafka,
    groupId,
    logger,
    tracer,
    topics: {
      [topics.newUserCreated]: liveTopic('new-user-created', async (record) => {
        // A user deleted meanwhile has no key: nothing to push.
        for (const { event } of await unsealRecords([record])) await push('userCreated', () => pubsub.publish('userCreated', { id: event.payload.userId, ...event.payload }));
      }),
      [topics.issuedToken]: liveTopic('issued-token', ({ event, partition, offset }) => push('tokenIssued', () => pubsub.publish('tokenIssued', { ...event.payload, partition, offset }))),
      // Every task hears every ended session, so a viewer's open subscriptions end wherever they run.
      [topics.sessionEnded]: liveTopic('session-ended', ({ event }) => push('sessionEnded', () => pubsub.publish('sessionEnded', { userId: event.payload.userId, sessionIds: event.payload.sessionIds }))),
    },
  });
}

/**
 * The live feed's part in an API role's health: ready while it is a member of its group; alive
 * unless it keeps crashing however often it is restarted (then the task needs replacing, as for a
 * projection group).
 */
export const liveFeedHealth = (liveFeed: SupervisedConsumer): HealthPart => ({
  readiness: [{ name: 'live-feed', check: async () => liveFeed.isJoined() && liveFeed.isHealthy() }],
  liveness: [{ name: 'live-feed', check: async () => liveFeed.isHealthy() }],
});
