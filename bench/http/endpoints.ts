import { PASSWORD, runTag } from '../lib/producer-api';
import type { LoadRequest } from './load';

/** The users (and their current refresh tokens) the load reuses; built before the load starts. */
export interface SeededUsers {
  usernames: string[];
  ids: string[];
  /** The access token of the user of the same index (GET /users/:id needs one). */
  accessTokens: string[];
  refreshTokens: string[];
}

export const USERS_QUERY = '{ users(first: 20) { totalCount edges { cursor node { id username email createdAt } } pageInfo { hasNextPage endCursor } } }';

const cycle = <T>(items: T[]) => {
  let i = 0;
  return () => items[i++ % items.length]!;
};

/** Every endpoint the HTTP bench drives: where it is, and how each request's body is made. */
export function endpoints(seeded: SeededUsers) {
  const tag = runTag();
  let serial = 0;
  const uniqueName = () => `${tag}_h${serial++}`;
  const nextUsername = cycle(seeded.usernames);
  // Each user reads themselves: the id and that user's own token.
  const nextSelf = cycle(seeded.ids.map((id, i) => ({ path: `/users/${id}`, headers: { authorization: `Bearer ${seeded.accessTokens[i]!}` } })));
  // A refresh token works once: take one per request, put back the one its answer carries.
  const tokens = [...seeded.refreshTokens];
  return {
    signUp: { method: 'POST', path: '/users', body: () => { const name = uniqueName(); return JSON.stringify({ username: name, email: `${name}@example.com`, password: PASSWORD }); } },
    login: { method: 'POST', path: '/auth/login', body: () => JSON.stringify({ username: nextUsername(), password: PASSWORD }) },
    refresh: {
      method: 'POST',
      path: '/auth/refresh',
      body: () => JSON.stringify({ refreshToken: tokens.shift() ?? 'pool-empty' }),
      onAnswer: (status, body) => {
        if (status === 200) tokens.push((JSON.parse(body) as { refreshToken: string }).refreshToken);
      },
    },
    getUser: { method: 'GET', path: '/users/x', vary: nextSelf },
    usersQuery: { method: 'POST', path: '/graphql', body: () => JSON.stringify({ query: USERS_QUERY }) },
    signUpMutation: {
      method: 'POST',
      path: '/graphql',
      body: () => {
        const name = uniqueName();
        return JSON.stringify({ query: 'mutation($input: SignUpInput!) { signUp(input: $input) { id } }', variables: { input: { username: name, email: `${name}@example.com`, password: PASSWORD } } });
      },
    },
  } satisfies Record<string, LoadRequest>;
}
