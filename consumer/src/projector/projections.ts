import type { EventOf, EventType, SealedEvent, Unsealed } from '@herald/events';
import type { EventHandler, Located } from '@herald/kafka';
import { defaultTracer, inInternalSpan } from '@herald/telemetry';
import type { Sequelize, Transaction } from 'sequelize';
import type { RecordUnsealer } from '../personal-data/unseal-records';
import type { UserKeys } from '../personal-data/user-keys-client';
import type { AccountDeletions } from '../read-models/account-deletions';
import type { FollowsReadModel } from '../read-models/follows-read-model';
import type { PostsReadModel } from '../read-models/posts-read-model';
import type { SessionsReadModel } from '../read-models/sessions-read-model';
import type { TokensReadModel } from '../read-models/tokens-read-model';
import type { UsersReadModel } from '../read-models/users-read-model';

/**
 * A projection writes one event type into a read model, all or none, and returns how many rows
 * were new (the rest were redeliveries, which change nothing). It never waits for another event
 * (a token for its user): whichever arrives first is written, and reads join them. What a failure
 * means (read again, retry, dead-letter) is decided by classify-failure.ts.
 */
export type Projection<T extends EventType = EventType> = EventHandler<T>;

type Write<T extends EventType> = (records: Array<Located<EventOf<T>>>) => Promise<number>;

const projectionOf = <T extends EventType>(eventType: T, handle: Write<T>): Projection<T> => ({ eventType, handle });

/**
 * The read-model write of a chunk, in a span of its own under the chunk's `process` span
 * (@herald/kafka's batch consumer): what the database took, apart from opening sealed fields.
 */
const readModelWrite = <R>(records: number, write: () => Promise<R>): Promise<R> =>
  inInternalSpan(defaultTracer(), 'read-model write', { 'db.system.name': 'postgresql', 'herald.records': records }, write);

/** A write of several statements, made all or none by a transaction of its own. */
const inTransaction =
  <T extends EventType>(sequelize: Sequelize, write: (records: Array<Located<EventOf<T>>>, transaction: Transaction) => Promise<number>): Write<T> =>
  (records) =>
    readModelWrite(records.length, () => sequelize.transaction((transaction) => write(records, transaction)));

/**
 * A write of events with sealed personal data: opened first (their users' keys are fetched before
 * the transaction, never inside it), then written in a transaction of its own. Events of deleted
 * users do not open and are not written.
 */
const unsealedInTransaction =
  <T extends SealedEvent['type']>(
    sequelize: Sequelize,
    unsealRecords: RecordUnsealer,
    write: (records: Array<Located<Unsealed<EventOf<T>>>>, transaction: Transaction) => Promise<number>,
  ): Write<T> =>
  async (records) => {
    const opened = await unsealRecords(records);
    return opened.length === 0 ? 0 : readModelWrite(opened.length, () => sequelize.transaction((transaction) => write(opened, transaction)));
  };

type SealedDependencies = { sequelize: Sequelize; unsealRecords: RecordUnsealer };

// Every write of a user's data takes the user's lock first, in a transaction, so that an account
// deletion projected at the same moment cannot commit in between (account-deletions.ts).
export const createUsersProjection = ({ users, sequelize, unsealRecords }: SealedDependencies & { users: UsersReadModel }) =>
  projectionOf('new-user-created', unsealedInTransaction<'new-user-created'>(sequelize, unsealRecords, users.upsert));

/** Profile changes: the highest revision of each user wins, whichever of sign-up and changes comes first. */
export const createUserUpdatesProjection = ({ users, sequelize, unsealRecords }: SealedDependencies & { users: UsersReadModel }) =>
  projectionOf('user-updated', unsealedInTransaction<'user-updated'>(sequelize, unsealRecords, users.upsert));

/** Deleted accounts: everything of the user leaves every read model, its tombstone stays, and its key is forgotten. */
export const createAccountDeletionsProjection = ({ deletions, sequelize, userKeys }: { deletions: AccountDeletions; sequelize: Sequelize; userKeys: Pick<UserKeys, 'forget'> }) =>
  projectionOf('user-deleted', async (records) => {
    const deleted = await readModelWrite(records.length, () => sequelize.transaction((transaction) => deletions.delete(records, transaction)));
    for (const { event } of records) userKeys.forget(event.payload.userId);
    return deleted;
  });

export const createTokensProjection = ({ tokens, sequelize }: { tokens: TokensReadModel; sequelize: Sequelize }) => projectionOf('issued-token', inTransaction(sequelize, tokens.insert));

/** Posts with their fan-out to feeds. */
export const createPostsProjection = ({ posts, sequelize, unsealRecords }: SealedDependencies & { posts: PostsReadModel }) =>
  projectionOf('post-created', unsealedInTransaction<'post-created'>(sequelize, unsealRecords, posts.insert));

/** Deleted posts: gone from the posts and every feed, kept as tombstones. */
export const createPostDeletionsProjection = ({ posts, sequelize }: { posts: PostsReadModel; sequelize: Sequelize }) =>
  projectionOf('post-deleted', inTransaction(sequelize, posts.delete));

/** Follows with their backfill, and unfollows with their removal from the feed. */
export const createFollowsProjection = ({ follows, sequelize }: { follows: FollowsReadModel; sequelize: Sequelize }) => projectionOf('user-followed', inTransaction(sequelize, follows.follow));

export const createUnfollowsProjection = ({ follows, sequelize }: { follows: FollowsReadModel; sequelize: Sequelize }) => projectionOf('user-unfollowed', inTransaction(sequelize, follows.unfollow));

/** Ended sessions, for the read API's token verifier. */
export const createSessionsProjection = ({ sessions }: { sessions: SessionsReadModel }) => projectionOf('session-ended', (records) => readModelWrite(records.length, () => sessions.insert(records)));
