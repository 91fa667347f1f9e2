import type { OperatorCheck } from '@herald/http';
import type { PubSub } from 'graphql-yoga';
import type { FlowTick } from '../console/flow-meter';
import type { OperatorConsole } from '../console/operator-console';
import type { TokenVerifier } from '../auth/token-verifier';
import type { GroupStatus } from '../kafka-admin/consumer-group-status';
import type { ProducerHttpClient } from '../producer-client/producer-client';
import type { ProducerStatusView } from '../producer-client/producer-status';
import type { FeedPushes } from '../consumers/feed-pushes';
import type { FeedReadModel } from '../read-models/feed-read-model';
import type { FollowsReadModel } from '../read-models/follows-read-model';
import type { PostsReadModel } from '../read-models/posts-read-model';
import type { TokensReadModel, TokenView } from '../read-models/tokens-read-model';
import type { UsersReadModel, UserView } from '../read-models/users-read-model';
import type { Viewer } from './viewer';

export type HeraldPubSub = PubSub<{ userCreated: [UserView]; tokenIssued: [TokenView]; consoleFlow: [FlowTick] }>;

/** What resolvers get: the read models and services, built once in main.ts. */
export interface Services {
  users: UsersReadModel;
  tokens: TokensReadModel;
  posts: PostsReadModel;
  follows: FollowsReadModel;
  feed: FeedReadModel;
  feedPushes: FeedPushes;
  producer: ProducerHttpClient;
  verifyToken: TokenVerifier;
  /** The producer's status, shared by the requests of a short while (see producer-status.ts). */
  producerStatus: () => Promise<ProducerStatusView>;
  groupStatus: () => Promise<GroupStatus[]>;
  pubsub: HeraldPubSub;
  checkOperator: OperatorCheck;
  /** The operator console's data and actions (console/operator-console.ts). */
  operatorConsole: OperatorConsole;
}

/** What one request (or one graphql-ws subscription) adds. */
export interface RequestScope {
  request: Request;
  /** The client's address as the trusted proxies report it; passed on to the producer. */
  clientIp: string | undefined;
  viewer: Viewer;
  /** producerStatus once per request, however many times (aliases) the query asks. */
  producerStatusOnce: () => Promise<ProducerStatusView>;
}

export interface GraphQLContext extends Services, RequestScope {}
