import { eventually, queryNumber, queryRows, testKafka, withClient } from '@herald/testing';
import { committedOffsets as committed, endOffsets, uncommitted } from '@herald/kafka';
import type { Admin } from 'kafkajs';
import { asMessage, publish, testProfile, tokenIssuedEvent, userCreatedEvent } from './support/events';
import { startSystem, type TestSystem } from './support/system';

const EVENTS = 3000;

describe('a consumer that crashes', () => {
  let system: TestSystem;
  let admin: Admin;
  const kafka = testKafka();

  beforeAll(async () => {
    system = await startSystem({ producer: false });
    admin = kafka.admin();
    await admin.connect();
  }, 120_000);

  afterAll(async () => {
    await admin?.disconnect();
    await system?.stop();
  });

  it('when killed mid-stream (no clean shutdown) with a write in flight and restarted, ends with exactly the events sent, none twice', async () => {
    const topic = `${system.topicPrefix}new-user-created`;
    const users = Array.from({ length: EVENTS }, () => userCreatedEvent());
    const held = users[EVENTS - 1]!.payload;
    const projected = () => queryNumber(system.consumerDatabaseUrl, 'SELECT count(*) FROM users');

    // The test holds an uncommitted row with the last user's id, so the consumer's INSERT of the
    // chunk holding that user waits on it: the kill always lands mid-stream, with a write in flight
    // and offsets not yet committed past it, however fast this machine projects the rest.
    // Counted while the row is still held: the killed consumer's INSERT that waits on it is an
    // orphaned statement that PostgreSQL finishes (and commits) once the row is let go.
    const atCrash = await withClient(system.consumerDatabaseUrl, async (holder) => {
      await holder.query('BEGIN');
      try {
        await holder.query(
          `INSERT INTO users (id, username, email, created_at, event_id, kafka_partition, kafka_offset)
           VALUES ($1, $2, $3, now(), gen_random_uuid(), 0, 0)`,
          [held.userId, testProfile(held.userId).username, testProfile(held.userId).email],
        );
        await publish(kafka, topic, users.map(asMessage));
        await eventually(async () => (await projected()) > 0, { what: 'projection under way' });
        await system.consumer.stop(1000, 'SIGKILL');
        return await projected();
      } finally {
        // The killed consumer's INSERT may still finish after this; it is idempotent, like a redelivery.
        await holder.query('ROLLBACK');
      }
    });
    expect(atCrash).toBeGreaterThan(0);
    expect(atCrash).toBeLessThan(EVENTS);
    // The group's offsets stop short of the write in flight: at least the held user is read again.
    expect(await uncommitted(admin, `${system.groupPrefix}.users`, topic)).toBeGreaterThan(0);

    await system.restartConsumer();
    await eventually(async () => (await projected()) === EVENTS, { timeoutMs: 60_000, what: `all ${EVENTS} users projected` });
    const ids = await queryRows<{ id: string }>(system.consumerDatabaseUrl, 'SELECT id FROM users');
    expect(new Set(ids.map((row) => row.id))).toEqual(new Set(users.map((user) => user.payload.userId)));
    expect(ids).toHaveLength(EVENTS);
  });

  it('with manual commit, a crash between the database commit and the offset commit redelivers the batch, creates no duplicate, and offsets never run ahead of the database', async () => {
    const topic = `${system.topicPrefix}issued-token`;
    const groupId = `${system.groupPrefix}.tokens`;
    const userIds = (await queryRows<{ id: string }>(system.consumerDatabaseUrl, 'SELECT id FROM users LIMIT 200')).map((row) => row.id);
    const tokens = userIds.map((userId) => tokenIssuedEvent(userId));

    // The consumer kills itself right after its first database commit, before committing the offset.
    await system.consumer.stop();
    await system.restartConsumer({ CRASH_AFTER_COMMIT_OF: 'tokens' }, 'consumer/test/support/crash-after-commit.ts');
    await publish(kafka, topic, tokens.map(asMessage));
    await system.consumer.exited;

    const inDatabase = await queryRows<{ kafka_partition: number; max: string }>(
      system.consumerDatabaseUrl,
      'SELECT kafka_partition, max(kafka_offset) AS max FROM issued_tokens GROUP BY kafka_partition',
    );
    expect(inDatabase.length).toBeGreaterThan(0); // the crashed batch was written...
    const afterCrash = await committed(admin, groupId, topic);
    for (const { kafka_partition: partition, max } of inDatabase) {
      // ...and its offset was not committed: committed offsets trail the database, never lead it.
      expect(afterCrash.get(partition) ?? 0).toBeLessThanOrEqual(Number(max) + 1);
    }
    const crashedPartition = inDatabase.find(({ kafka_partition: partition, max }) => (afterCrash.get(partition) ?? 0) <= Number(max));
    expect(crashedPartition).toBeDefined();

    await system.restartConsumer();
    const ends = await endOffsets(admin, topic);
    await eventually(
      async () => {
        const now = await committed(admin, groupId, topic);
        return [...ends].every(([partition, end]) => end === 0 || now.get(partition) === end);
      },
      { timeoutMs: 60_000, what: 'the tokens group caught up' },
    );
    expect(await queryNumber(system.consumerDatabaseUrl, 'SELECT count(*) FROM issued_tokens')).toBe(tokens.length);
    expect(await queryNumber(system.consumerDatabaseUrl, 'SELECT count(DISTINCT jti) FROM issued_tokens')).toBe(tokens.length);
  }, 120_000);
});
