import { randomUUID } from 'node:crypto';
import { parseEvent } from '@herald/events';
import { eventually, isReady, murmur2Partition, silentLogger, startProbe, testKafka } from '@herald/testing';
import { request } from './support/contract';
import type { ProducerConfig } from '../src/config';
import { startProducer, type RunningProducer } from '../src/main';
import { outboxCounts } from './support/outbox';
import { createTestDatabase, testProducerConfig } from './support/test-env';
import { signedInUser } from './support/users';
import { openedPayload } from './support/opened';

describe('feed writes over REST: posts and follows through the outbox (real Kafka, real PostgreSQL)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let config: ProducerConfig;
  let producer: RunningProducer;
  let probe: Awaited<ReturnType<typeof startProbe>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    config = testProducerConfig({ databaseUrl: database.url });
    producer = await startProducer(config, silentLogger('producer-test'));
    await eventually(isReady(producer.url), { what: 'producer ready (topics created)' });
    probe = await startProbe(testKafka(), [config.topics.postCreated, config.topics.postDeleted, config.topics.userFollowed, config.topics.userUnfollowed]);
  });

  afterAll(async () => {
    await probe?.stop();
    await producer?.stop();
    await database?.drop();
  });

  const url = () => producer.url;
  const post = { title: 'Hello, feed', body: 'A first post, long enough.' };
  const outboxRows = async () => {
    const { pending, sent } = await outboxCounts(database.url);
    return pending + sent;
  };
  const drained = () => eventually(async () => (await outboxCounts(database.url)).pending === 0, { what: 'outbox drained' });

  it('when a user posts, answers 201 with the post and publishes one post-created record keyed by the author, readable by id', async () => {
    const { user, auth } = await signedInUser(url());
    const created = await request(url(), 'POST', '/posts', { title: '  Hello, feed  ', body: post.body }, auth);

    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), authorId: user.id, title: 'Hello, feed', body: post.body, createdAt: expect.any(String) });
    const [record] = await probe.waitFor((r) => r.topic === config.topics.postCreated && r.key === user.id);
    expect(record!.partition).toBe(murmur2Partition(user.id, 8));
    const event = parseEvent(JSON.parse(record!.value));
    expect(event.type).toBe('post-created');
    expect(record!.value).not.toContain('Hello, feed');
    expect(await openedPayload(url(), event)).toEqual({ postId: created.body.id, authorId: user.id, title: 'Hello, feed', body: post.body, createdAt: created.body.createdAt });

    const found = await request(url(), 'GET', `/posts/${created.body.id as string}`, undefined, auth);
    expect(found.status).toBe(200);
    expect(found.body).toEqual(created.body);
    expect((await request(url(), 'GET', `/posts/${randomUUID()}`, undefined, auth)).status).toBe(404);
    expect((await request(url(), 'GET', '/posts/not-a-uuid', undefined, auth)).status).toBe(400);
  });

  it.each([
    ['a title under 2 characters', { ...post, title: ' a ' }, 'title'],
    ['a title over 100 characters', { ...post, title: 'x'.repeat(101) }, 'title'],
    ['a body under 10 characters', { ...post, body: 'too short' }, 'body'],
    ['a body over 1000 characters', { ...post, body: 'y'.repeat(1001) }, 'body'],
    ['a right-to-left override in the title', { ...post, title: 'evil\u202etxt.exe' }, 'title'],
    ['a zero-width space in the body', { ...post, body: 'invisible\u200bcharacters here' }, 'body'],
    ['a NUL in the body', { ...post, body: 'nul byte \u0000 in the body' }, 'body'],
    ['a missing body', { title: post.title }, 'body'],
    ['an author field (the actor is the token)', { ...post, authorId: randomUUID() }, 'authorId'],
  ])('when a post has %s, answers 400 naming the field, echoes nothing and publishes nothing', async (_what, body, field) => {
    const { auth } = await signedInUser(url());
    const before = await outboxRows();
    const response = await request(url(), 'POST', '/posts', body, auth);

    expect(response.status).toBe(400);
    expect(response.body.error.details.map((detail: { path: string }) => detail.path)).toEqual([field]);
    for (const value of Object.values(body)) if (value.length > 3) expect(JSON.stringify(response.body)).not.toContain(value);
    expect(await outboxRows()).toBe(before);
  });

  it('when a body has line feeds, they are kept (a post may have paragraphs)', async () => {
    const { auth } = await signedInUser(url());
    const response = await request(url(), 'POST', '/posts', { title: post.title, body: 'First paragraph.\nSecond one.' }, auth);
    expect(response.status).toBe(201);
    expect(response.body.body).toBe('First paragraph.\nSecond one.');
  });

  it('when the feed routes are called without a valid bearer token, answer 401 and write nothing', async () => {
    const { user } = await signedInUser(url());
    for (const [method, path, body] of [
      ['POST', '/posts', post],
      ['GET', `/posts/${randomUUID()}`, undefined],
      ['POST', '/follows', { followeeId: user.id }],
      ['DELETE', `/follows/${user.id}`, undefined],
    ] as const) {
      const response = await request(url(), method, path, body, { authorization: 'Bearer not-a-jwt' });
      expect(response.status).toBe(401);
    }
  });

  it('when a user follows twice, both answer 201 and one user-followed record is published; unfollowing twice publishes one user-unfollowed with the next revision', async () => {
    const follower = await signedInUser(url());
    const { user: followee } = await signedInUser(url());

    const first = await request(url(), 'POST', '/follows', { followeeId: followee.id }, follower.auth);
    const second = await request(url(), 'POST', '/follows', { followeeId: followee.id }, follower.auth);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body).toEqual(first.body);
    expect(first.body).toEqual({ followerId: follower.user.id, followeeId: followee.id, followedAt: expect.any(String) });

    expect((await request(url(), 'DELETE', `/follows/${followee.id}`, undefined, follower.auth)).status).toBe(204);
    expect((await request(url(), 'DELETE', `/follows/${followee.id}`, undefined, follower.auth)).status).toBe(204);
    await drained();

    const ofPair = (topic: string) => (r: { topic: string; key: string | null; value: string }) =>
      r.topic === topic && r.key === follower.user.id && JSON.parse(r.value).payload.followeeId === followee.id;
    const [followed] = await probe.waitFor(ofPair(config.topics.userFollowed));
    const [unfollowed] = await probe.waitFor(ofPair(config.topics.userUnfollowed));
    expect(parseEvent(JSON.parse(followed!.value)).payload).toMatchObject({ followerId: follower.user.id, revision: 1 });
    expect(parseEvent(JSON.parse(unfollowed!.value)).payload).toMatchObject({ followerId: follower.user.id, revision: 2 });
    expect(probe.records.filter(ofPair(config.topics.userFollowed))).toHaveLength(1);
    expect(probe.records.filter(ofPair(config.topics.userUnfollowed))).toHaveLength(1);
  });

  it('when a user follows themselves, answers 400; an unknown user, 404; a followee id that is no UUID, 400', async () => {
    const { user, auth } = await signedInUser(url());
    const self = await request(url(), 'POST', '/follows', { followeeId: user.id }, auth);
    expect(self.status).toBe(400);
    expect(self.body.error.details).toEqual([{ path: 'followeeId', message: 'must not be yourself' }]);
    expect((await request(url(), 'POST', '/follows', { followeeId: randomUUID() }, auth)).status).toBe(404);
    expect((await request(url(), 'POST', '/follows', { followeeId: 'nobody' }, auth)).status).toBe(400);
    expect((await request(url(), 'DELETE', '/follows/nobody', undefined, auth)).status).toBe(400);
  });

  it('when an author deletes their post, answers 204 and publishes one post-deleted keyed by the author; another user gets 403, an unknown post 404', async () => {
    const { user, auth } = await signedInUser(url());
    const other = await signedInUser(url());
    const created = await request(url(), 'POST', '/posts', post, auth);
    const postId = created.body.id as string;

    expect((await request(url(), 'DELETE', `/posts/${postId}`, undefined, other.auth)).status).toBe(403);
    expect((await request(url(), 'DELETE', `/posts/${randomUUID()}`, undefined, auth)).status).toBe(404);
    expect((await request(url(), 'DELETE', '/posts/not-a-uuid', undefined, auth)).status).toBe(400);
    expect((await request(url(), 'DELETE', `/posts/${postId}`, undefined, {})).status).toBe(401);
    const deleted = await request(url(), 'DELETE', `/posts/${postId}`, undefined, auth);
    expect(deleted.status).toBe(204);
    expect((await request(url(), 'GET', `/posts/${postId}`, undefined, auth)).status).toBe(404);
    expect((await request(url(), 'DELETE', `/posts/${postId}`, undefined, auth)).status).toBe(404);

    const [record] = await probe.waitFor((r) => r.topic === config.topics.postDeleted && r.key === user.id);
    expect(parseEvent(JSON.parse(record!.value))).toMatchObject({ type: 'post-deleted', payload: { postId, authorId: user.id } });
    await drained();
    expect(probe.records.filter((r) => r.topic === config.topics.postDeleted && r.key === user.id)).toHaveLength(1);
  });
});
