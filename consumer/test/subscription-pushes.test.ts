import { buildEvent } from '@herald/events';
import { eventually, isReady, murmur2Partition, queryNumber, recordCount, testKafka } from '@herald/testing';
import { randomUUID } from 'node:crypto';
import { AssignerProtocol, type Admin } from 'kafkajs';
import { asMessage, publish, tokenIssuedEvent, userCreatedEvent } from './support/events';
import { gql } from './support/graphql';
import { wsClient, type Subscriber } from './support/subscriptions';
import { startSystem, type TestSystem } from './support/system';

const PARTITIONS = 8;

/** A user id whose records land on `partition`. */
function userIdOn(partition: number): string {
  for (;;) {
    const id = randomUUID();
    if (murmur2Partition(id, PARTITIONS) === partition) return id;
  }
}

/** Partitions each member of the group holds now, per member. */
async function assignments(admin: Admin, groupId: string): Promise<number[][]> {
  const [group] = (await admin.describeGroups([groupId])).groups;
  return (group?.members ?? []).map((member) => Object.values(AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment ?? {}).flat());
}

describe('userCreated and tokenIssued are pushed from the projections’ commits, to every consumer task', () => {
  let system: TestSystem;
  let second: { url: string };
  const kafka = testKafka();
  const admin = kafka.admin();
  const topics = { users: '', tokens: '' };
  const USERS_SUBSCRIPTION = 'subscription { userCreated { id username firstName lastName createdAt } }';
  const TOKENS_SUBSCRIPTION = 'subscription { tokenIssued { jti userId reason partition offset } }';

  beforeAll(async () => {
    system = await startSystem({ producer: false });
    second = await system.addConsumer();
    await eventually(isReady(second.url), { timeoutMs: 60_000, what: 'the second task in its groups' });
    topics.users = `${system.topicPrefix}new-user-created`;
    topics.tokens = `${system.topicPrefix}issued-token`;
    await admin.connect();
    // Both tasks project: each holds some partitions of the users and of the tokens group.
    await eventually(
      async () => {
        const groups = await Promise.all([assignments(admin, `${system.groupPrefix}.users`), assignments(admin, `${system.groupPrefix}.tokens`)]);
        return groups.every((members) => members.length === 2 && members.every((partitions) => partitions.length > 0));
      },
      { timeoutMs: 60_000, what: 'both tasks sharing the partitions' },
    );
  }, 180_000);

  afterAll(async () => {
    await admin.disconnect();
    await system?.stop();
  });

  /** Subscribers on both tasks (an operator hears every token), in place once each has heard a push. */
  async function subscribeOnBothTasks(onData?: (task: string, data: any) => void) {
    const sockets = [system.consumerUrl, second.url].map((url) => ({ url, socket: wsClient(url, system.asOperator) }));
    const subscribers = sockets.flatMap(({ url, socket }) => [
      { url, kind: 'users' as const, subscriber: socket.subscribe(USERS_SUBSCRIPTION, (data) => onData?.(url, data)) },
      { url, kind: 'tokens' as const, subscriber: socket.subscribe(TOKENS_SUBSCRIPTION, (data) => onData?.(url, data)) },
    ]);
    await eventually(
      async () => {
        const user = userCreatedEvent();
        await publish(kafka, topics.users, [asMessage(user)]);
        await publish(kafka, topics.tokens, [asMessage(tokenIssuedEvent(user.payload.userId))]);
        return subscribers.every(({ subscriber }) => subscriber.received.length > 0);
      },
      { intervalMs: 500, timeoutMs: 60_000, what: 'every subscription in place' },
    );
    return {
      users: (url: string) => subscribers.find((entry) => entry.url === url && entry.kind === 'users')!.subscriber,
      tokens: (url: string) => subscribers.find((entry) => entry.url === url && entry.kind === 'tokens')!.subscriber,
      close: () => Promise.all(sockets.map(({ socket }) => socket.close())),
    };
  }

  const heardUsers = (subscriber: Subscriber, id: string) => subscriber.received.filter((data) => data.userCreated.id === id).length;
  const heardTokens = (subscriber: Subscriber, jti: string) => subscriber.received.filter((data) => data.tokenIssued.jti === jti).length;

  it('when the same event is on the topic three times, each subscriber on each task hears it once', async () => {
    const subscribers = await subscribeOnBothTasks();
    try {
      const partition = 3;
      const twice = userCreatedEvent({ userId: userIdOn(partition) });
      const afterUser = userCreatedEvent({ userId: userIdOn(partition) });
      const token = tokenIssuedEvent(twice.payload.userId);
      const afterToken = tokenIssuedEvent(twice.payload.userId);
      // The same records (same event ids) in separate sends and in one, then a later one on the
      // same partition: once it is heard, the projections have passed every copy.
      await publish(kafka, topics.users, [asMessage(twice)]);
      await publish(kafka, topics.tokens, [asMessage(token)]);
      await publish(kafka, topics.users, [asMessage(twice), asMessage(twice)]);
      await publish(kafka, topics.tokens, [asMessage(token), asMessage(token)]);
      await publish(kafka, topics.users, [asMessage(afterUser)]);
      await publish(kafka, topics.tokens, [asMessage(afterToken)]);
      for (const url of [system.consumerUrl, second.url]) {
        await eventually(async () => heardUsers(subscribers.users(url), afterUser.payload.userId) > 0 && heardTokens(subscribers.tokens(url), afterToken.payload.jti) > 0, {
          what: `the later events heard on ${url}`,
        });
      }

      for (const url of [system.consumerUrl, second.url]) {
        expect(heardUsers(subscribers.users(url), twice.payload.userId)).toBe(1);
        expect(heardTokens(subscribers.tokens(url), token.payload.jti)).toBe(1);
      }
      expect(await queryNumber(system.consumerDatabaseUrl, 'SELECT count(*) FROM issued_tokens WHERE jti = $1', [token.payload.jti])).toBe(1);
      const [pushed] = subscribers.tokens(system.consumerUrl).received.filter((data) => data.tokenIssued.jti === token.payload.jti);
      expect(pushed.tokenIssued).toEqual({ jti: token.payload.jti, userId: twice.payload.userId, reason: 'login', partition, offset: expect.stringMatching(/^\d+$/) });
      const [created] = subscribers.users(second.url).received.filter((data) => data.userCreated.id === twice.payload.userId);
      expect(created.userCreated).toEqual({ id: twice.payload.userId, username: twice.payload.username, firstName: null, lastName: null, createdAt: twice.payload.createdAt });
    } finally {
      await subscribers.close();
    }
  }, 120_000);

  it('a user at the event schema’s limits, each character escaped in JSON, is projected and pushed whole (its NOTIFY stays under 8000 bytes)', async () => {
    const subscribers = await subscribeOnBothTasks();
    try {
      const control = '\u0001'; // PostgreSQL's JSON writes it as \u0001: six bytes for one character
      const widest = buildEvent('new-user-created', {
        userId: randomUUID(),
        username: control.repeat(32),
        email: `${'a'.repeat(242)}@example.com`,
        firstName: control.repeat(300),
        lastName: control.repeat(300),
        createdAt: new Date().toISOString(),
      });
      expect(Buffer.byteLength(JSON.stringify(widest.payload))).toBeGreaterThan(4000);
      await publish(kafka, topics.users, [asMessage(widest)]);
      await eventually(async () => heardUsers(subscribers.users(system.consumerUrl), widest.payload.userId) === 1, { what: 'the widest user pushed' });
      const [pushed] = subscribers.users(system.consumerUrl).received.filter((data) => data.userCreated.id === widest.payload.userId);
      const { userId, email: _email, ...shown } = widest.payload;
      expect(pushed.userCreated).toEqual({ id: userId, ...shown });
      const user = await gql(system.consumerUrl, 'query($id: ID!) { user(id: $id) { username firstName lastName } }', { id: widest.payload.userId });
      expect(user.data.user).toEqual({ username: widest.payload.username, firstName: widest.payload.firstName, lastName: widest.payload.lastName });
      expect(await recordCount(kafka, `${system.topicPrefix}dead-letter-queue`)).toBe(0);
    } finally {
      await subscribers.close();
    }
  }, 120_000);

  it('a subscriber on either task hears every event, including those the other task projected', async () => {
    const subscribers = await subscribeOnBothTasks();
    try {
      // One user and one token on every partition: each task projects only the partitions it holds.
      const users = Array.from({ length: PARTITIONS }, (_, partition) => userCreatedEvent({ userId: userIdOn(partition) }));
      const tokens = users.map((user) => tokenIssuedEvent(user.payload.userId));
      const held = await Promise.all([assignments(admin, `${system.groupPrefix}.users`), assignments(admin, `${system.groupPrefix}.tokens`)]);
      expect(held.map((members) => members.map((partitions) => partitions.length > 0))).toEqual([
        [true, true],
        [true, true],
      ]);
      await publish(kafka, topics.users, users.map(asMessage));
      await publish(kafka, topics.tokens, tokens.map(asMessage));

      for (const url of [system.consumerUrl, second.url]) {
        await eventually(
          async () => users.every((user) => heardUsers(subscribers.users(url), user.payload.userId) === 1) && tokens.every((token) => heardTokens(subscribers.tokens(url), token.payload.jti) === 1),
          { what: `all ${PARTITIONS} users and tokens heard on ${url}` },
        );
      }
    } finally {
      await subscribers.close();
    }
  }, 120_000);

  it('on hearing a push, a query made at once finds the user or the token', async () => {
    const lookups: Array<Promise<{ what: string; found: boolean }>> = [];
    const subscribers = await subscribeOnBothTasks((url, data) => {
      // Started from the push handler itself, before the test does anything else.
      if (data.userCreated) {
        const { id } = data.userCreated;
        lookups.push(gql(url, 'query($id: ID!) { user(id: $id) { id } }', { id }).then((answer) => ({ what: `user ${id} on ${url}`, found: answer.data?.user?.id === id })));
      } else {
        const { jti } = data.tokenIssued;
        lookups.push(queryNumber(system.consumerDatabaseUrl, 'SELECT count(*) FROM issued_tokens WHERE jti = $1', [jti]).then((count) => ({ what: `token ${jti}`, found: count === 1 })));
      }
    });
    try {
      const users = Array.from({ length: 4 * PARTITIONS }, (_, i) => userCreatedEvent({ userId: userIdOn(i % PARTITIONS) }));
      const tokens = users.map((user) => tokenIssuedEvent(user.payload.userId));
      await Promise.all([publish(kafka, topics.users, users.map(asMessage)), publish(kafka, topics.tokens, tokens.map(asMessage))]);
      for (const url of [system.consumerUrl, second.url]) {
        await eventually(
          async () => users.every((user) => heardUsers(subscribers.users(url), user.payload.userId) > 0) && tokens.every((token) => heardTokens(subscribers.tokens(url), token.payload.jti) > 0),
          { what: `every push heard on ${url}` },
        );
      }

      const results = await Promise.all(lookups);
      expect(results.length).toBeGreaterThanOrEqual(2 * 2 * users.length);
      expect(results.filter((result) => !result.found)).toEqual([]);
    } finally {
      await subscribers.close();
    }
  }, 120_000);
});
