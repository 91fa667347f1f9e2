import { randomUUID } from 'node:crypto';
import { eventually, queryNumber, testKafka } from '@herald/testing';
import { asMessage, followChangeEvent, postCreatedEvent, publish, tokenIssuedEvent, userCreatedEvent, userDeletedEvent, userUpdatedEvent } from './support/events';
import { groupsCaughtUp } from './support/caught-up';
import { startInProcessConsumer, type InProcessConsumer } from './support/in-process-consumer';

/**
 * A deleted account leaves every read model, and deletion wins in any order: an event of the user
 * projected after the deletion (another topic, a retry, a replay) writes nothing (real Kafka, real
 * PostgreSQL).
 */
describe('account deletion in the read models', () => {
  const kafka = testKafka();
  let consumer: InProcessConsumer;

  beforeAll(async () => {
    consumer = await startInProcessConsumer();
  }, 120_000);

  afterAll(async () => {
    await consumer?.stop();
  });

  const count = (sql: string, params: unknown[]) => queryNumber(consumer.databaseUrl, sql, params);
  /** Every row that mentions the user, in every read model. */
  const rowsOf = async (userId: string) => ({
    users: await count('SELECT count(*) FROM users WHERE id = $1', [userId]),
    tokens: await count('SELECT count(*) FROM issued_tokens WHERE user_id = $1', [userId]),
    posts: await count('SELECT count(*) FROM posts WHERE author_id = $1', [userId]),
    follows: await count('SELECT count(*) FROM follows WHERE follower_id = $1 OR followee_id = $1', [userId]),
    feeds: await count('SELECT count(*) FROM feed_entries WHERE viewer_id = $1 OR author_id = $1', [userId]),
  });
  const none = { users: 0, tokens: 0, posts: 0, follows: 0, feeds: 0 };
  /** Everything the user did, on every topic. */
  const historyOf = async (userId: string, friendId: string) => {
    await publish(kafka, consumer.topics.newUserCreated, [asMessage(userCreatedEvent({ userId }))]);
    await publish(kafka, consumer.topics.userUpdated, [asMessage(userUpdatedEvent(userId, 2))]);
    await publish(kafka, consumer.topics.issuedToken, [asMessage(tokenIssuedEvent(userId))]);
    await publish(kafka, consumer.topics.userFollowed, [asMessage(followChangeEvent(userId, friendId)), asMessage(followChangeEvent(friendId, userId))]);
    await publish(kafka, consumer.topics.postCreated, [asMessage(postCreatedEvent(userId)), asMessage(postCreatedEvent(friendId))]);
  };
  const caughtUp = () =>
    groupsCaughtUp(consumer, [
      ['users', consumer.topics.newUserCreated],
      ['user-updates', consumer.topics.userUpdated],
      ['user-deletions', consumer.topics.userDeleted],
      ['tokens', consumer.topics.issuedToken],
      ['follows', consumer.topics.userFollowed],
      ['posts', consumer.topics.postCreated],
    ]);

  it('after everything the user did, the deletion leaves no row of the user in any read model', async () => {
    const [userId, friendId] = [randomUUID(), randomUUID()];
    await historyOf(userId, friendId);
    await eventually(async () => (await rowsOf(userId)).feeds === 2, { what: 'the history projected (a post in each feed)' });

    await publish(kafka, consumer.topics.userDeleted, [asMessage(userDeletedEvent(userId))]);
    await eventually(async () => (await count('SELECT count(*) FROM deleted_users WHERE user_id = $1', [userId])) === 1, { what: 'the deletion projected' });
    expect(await rowsOf(userId)).toEqual(none);
    // The friend keeps their own post, no longer in the deleted user's feed.
    expect(await count('SELECT count(*) FROM posts WHERE author_id = $1', [friendId])).toBe(1);
  });

  it('when the deletion is projected first, nothing the user did, projected later, writes anything', async () => {
    const [userId, friendId] = [randomUUID(), randomUUID()];
    await publish(kafka, consumer.topics.userDeleted, [asMessage(userDeletedEvent(userId))]);
    await eventually(async () => (await count('SELECT count(*) FROM deleted_users WHERE user_id = $1', [userId])) === 1, { what: 'the deletion projected' });

    await historyOf(userId, friendId);
    await caughtUp();
    expect(await rowsOf(userId)).toEqual(none);
    expect(await count('SELECT count(*) FROM posts WHERE author_id = $1', [friendId])).toBe(1);
  });
});
