import { randomBytes } from 'node:crypto';
import { buildEvent, childTraceparent, isTraceparent, keyOf, parseEvent, postContentSchema, seal, topicNames, userProfileSchema } from './index';

const userId = '6f1f3c1e-8a1b-4c41-9d0a-1d8a0d7e2b11';
const key = randomBytes(32);
const ada = { username: 'ada', email: 'ada@example.com', firstName: 'Ada', lastName: null };

describe('event schemas', () => {
  it('builds a new-user-created envelope that parses back to the same event, its profile sealed', () => {
    const event = buildEvent('new-user-created', { userId, profile: seal(userProfileSchema, ada, { userId, key }), createdAt: new Date().toISOString() });

    expect(event).toMatchObject({ type: 'new-user-created', version: 2, payload: { userId } });
    expect(parseEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
    expect(JSON.stringify(event)).not.toMatch(/ada/);
  });

  it('refuses a payload that carries a field outside the schema, such as a password hash or a plain e-mail', () => {
    const profile = seal(userProfileSchema, ada, { userId, key });
    const build = () =>
      buildEvent('new-user-created', {
        userId,
        profile,
        createdAt: new Date().toISOString(),
        passwordHash: '$argon2id$...',
      } as never);
    expect(() => buildEvent('new-user-created', { userId, profile, createdAt: new Date().toISOString(), email: 'ada@example.com' } as never)).toThrow(/email/);

    expect(build).toThrow(/passwordHash/);
  });

  it('refuses an issued-token event with an unknown reason', () => {
    const now = new Date().toISOString();
    expect(() =>
      buildEvent('issued-token', { jti: userId, userId, reason: 'magic' as never, issuedAt: now, expiresAt: now }),
    ).toThrow(/reason/);
  });

  it('builds post-created and user-followed envelopes that parse back to the same events', () => {
    const now = new Date().toISOString();
    const content = seal(postContentSchema, { title: 'Hello', body: 'A first post.' }, { userId, key });
    const post = buildEvent('post-created', { postId: userId, authorId: userId, content, createdAt: now });
    const follow = buildEvent('user-followed', { followerId: userId, followeeId: userId, revision: 1, at: now });
    expect(parseEvent(JSON.parse(JSON.stringify(post)))).toEqual(post);
    expect(parseEvent(JSON.parse(JSON.stringify(follow)))).toEqual(follow);
  });

  it('refuses a follow change without a positive revision, which would make its order unknowable', () => {
    const now = new Date().toISOString();
    expect(() => buildEvent('user-unfollowed', { followerId: userId, followeeId: userId, revision: 0, at: now })).toThrow(/revision/);
  });

  it('keys a post by its author and a follow by its follower, every other event by its user', () => {
    const now = new Date().toISOString();
    const [author, follower] = ['1b0f6c2e-3f6a-4d2b-8c1e-5a7d9e0f1a2b', '2c1a7d3f-4a7b-4e3c-9d2f-6b8e0f1a2b3c'];
    expect(keyOf(buildEvent('post-deleted', { postId: userId, authorId: author, deletedAt: now }))).toBe(author);
    expect(keyOf(buildEvent('user-unfollowed', { followerId: follower, followeeId: userId, revision: 2, at: now }))).toBe(follower);
    expect(keyOf(buildEvent('user-deleted', { userId, deletedAt: now }))).toBe(userId);
  });

  it('rejects an event of an unknown type', () => {
    expect(() => parseEvent({ eventId: userId, type: 'user-renamed', version: 1, occurredAt: new Date().toISOString(), payload: {} })).toThrow();
  });
});

describe('topic names', () => {
  it('are the contract names without a prefix and prefixed otherwise', () => {
    expect(topicNames()).toEqual({
      newUserCreated: 'new-user-created',
      userUpdated: 'user-updated',
      userDeleted: 'user-deleted',
      issuedToken: 'issued-token',
      postCreated: 'post-created',
      postDeleted: 'post-deleted',
      userFollowed: 'user-followed',
      userUnfollowed: 'user-unfollowed',
      sessionEnded: 'session-ended',
      retry: 'side-topic-for-retry',
      deadLetter: 'dead-letter-queue',
    });
    expect(topicNames('test-1.').issuedToken).toBe('test-1.issued-token');
  });
});

describe('traceparent', () => {
  it('keeps the trace id of a valid parent and makes a new span id', () => {
    const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const child = childTraceparent(parent);
    expect(isTraceparent(child)).toBe(true);
    expect(child.slice(3, 35)).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(child).not.toBe(parent);
  });

  it('starts a new trace when the parent is missing or malformed', () => {
    expect(isTraceparent(childTraceparent('garbage'))).toBe(true);
    expect(isTraceparent(childTraceparent())).toBe(true);
  });
});
