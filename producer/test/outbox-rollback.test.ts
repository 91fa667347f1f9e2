import { eventually, isReady, newUser, queryNumber, queryRows, recordCount, startProbe, testKafka } from '@herald/testing';
import { request } from './support/contract';
import { createLogger } from '@herald/core';
import type { Kafka } from 'kafkajs';
import type { Transaction } from 'sequelize';
import { createPasswordHasher } from '../src/auth/password-hasher';
import type { ProducerConfig } from '../src/config';
import { createSequelize } from '@herald/db';
import { defineModels } from '../src/db/models';
import { startProducer, type RunningProducer } from '../src/main';
import { createOutboxWriter, type OutboxEntry } from '../src/outbox/outbox-writer';
import { createUserKeys } from '../src/personal-data/user-keys';
import { createSignUp } from '../src/users/sign-up';
import { createUserRepository } from '../src/users/user-repository';
import { signUpSchema } from '../src/users/user-schemas';
import { outboxCounts } from './support/outbox';
import { createTestDatabase, testProducerConfig } from './support/test-env';

const logger = createLogger({ name: 'producer-test', level: 'silent' });

describe('no event for a write that rolled back', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let config: ProducerConfig;
  let producer: RunningProducer;
  let kafka: Kafka;

  beforeAll(async () => {
    database = await createTestDatabase();
    config = testProducerConfig({ databaseUrl: database.url });
    producer = await startProducer(config, logger);
    await eventually(isReady(producer.url), { what: 'producer ready' });
    kafka = testKafka();
  });

  afterAll(async () => {
    await producer?.stop();
    await database?.drop();
  });

  const drained = () => eventually(async () => (await outboxCounts(database.url)).pending === 0, { what: 'outbox drained' });

  it('when a sign-up repeats a username or e-mail (in any case), answers 409 and publishes nothing for it', async () => {
    const body = newUser();
    expect((await request(producer.url, 'POST', '/users', body)).status).toBe(201);

    const sameName = await request(producer.url, 'POST', '/users', newUser({ username: body.username.toUpperCase() }));
    expect(sameName.status).toBe(409);
    expect(sameName.body.error).toEqual({ code: 'CONFLICT', message: 'Username is already taken', details: [{ path: 'username', message: 'already taken' }] });
    const sameEmail = await request(producer.url, 'POST', '/users', newUser({ email: body.email.toUpperCase() }));
    expect(sameEmail.status).toBe(409);
    expect(sameEmail.body.error.details).toEqual([{ path: 'email', message: 'already taken' }]);

    await drained();
    expect(await queryNumber(database.url, 'SELECT count(*) FROM users WHERE lower(username) = lower($1)', [body.username])).toBe(1);
    expect(await recordCount(kafka, config.topics.newUserCreated)).toBe(1);
  });

  it('when the same username signs up ten times at once, exactly one succeeds and exactly one event is published', async () => {
    const before = await recordCount(kafka, config.topics.newUserCreated);
    const username = newUser().username;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => request(producer.url, 'POST', '/users', newUser({ username }))),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    await drained();
    expect(await recordCount(kafka, config.topics.newUserCreated)).toBe(before + 1);
  });

  it('when the transaction fails after the outbox row was written, neither the user nor its event survives', async () => {
    const sequelize = createSequelize({ config: config.database, logger });
    const models = defineModels(sequelize);
    const realOutbox = createOutboxWriter({ sequelize });
    const failingOutbox = {
      ...realOutbox,
      async add(entry: OutboxEntry, transaction: Transaction) {
        await realOutbox.add(entry, transaction);
        throw new Error('simulated failure after the outbox insert');
      },
    };
    const signUp = createSignUp({
      sequelize,
      users: createUserRepository({ models }),
      userKeys: createUserKeys({ sequelize }),
      outbox: failingOutbox,
      hasher: await createPasswordHasher(config.argon2),
      topic: config.topics.newUserCreated,
    });
    const probe = await startProbe(kafka, [config.topics.newUserCreated]);
    try {
      const doomed = signUpSchema.parse(newUser());
      await expect(signUp(doomed)).rejects.toThrow('simulated failure');
      expect(await queryNumber(database.url, 'SELECT count(*) FROM users WHERE username = $1', [doomed.username])).toBe(0);

      // A later sign-up goes through the same relay; once its event is on the topic, the failed
      // one would have been too.
      const later = await request(producer.url, 'POST', '/users', newUser());
      await probe.waitFor((record) => record.key === later.body.id);
      // Every record on the topic and every outbox row of it is a user who exists: none is the doomed one's.
      const userIds = new Set((await queryRows<{ id: string }>(database.url, 'SELECT id FROM users')).map((row) => row.id));
      expect(probe.records.filter((record) => !userIds.has(record.key!))).toEqual([]);
      expect(await queryNumber(database.url, 'SELECT count(*) FROM outbox_events WHERE topic = $1 AND key NOT IN (SELECT id::text FROM users)', [config.topics.newUserCreated])).toBe(0);
      expect(await queryNumber(database.url, 'SELECT count(*) FROM user_keys')).toBe(userIds.size);
    } finally {
      await probe.stop();
      await sequelize.close();
    }
  });
});
