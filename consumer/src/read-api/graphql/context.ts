import type { HeraldPubSub } from '../../http/pubsub';
import type { TokenVerifier } from '../token-verifier';
import type { ProducerHttpClient } from '../../producer/producer-http-client';
import type { FeedListener } from '../feed-listener';
import type { FeedReadModel } from '../../read-models/feed-read-model';
import type { FollowsReadModel } from '../../read-models/follows-read-model';
import type { PostsReadModel } from '../../read-models/posts-read-model';
import type { TokensReadModel } from '../../read-models/tokens-read-model';
import type { UsersReadModel } from '../../read-models/users-read-model';
import type { Viewer } from './viewer';

/** What the public API's resolvers get: the read models and services, built once (read-api/start-read-api.ts). */
export interface Services {
  users: UsersReadModel;
  tokens: TokensReadModel;
  posts: PostsReadModel;
  follows: FollowsReadModel;
  feed: FeedReadModel;
  /** The feed's LISTEN: which viewers' feeds got a post (feedItemAdded). */
  feedListener: FeedListener;
  /** The producer's HTTP client: every mutation is the producer's write. */
  producerHttp: ProducerHttpClient;
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
