import { eventually, newUser, queryNumber } from '@herald/testing';
import { gql, LOGIN, SIGN_UP } from './support/graphql';
import { startSystem, type TestSystem } from './support/system';

const ME = '{ me { id } }';

/**
 * Sessions end through GraphQL, and the read API learns it from session-ended on Kafka: an access
 * token of an ended session is refused by the consumer as by the producer, though not expired
 * (both services as processes, real Kafka and PostgreSQL).
 */
describe('sessions over GraphQL: logout, logout everywhere, a new password', () => {
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

  it('anonymous callers cannot end sessions', async () => {
    for (const mutation of ['mutation { logout }', 'mutation { logoutEverywhere }', 'mutation { changePassword(currentPassword: "x", newPassword: "yyyyyyyyyy") }']) {
      expect((await gql(system.consumerUrl, mutation)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });
});
