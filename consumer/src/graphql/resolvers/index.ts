import { login, refreshToken, signUp } from './mutations';
import { consumerGroups } from './query-consumer-groups';
import { me } from './query-me';
import { producerStatus } from './query-producer-status';
import { tokens, userTokens } from './query-tokens';
import { user } from './query-user';
import { users } from './query-users';
import { tokenIssued, userCreated } from './subscriptions';
import { userEmail } from './user-email';

export const resolvers = {
  Query: { users, user, tokens, me, consumerGroups, producerStatus },
  Mutation: { signUp, login, refreshToken },
  Subscription: { userCreated, tokenIssued },
  User: { email: userEmail, tokens: userTokens },
};
