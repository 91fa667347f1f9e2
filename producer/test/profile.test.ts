import { parseEvent, type UserUpdated } from '@herald/events';
import { request } from './support/contract';
import { useTestProducer } from './support/test-producer';
import { signedInUser } from './support/users';
import { openedPayload } from './support/opened';

/** A user changes their profile: PATCH /users/me and user-updated at the next revision (real Kafka, real PostgreSQL). */
describe('profile changes over REST', () => {
  const system = useTestProducer((topics) => [topics.userUpdated]);

  const url = () => system.url;
  const patch = (body: unknown, auth: Record<string, string>) => request(url(), 'PATCH', '/users/me', body, auth);
  const updatesOf = async (userId: string, count: number) =>
    (await system.probe.waitFor((record) => record.key === userId, count)).map((record) => parseEvent(JSON.parse(record.value)) as UserUpdated);

  it('changes the names and the username, answers the whole user, and publishes the whole profile at revisions 2, 3, … keyed by the user', async () => {
    const { user, auth } = await signedInUser(url());
    const first = await patch({ firstName: 'Grace', lastName: 'Hopper' }, auth);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ ...user, firstName: 'Grace', lastName: 'Hopper' });
    const renamed = `${user.username}_2`.slice(0, 32);
    const second = await patch({ username: renamed, lastName: null }, auth);
    expect(second.body).toEqual({ ...user, username: renamed, firstName: 'Grace', lastName: null });

    const [a, b] = await Promise.all((await updatesOf(user.id, 2)).map((event) => openedPayload(url(), event)));
    expect(a).toEqual({ userId: user.id, revision: 2, username: user.username, email: user.email, firstName: 'Grace', lastName: 'Hopper', createdAt: user.createdAt, updatedAt: expect.any(String) });
    expect(b).toMatchObject({ revision: 3, username: renamed, lastName: null });
    // The old username is free again; the new one is taken.
    expect((await signedInUser(url(), { username: user.username })).user.username).toBe(user.username);
    const clash = await signedInUser(url());
    expect((await patch({ username: renamed }, clash.auth)).status).toBe(409);
  });

  it('a new e-mail needs the current password: missing is 400, wrong is 403, right changes it', async () => {
    const { user, auth, password } = await signedInUser(url());
    const missing = await patch({ email: 'new@example.com' }, auth);
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toMatch(/currentPassword/);
    expect((await patch({ email: 'new@example.com', currentPassword: 'not it' }, auth)).status).toBe(403);
    const changed = await patch({ email: `NEW.${user.email}`, currentPassword: password }, auth);
    expect(changed.status).toBe(200);
    expect(changed.body.email).toBe(`new.${user.email}`);
    const [update] = await updatesOf(user.id, 1);
    expect(JSON.stringify(update)).not.toContain(password);
  });

  it.each([
    ['nothing to change', {}],
    ['an unknown field', { nickname: 'x' }],
    ['a bad username', { username: 'no spaces please' }],
    ['a control character in a name', { firstName: 'A\u0007' }],
  ])('refuses %s with 400, writes nothing and echoes nothing', async (_what, body) => {
    const { user, auth } = await signedInUser(url());
    const answer = await patch(body, auth);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(answer.body)).not.toContain('no spaces please');
    expect((await request(url(), 'GET', `/users/${user.id}`, undefined, auth)).body).toEqual(user);
  });

  it('needs a bearer token', async () => {
    expect((await patch({ firstName: 'X' }, {})).status).toBe(401);
  });

  it('profile changes are limited per user (10 a minute): the 11th is a 429 and changes nothing', async () => {
    const { user, auth } = await signedInUser(url());
    const statuses: number[] = [];
    for (let change = 1; change <= 11; change += 1) statuses.push((await patch({ firstName: `Name ${change}` }, auth)).status);
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
    expect((await request(url(), 'GET', `/users/${user.id}`, undefined, auth)).body.firstName).toBe('Name 10');
  });
});
