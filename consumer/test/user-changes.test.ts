import { randomUUID } from 'node:crypto';
import { eventually, queryRows, testKafka } from '@herald/testing';
import { asMessage, publish, userCreatedEvent, userUpdatedEvent } from './support/events';
import { groupsCaughtUp } from './support/caught-up';
import { startInProcessConsumer, type InProcessConsumer } from './support/in-process-consumer';

interface Row {
  username: string;
  first_name: string | null;
  revision: number;
}

/**
 * A sign-up and its profile changes travel on two topics, read by two groups, so they may be
 * projected in any order; the read model keeps the highest revision (real Kafka, real PostgreSQL).
 */
describe('profile changes in the users read model', () => {
  const kafka = testKafka();
  let consumer: InProcessConsumer;

  beforeAll(async () => {
    consumer = await startInProcessConsumer();
  }, 120_000);

  afterAll(async () => {
    await consumer?.stop();
  });

  const row = async (userId: string) => (await queryRows<Row>(consumer.databaseUrl, 'SELECT username, first_name, revision FROM users WHERE id = $1', [userId]))[0];

  it('in order: the sign-up, then each change, and the row follows', async () => {
    const created = userCreatedEvent();
    const { userId } = created.payload;
    await publish(kafka, consumer.topics.newUserCreated, [asMessage(created)]);
    await eventually(async () => (await row(userId))?.revision === 1, { what: 'the sign-up projected' });
    await publish(kafka, consumer.topics.userUpdated, [asMessage(userUpdatedEvent(userId, 2, { firstName: 'Grace' })), asMessage(userUpdatedEvent(userId, 3, { username: 'grace_h', firstName: 'Grace' }))]);
    await eventually(async () => (await row(userId))?.revision === 3, { what: 'both changes projected' });
    expect(await row(userId)).toEqual({ username: 'grace_h', first_name: 'Grace', revision: 3 });
  });

  it('out of order: a change before the sign-up, and an older change after a newer one, never overwrite the newest profile', async () => {
    const userId = randomUUID();
    const newest = userUpdatedEvent(userId, 3, { username: 'newest', firstName: 'Newest' });
    await publish(kafka, consumer.topics.userUpdated, [asMessage(newest)]);
    await eventually(async () => (await row(userId))?.revision === 3, { what: 'the change projected before its sign-up' });

    // An older change (a retry, a replay) and then the sign-up itself, and a redelivery of the newest.
    await publish(kafka, consumer.topics.userUpdated, [asMessage(userUpdatedEvent(userId, 2, { username: 'older' })), asMessage(newest)]);
    await publish(kafka, consumer.topics.newUserCreated, [asMessage(userCreatedEvent({ userId, username: 'signed_up' }))]);
    // Both groups committed past everything sent: every one of these records was projected.
    await groupsCaughtUp(consumer, [
      ['users', consumer.topics.newUserCreated],
      ['user-updates', consumer.topics.userUpdated],
    ]);
    expect(await row(userId)).toEqual({ username: 'newest', first_name: 'Newest', revision: 3 });
  });
});
