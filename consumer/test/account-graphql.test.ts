import { eventually, newUser, queryNumber } from '@herald/testing';
import { gql, LOGIN, SIGN_UP } from './support/graphql';
import { sseSubscribe, wsClient } from './support/subscriptions';
import { startSystem, type TestSystem } from './support/system';

const ME = '{ me { id } }';

/**
 * A user's account changes through GraphQL, and the read API learns it from Kafka: a profile
 * change from user-updated, a session's end from session-ended, after which an access token of the
 * ended session is refused by the consumer as by the producer, though not expired (both services
 * as processes, real Kafka and PostgreSQL).
 */
describe('the account over GraphQL: profile changes, logout, logout everywhere, a new password, deletion', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startSystem({ producerEnv: { SIGNUP_LIMIT_PER_IP: '1000', LOGIN_LIMIT_PER_IP: '1000' } });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  const signUp = async () => {
    const body = newUser();
    const created = await gql(system.consumerUrl, SIGN_UP, { input: { username: body.username, email: body.email, password: body.password } });
    return { id: created.data.signUp.id as string, username: body.username, password: body.password };
  };
  const logIn = async (username: string, password: string) => {
    const login = await gql(system.consumerUrl, LOGIN, { username, password });
    expect(login.errors).toBeUndefined();
    return { authorization: `Bearer ${login.data.login.accessToken as string}` };
  };
  /** What the read API answers `me` with this token: the user's id, or the refusal's code. */
  const me = async (asUser: Record<string, string>) => {
    const answer = await gql(system.consumerUrl, ME, {}, asUser);
    return answer.data?.me?.id ?? answer.errors?.[0]?.extensions?.code;
  };
  const endedSessions = (userId: string) => queryNumber(system.consumerDatabaseUrl, 'SELECT count(*) FROM ended_sessions WHERE user_id = $1', [userId]);

  it('logout ends the viewer\'s session: the read API refuses its token once session-ended is projected, and the user\'s other session goes on', async () => {
    const user = await signUp();
    const first = await logIn(user.username, user.password);
    const second = await logIn(user.username, user.password);
    await eventually(async () => (await me(first)) === user.id, { what: 'the user projected' });

    const logout = await gql(system.consumerUrl, 'mutation { logout }', {}, first);
    expect(logout).toEqual({ data: { logout: 1 } });
    await eventually(async () => (await me(first)) === 'UNAUTHENTICATED', { timeoutMs: 10_000, what: 'the ended session refused by the read API' });
    expect((await gql(system.consumerUrl, ME, {}, first)).errors?.[0]?.message).toBe('The session of this access token has ended; log in again');
    expect(await me(second)).toBe(user.id);
    expect(await endedSessions(user.id)).toBe(1);
    // Ended: its token cannot end anything any more.
    expect((await gql(system.consumerUrl, 'mutation { logout }', {}, first)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('subscriptions opened before a logout end with UNAUTHENTICATED (graphql-ws and SSE alike), and the user\'s other session\'s go on', async () => {
    const user = await signUp();
    const leaving = await logIn(user.username, user.password);
    const staying = await logIn(user.username, user.password);
    await eventually(async () => (await me(leaving)) === user.id, { what: 'the user projected' });
    const socket = wsClient(system.consumerUrl, leaving);
    const otherSocket = wsClient(system.consumerUrl, staying);
    try {
      const overWs = socket.subscribe('subscription { tokenIssued { jti } }');
      const feedOverWs = socket.subscribe('subscription { feedItemAdded { id } }');
      const stays = otherSocket.subscribe('subscription { tokenIssued { jti } }');
      const overSse = await sseSubscribe(system.consumerUrl, 'subscription { feedItemRemoved }', leaving);
      // Every stream is open and hears the viewer's own logins before the logout.
      await eventually(
        async () => {
          await logIn(user.username, user.password);
          return overWs.received.length > 0 && stays.received.length > 0;
        },
        { intervalMs: 500, what: 'both sessions\' streams hearing a login' },
      );

      expect(await gql(system.consumerUrl, 'mutation { logout }', {}, leaving)).toEqual({ data: { logout: 1 } });
      await eventually(async () => overWs.errors.length > 0 && feedOverWs.errors.length > 0 && overSse.errors.length > 0, { timeoutMs: 10_000, what: 'the ended session\'s streams ended' }).catch((error: Error) => {
        throw new Error(`${error.message}: ${JSON.stringify({ ws: overWs.errors, feed: feedOverWs.errors, sse: overSse.errors, closed: socket.isClosed() })}`);
      });
      for (const ended of [overWs, feedOverWs, overSse]) expect(ended.errors[0]).toMatchObject({ message: 'The session of this access token has ended; log in again', extensions: { code: 'UNAUTHENTICATED' } });
      await overWs.done;

      // The other session's stream goes on.
      const heard = stays.received.length;
      await logIn(user.username, user.password);
      await eventually(async () => stays.received.length > heard, { what: 'the other session\'s stream still hearing logins' });
      expect(stays.errors).toEqual([]);
      await overSse.close();
    } finally {
      await socket.close();
      await otherSocket.close();
    }
  });

  it('logoutEverywhere ends every session; changePassword ends every other one and needs the current password', async () => {
    const user = await signUp();
    const [a, b, c] = [await logIn(user.username, user.password), await logIn(user.username, user.password), await logIn(user.username, user.password)];
    await eventually(async () => (await me(a)) === user.id, { what: 'the user projected' });

    const CHANGE = 'mutation($current: String!, $next: String!) { changePassword(currentPassword: $current, newPassword: $next) }';
    const wrong = await gql(system.consumerUrl, CHANGE, { current: 'not it at all', next: 'a brand new passphrase' }, a);
    expect(wrong.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(wrong)).not.toContain('a brand new passphrase');
    const changed = await gql(system.consumerUrl, CHANGE, { current: user.password, next: 'a brand new passphrase' }, a);
    expect(changed).toEqual({ data: { changePassword: 2 } });
    await eventually(async () => (await me(b)) === 'UNAUTHENTICATED' && (await me(c)) === 'UNAUTHENTICATED', { timeoutMs: 10_000, what: 'the other sessions refused' });
    expect(await me(a)).toBe(user.id);

    const everywhere = await gql(system.consumerUrl, 'mutation { logoutEverywhere }', {}, a);
    expect(everywhere).toEqual({ data: { logoutEverywhere: 1 } });
    await eventually(async () => (await me(a)) === 'UNAUTHENTICATED', { timeoutMs: 10_000, what: 'the last session refused' });
    expect(await endedSessions(user.id)).toBe(3);
  });

  it('updateProfile changes the viewer\'s own profile; the read model, and the author of every post, show it once user-updated is projected', async () => {
    const user = await signUp();
    const asUser = await logIn(user.username, user.password);
    await eventually(async () => (await me(asUser)) === user.id, { what: 'the user projected' });
    const post = await gql(system.consumerUrl, 'mutation { createPost(input: { title: "Renamed", body: "Who wrote this one?" }) { id } }', {}, asUser);
    const postId = post.data.createPost.id as string;

    const UPDATE = 'mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { id username firstName email } }';
    const renamed = `${user.username}_r`.slice(0, 32);
    const updated = await gql(system.consumerUrl, UPDATE, { input: { username: renamed, firstName: 'Ada' } }, asUser);
    expect(updated).toEqual({ data: { updateProfile: { id: user.id, username: renamed, firstName: 'Ada', email: expect.stringContaining('@') } } });
    const author = () => gql(system.consumerUrl, 'query($id: ID!) { post(id: $id) { author { username firstName } } }', { id: postId });
    await eventually(async () => (await author()).data?.post?.author?.username === renamed, { timeoutMs: 10_000, what: 'the post\'s author renamed' });
    expect((await author()).data.post.author).toEqual({ username: renamed, firstName: 'Ada' });

    const noPassword = await gql(system.consumerUrl, UPDATE, { input: { email: 'new@example.com' } }, asUser);
    expect(noPassword.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await gql(system.consumerUrl, UPDATE, { input: { firstName: 'Nobody' } })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('deleteAccount needs the current password, then the user is gone from the read API and their token is refused', async () => {
    const user = await signUp();
    const asUser = await logIn(user.username, user.password);
    await eventually(async () => (await me(asUser)) === user.id, { what: 'the user projected' });
    const DELETE = 'mutation($password: String!) { deleteAccount(currentPassword: $password) }';
    expect((await gql(system.consumerUrl, DELETE, { password: 'not it at all' }, asUser)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await gql(system.consumerUrl, DELETE, { password: user.password }, asUser)).toEqual({ data: { deleteAccount: true } });

    const profile = () => gql(system.consumerUrl, 'query($id: ID!) { user(id: $id) { id } }', { id: user.id });
    await eventually(async () => (await profile()).data?.user === null, { timeoutMs: 10_000, what: 'the user gone from the read model' });
    await eventually(async () => (await me(asUser)) === 'UNAUTHENTICATED', { timeoutMs: 10_000, what: 'the token refused' });
    expect(await queryNumber(system.consumerDatabaseUrl, 'SELECT count(*) FROM users WHERE id = $1', [user.id])).toBe(0);
  });

  it('anonymous callers cannot end sessions', async () => {
    for (const mutation of ['mutation { logout }', 'mutation { logoutEverywhere }', 'mutation { changePassword(currentPassword: "x", newPassword: "yyyyyyyyyy") }']) {
      expect((await gql(system.consumerUrl, mutation)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });
});
