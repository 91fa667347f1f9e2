import type { EventOf, EventType, HeraldEvent } from '@herald/events';
import type { Sequelize, Transaction } from 'sequelize';
import type { FollowsReadModel } from '../read-models/follows-read-model';
import type { PostsReadModel } from '../read-models/posts-read-model';
import type { TokensReadModel } from '../read-models/tokens-read-model';
import type { UsersReadModel } from '../read-models/users-read-model';
import type { Located } from './located';

export interface Projection {
  eventType: EventType;
  /**
   * Writes the events into the read model, all or none; returns how many rows were new (the rest
   * were redeliveries, which change nothing). A projection never waits for another event (a token
   * for its user): whichever arrives first is written, and reads join them. What a failure means
   * (read again, retry, dead-letter) is decided by `failureKind`.
   */
  apply(records: Located<HeraldEvent>[]): Promise<number>;
}

type Apply<T extends EventType> = (records: Located<EventOf<T>>[]) => Promise<number>;

/** A projection of one event type; the records it is given are checked to be of that type. */
function projectionOf<T extends EventType>(eventType: T, apply: Apply<T>): Projection {
  const isOfType = (record: Located<HeraldEvent>): record is Located<EventOf<T>> => record.event.type === eventType;
  return {
    eventType,
    apply: (records) => {
      const typed = records.filter(isOfType);
      if (typed.length !== records.length) throw new TypeError(`the ${eventType} projection was given events of another type`);
      return apply(typed);
    },
  };
}

/** A write of several statements, made all or none by a transaction of its own. */
const inTransaction =
  <T extends EventType>(sequelize: Sequelize, write: (records: Located<EventOf<T>>[], transaction: Transaction) => Promise<number>): Apply<T> =>
  (records) =>
    sequelize.transaction((transaction) => write(records, transaction));

// Users and tokens are written by one INSERT each, which is atomic alone: no BEGIN and COMMIT
// around it, two round trips fewer per chunk on the path every login and refresh takes.
export const createUsersProjection = ({ users }: { users: UsersReadModel }) => projectionOf('new-user-created', (records) => users.insert(records));

export const createTokensProjection = ({ tokens }: { tokens: TokensReadModel }) => projectionOf('issued-token', (records) => tokens.insert(records));

/** Posts with their fan-out to feeds. */
export const createPostsProjection = ({ posts, sequelize }: { posts: PostsReadModel; sequelize: Sequelize }) => projectionOf('post-created', inTransaction(sequelize, posts.insert));

/** Follows with their backfill, and unfollows with their removal from the feed. */
export const createFollowsProjection = ({ follows, sequelize }: { follows: FollowsReadModel; sequelize: Sequelize }) => projectionOf('user-followed', inTransaction(sequelize, follows.follow));

export const createUnfollowsProjection = ({ follows, sequelize }: { follows: FollowsReadModel; sequelize: Sequelize }) => projectionOf('user-unfollowed', inTransaction(sequelize, follows.unfollow));
