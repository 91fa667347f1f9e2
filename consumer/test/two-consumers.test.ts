import { eventually, isReady, queryNumber, recordCount, testKafka } from '@herald/testing';
import { asMessage, publish, tokenIssuedEvent, userCreatedEvent } from './support/events';
import { startSystem, type TestSystem } from './support/system';

const USERS = 400;

describe('two consumer tasks, one of which dies', () => {
  let system: TestSystem;
  const kafka = testKafka();

  beforeAll(async () => {
    system = await startSystem({ producer: false });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('when one of two consumer processes is killed -9 mid-stream, every user and every token is projected and nothing is dead-lettered', async () => {
    const second = await system.addConsumer();
    await eventually(isReady(second.url), { timeoutMs: 60_000, what: 'the second task in its groups' });
    const admin = kafka.admin();
    await admin.connect();
    const members = async () => (await admin.describeGroups([`${system.groupPrefix}.users`, `${system.groupPrefix}.tokens`])).groups.map((group) => group.members.length);
    await eventually(async () => (await members()).every((count) => count === 2), { timeoutMs: 60_000, what: 'both tasks sharing the partitions' });
    const users = Array.from({ length: USERS }, () => userCreatedEvent());
    const tokens = users.map((user) => tokenIssuedEvent(user.payload.userId));
    const topics = { users: `${system.topicPrefix}new-user-created`, tokens: `${system.topicPrefix}issued-token` };
    const userCount = () => queryNumber(system.consumerDatabaseUrl, 'SELECT count(*) FROM users');
    const tokenCount = () => queryNumber(system.consumerDatabaseUrl, 'SELECT count(*) FROM issued_tokens');

    // In slices, tokens first (as when a login's event overtakes its sign-up's on another partition).
    const slice = (from: number, to: number) =>
      Promise.all([publish(kafka, topics.tokens, tokens.slice(from, to).map(asMessage)), publish(kafka, topics.users, users.slice(from, to).map(asMessage))]);
    await slice(0, USERS / 4);
    await eventually(async () => (await tokenCount()) > 0, { what: 'projection under way on both tasks' });
    await second.process.stop(1000, 'SIGKILL'); // its partitions sit idle until the session timeout
    await slice(USERS / 4, USERS);
    expect(await members()).toEqual([2, 2]); // the dead task still holds its partitions

    await eventually(async () => (await userCount()) === USERS && (await tokenCount()) === USERS, { timeoutMs: 90_000, what: `all ${USERS} users and tokens projected` });
    expect(await queryNumber(system.consumerDatabaseUrl, 'SELECT count(*) FROM issued_tokens t JOIN users u ON u.id = t.user_id')).toBe(USERS);
    expect(await recordCount(kafka, `${system.topicPrefix}dead-letter-queue`)).toBe(0);
    await admin.disconnect();
  }, 150_000);
});
