import type { PostResolvers, QueryResolvers, UserResolvers } from '../generated/resolvers-types';
import { userId } from './query-user';
import { pageSize } from './query-users';

// Posts are public, as a profile is: whoever may see a user may see what they posted.

/** `post(id)`: one post of the read model, or null. */
export const post: QueryResolvers['post'] = async (_, args, { posts }) => (await posts.findById(userId(args.id))) ?? null;

/** `Post.author`: the author's public profile (null until the author's own event is projected). */
export const postAuthor: PostResolvers['author'] = async (parent, _, { users }) => (await users.findById(parent.authorId)) ?? null;

/** `User.posts(first)`: the user's latest posts, newest first. */
export const userPosts: UserResolvers['posts'] = (parent, args, { posts }) => posts.ofAuthor(parent.id, pageSize(args.first));

/** `User.followersCount` and `User.followingCount`. */
export const followersCount: UserResolvers['followersCount'] = async (parent, _, { follows }) => (await follows.counts(parent.id)).followers;

export const followingCount: UserResolvers['followingCount'] = async (parent, _, { follows }) => (await follows.counts(parent.id)).following;
