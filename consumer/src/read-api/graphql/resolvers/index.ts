import type { Resolvers } from '../generated/resolvers-types';
import { createPost, deletePost, follow, unfollow } from './feed-mutations';
import { login, refreshToken, signUp } from './mutations';
import { feed } from './query-feed';
import { me } from './query-me';
import { followersCount, followingCount, post, postAuthor, userPosts } from './query-post';
import { tokens, userTokens } from './query-tokens';
import { user } from './query-user';
import { users } from './query-users';
import { deleteAccount, updateProfile } from './profile-mutations';
import { changePassword, logout, logoutEverywhere } from './session-mutations';
import { feedItemAdded, feedItemRemoved, tokenIssued, userCreated } from './subscriptions';
import { userEmail } from './user-email';

/** The public schema's resolvers (schema.graphql), typed by the generated types (generated/resolvers-types.ts). */
export const resolvers: Resolvers = {
  Query: { users, user, tokens, me, feed, post },
  Mutation: { signUp, updateProfile, deleteAccount, login, refreshToken, logout, logoutEverywhere, changePassword, createPost, deletePost, follow, unfollow },
  Subscription: { userCreated, tokenIssued, feedItemAdded, feedItemRemoved },
  User: { email: userEmail, tokens: userTokens, posts: userPosts, followersCount, followingCount },
  Post: { author: postAuthor },
};
