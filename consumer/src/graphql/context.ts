import type { PubSub } from 'graphql-yoga';
import type { TokenVerifier } from '../auth/token-verifier';
import type { GroupStatus } from '../kafka-admin/consumer-group-status';
import type { ProducerClient } from '../producer-client/producer-client';
import type { TokensReadModel, TokenView } from '../read-models/tokens-read-model';
import type { UsersReadModel, UserView } from '../read-models/users-read-model';

export type HeraldPubSub = PubSub<{ userCreated: [UserView]; tokenIssued: [TokenView] }>;

/** What resolvers get: the read models and services, built once in main.ts, plus the request. */
export interface Services {
  users: UsersReadModel;
  tokens: TokensReadModel;
  producer: ProducerClient;
  verifyToken: TokenVerifier;
  groupStatus: () => Promise<GroupStatus[]>;
  pubsub: HeraldPubSub;
}

export interface GraphQLContext extends Services {
  request: Request;
}
