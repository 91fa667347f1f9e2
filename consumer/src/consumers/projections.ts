import type { EventOf, EventType, HeraldEvent } from '@herald/events';
import type { Transaction } from 'sequelize';
import type { FollowsReadModel } from '../read-models/follows-read-model';
import type { PostsReadModel } from '../read-models/posts-read-model';
import type { TokensReadModel } from '../read-models/tokens-read-model';
import type { UsersReadModel } from '../read-models/users-read-model';
import type { Located } from './located';

export interface Projection {
  eventType: EventType;
  /**
   * Writes the events into the read model inside `transaction`; returns how many rows were new
   * (the rest were redeliveries, which change nothing). A projection never waits for another
   * event (a token for its user): whichever arrives first is written, and reads join them. What a
   * failure means (read again, retry, dead-letter) is decided by `failureKind`.
   */
  apply(records: Located<HeraldEvent>[], transaction: Transaction): Promise<number>;
}

/** A projection of one event type; the records it is given are checked to be of that type. */
function projectionOf<T extends EventType>(eventType: T, apply: (records: Located<EventOf<T>>[], transaction: Transaction) => Promise<number>): Projection {
  const isOfType = (record: Located<HeraldEvent>): record is Located<EventOf<T>> => record.event.type === eventType;
  return {
    eventType,
    apply: (records, transaction) => {
      const typed = records.filter(isOfType);
      if (typed.length !== records.length) throw new TypeError(`the ${eventType} projection was given events of another type`);
      return apply(typed, transaction);
    },
  };
}

export const createUsersProjection = ({ users }: { users: UsersReadModel }) => projectionOf('new-user-created', users.insert);

export const createTokensProjection = ({ tokens }: { tokens: TokensReadModel }) => projectionOf('issued-token', tokens.insert);

/** Posts with their fan-out to feeds. */
export const createPostsProjection = ({ posts }: { posts: PostsReadModel }) => projectionOf('post-created', posts.insert);

/** Follows with their backfill, and unfollows with their removal from the feed. */
export const createFollowsProjection = ({ follows }: { follows: FollowsReadModel }) => projectionOf('user-followed', follows.follow);

export const createUnfollowsProjection = ({ follows }: { follows: FollowsReadModel }) => projectionOf('user-unfollowed', follows.unfollow);
