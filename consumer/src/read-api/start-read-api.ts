import type { IncomingMessage } from 'node:http';
import type { Logger } from '@herald/core';
import { pgOptions } from '@herald/db';
import { createDocumentRoutes } from '@herald/http';
import type { SupervisedConsumer } from '@herald/kafka';
import { printSchema } from 'graphql';
import type { ConsumerConfig } from '../config';
import type { HeraldPubSub } from '../http/pubsub';
import type { ReadModels } from '../read-models/read-models';
import type { RunningRole } from '../roles';
import { createFeedListener } from './feed-listener';
import { liveFeedHealth } from './live-feed';
import { createPublicSchema, createPublicYoga, PUBLIC_SDL_PATH } from './graphql/create-public-yoga';
import type { ProducerHttpClient } from '../producer/producer-http-client';
import { createTokenVerifier } from './token-verifier';

/**
 * The read-api role: the public GraphQL API on /graphql (queries on the read models; mutations
 * passed to the producer over its HTTP client; subscriptions from the live feed and from the feed's
 * LISTEN). Its health is the database's alone: a projection's crash loop does not take it down.
 */
export function createReadApi({
  config,
  readModels,
  producerHttp,
  pubsub,
  liveFeed,
  clientIpOf,
  logger,
}: {
  config: Pick<ConsumerConfig, 'database' | 'readApi' | 'graphql' | 'producer'>;
  readModels: ReadModels;
  producerHttp: ProducerHttpClient;
  /** What the live feed publishes (main.ts runs it for whichever API roles run here). */
  pubsub: HeraldPubSub;
  liveFeed: SupervisedConsumer;
  clientIpOf: (req: IncomingMessage) => string;
  logger: Logger;
}): RunningRole {
  const { readApi: settings } = config;
  // A PostgreSQL LISTEN: the fan-out's NOTIFY tells every task which feeds got a post.
  const feedListener = createFeedListener({ connection: pgOptions(config.database), feed: readModels.feed, posts: readModels.posts, logger: logger.child({ component: 'feed-listener' }) });
  const verifyToken = createTokenVerifier({ producerUrl: config.producer.url, ...settings.jwt, timeoutMs: config.producer.timeoutMs, hasEnded: readModels.sessions.hasEnded });
  const schema = createPublicSchema();
  const yoga = createPublicYoga({
    schema,
    services: { ...readModels, feedListener, producerHttp, verifyToken, pubsub },
    logger: logger.child({ component: 'graphql' }),
    options: config.graphql,
    clientIpOf,
  });
  return {
    endpoints: [yoga],
    // The schema as SDL, for clients' code generators: introspection is off in production.
    routers: [createDocumentRoutes({ path: PUBLIC_SDL_PATH, document: printSchema(schema) })],
    // The database and the broker are checked for the service as a whole (main.ts).
    health: liveFeedHealth(liveFeed),
    start: () => feedListener.start(),
    connect: async () => {},
    disconnect: async () => {},
    stop: () => feedListener.stop(),
  };
}
