import type { PostView } from '../../../read-models/posts-read-model';
import type { UserView } from '../../../read-models/users-read-model';
import type { GraphQLContext } from '../context';
import { userId } from './query-user';
import { pageSize } from './query-users';

// Posts are public, as a profile is: whoever may see a user may see what they posted.

/** `post(id)`: one post of the read model, or null. */
export async function post(_: unknown, args: { id: string }, { posts }: GraphQLContext) {
  return (await posts.findById(userId(args.id))) ?? null;
}

/** `Post.author`: the author's public profile (null until the author's own event is projected). */
export async function postAuthor(parent: PostView, _: unknown, { users }: GraphQLContext) {
  return (await users.findById(parent.authorId)) ?? null;
}

/** `User.posts(first)`: the user's latest posts, newest first. */
export async function userPosts(parent: UserView, args: { first?: number | null }, { posts }: GraphQLContext) {
  return posts.ofAuthor(parent.id, pageSize(args.first));
}

/** `User.followersCount` and `User.followingCount`. */
export async function followersCount(parent: UserView, _: unknown, { follows }: GraphQLContext) {
  return (await follows.counts(parent.id)).followers;
}

export async function followingCount(parent: UserView, _: unknown, { follows }: GraphQLContext) {
  return (await follows.counts(parent.id)).following;
}
