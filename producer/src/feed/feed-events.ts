import { buildEvent } from '@herald/events';
import type { PostView } from './posts';

// The one place each feed event's payload is built: the live write paths (posts.ts, follows.ts)
// and the rebuild (republish-posts.ts, republish-follows.ts) call these, so a republished event is
// the event the write would publish now, whatever that payload becomes.

/** post-created: the post as its row holds it. */
export const postCreatedEvent = (post: PostView) =>
  buildEvent('post-created', { postId: post.id, authorId: post.authorId, title: post.title, body: post.body, createdAt: post.createdAt });

/** A pair's state at its revision: user-followed when it is followed, else user-unfollowed. */
export interface FollowChange {
  followerId: string;
  followeeId: string;
  active: boolean;
  revision: number;
  changedAt: Date;
}

export const followChangeEvent = ({ followerId, followeeId, active, revision, changedAt }: FollowChange) =>
  buildEvent(active ? 'user-followed' : 'user-unfollowed', { followerId, followeeId, revision, at: changedAt.toISOString() });
