import type { PubSub } from 'graphql-yoga';
import type { FlowTick } from '../console/flow-meter';
import type { TokenVerifier } from '../auth/token-verifier';
import type { ProducerHttpClient } from '../producer-client/producer-client';
import type { FeedPushes } from '../consumers/feed-pushes';
import type { FeedReadModel } from '../read-models/feed-read-model';
import type { FollowsReadModel } from '../read-models/follows-read-model';
import type { PostsReadModel } from '../read-models/posts-read-model';
import type { TokensReadModel, TokenView } from '../read-models/tokens-read-model';
import type { UsersReadModel, UserView } from '../read-models/users-read-model';
import type { Viewer } from './viewer';

/** What the live feed and the flow meter push; one for both endpoints (consoleFlow is the operators'). */
export type HeraldPubSub = PubSub<{ userCreated: [UserView]; tokenIssued: [TokenView]; consoleFlow: [FlowTick] }>;

/** What the public API's resolvers get: the read models and services, built once in main.ts. */
export interface Services {
  users: UsersReadModel;
  tokens: TokensReadModel;
  posts: PostsReadModel;
  follows: FollowsReadModel;
  feed: FeedReadModel;
  feedPushes: FeedPushes;
  producer: ProducerHttpClient;
  verifyToken: TokenVerifier;
  pubsub: HeraldPubSub;
}

/** What one request (or one graphql-ws subscription) adds. */
export interface RequestScope {
  request: Request;
  /** The client's address as the trusted proxies report it; passed on to the producer. */
  clientIp: string | undefined;
  viewer: Viewer;
}

export interface GraphQLContext extends Services, RequestScope {}
