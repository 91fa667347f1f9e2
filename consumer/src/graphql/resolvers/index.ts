import { brokerAction, consoleFlow, consoleSnapshot, deadLetters, failureSimulation, pauseConsumerGroup, publishPoisonRecord, replayDeadLetters, resumeConsumerGroup } from './console';
import { createPost, follow, unfollow } from './feed-mutations';
import { login, refreshToken, signUp } from './mutations';
import { consumerGroups } from './query-consumer-groups';
import { feed } from './query-feed';
import { me } from './query-me';
import { followersCount, followingCount, post, postAuthor, userPosts } from './query-post';
import { producerStatus } from './query-producer-status';
import { tokens, userTokens } from './query-tokens';
import { user } from './query-user';
import { users } from './query-users';
import { feedItemAdded, tokenIssued, userCreated } from './subscriptions';
import { userEmail } from './user-email';

export const resolvers = {
  Query: { users, user, tokens, me, consumerGroups, producerStatus, feed, post, consoleSnapshot, failureSimulation, deadLetters },
  Mutation: { signUp, login, refreshToken, createPost, follow, unfollow, replayDeadLetters, brokerAction, pauseConsumerGroup, resumeConsumerGroup, publishPoisonRecord },
  Subscription: { userCreated, tokenIssued, feedItemAdded, consoleFlow },
  User: { email: userEmail, tokens: userTokens, posts: userPosts, followersCount, followingCount },
  Post: { author: postAuthor },
};
