import { newUser } from '@herald/testing';
import { request } from './contract';

/** Signs a new user up and logs them in; the user's sign-up answer, password and tokens. */
export async function signedInUser(baseUrl: string, overrides: Record<string, unknown> = {}) {
  const body = newUser(overrides);
  const created = await request(baseUrl, 'POST', '/users', body);
  if (created.status !== 201) throw new Error(`sign-up answered ${created.status}`);
  const login = await request(baseUrl, 'POST', '/auth/login', { username: body.username, password: body.password });
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  return {
    user: created.body as { id: string; username: string; email: string; firstName: string | null; lastName: string | null; createdAt: string },
    password: body.password,
    accessToken: login.body.accessToken as string,
    refreshToken: login.body.refreshToken as string,
    auth: { authorization: `Bearer ${login.body.accessToken as string}` },
  };
}
