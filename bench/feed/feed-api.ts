import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { clientAddress, createProducerApi, runTag } from '../lib/producer-api';
import { runPool } from '../lib/worker-pool';

export interface FeedUser {
  id: string;
  accessToken: string;
}

/** The feed's REST writes as one user (the actor is the token's subject); `at` is when the answer was read. */
export function createFeedApi(producerUrl: string, consumerUrl: string) {
  const send = async (method: 'POST' | 'DELETE', path: string, user: FeedUser, body?: unknown) => {
    const response = await fetch(`${producerUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.accessToken}`, 'x-forwarded-for': clientAddress() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, at: performance.now() };
  };
  const graphql = async <T>(query: string, variables: Record<string, unknown> = {}, user?: FeedUser): Promise<T> => {
    const response = await fetch(`${consumerUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(user ? { authorization: `Bearer ${user.accessToken}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const answer = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
    if (!answer.data) throw new Error(`GraphQL answered ${answer.errors?.[0]?.message ?? response.status}`);
    return answer.data;
  };

  return {
    follow: (user: FeedUser, followeeId: string) => send('POST', '/follows', user, { followeeId }),
    post: (user: FeedUser, title: string) => send('POST', '/posts', user, { title, body: `${title}: a post written by the feed bench.` }),
    /** The post ids on the first page of the user's feed. */
    async feedIds(user: FeedUser, first = 50): Promise<string[]> {
      const data = await graphql<{ feed: { edges: Array<{ node: { id: string } }> } }>('query($first: Int) { feed(first: $first) { edges { node { id } } } }', { first }, user);
      return data.feed.edges.map((edge) => edge.node.id);
    },
    async followersCount(userId: string): Promise<number> {
      const data = await graphql<{ user: { followersCount: number } | null }>('query($id: ID!) { user(id: $id) { followersCount } }', { id: userId });
      return data.user?.followersCount ?? -1;
    },
    /** graphql-ws subscriptions to `feedItemAdded`, one socket per user; `onPost(userIndex, postId, at)`. */
    subscribe(users: FeedUser[], onPost: (user: number, postId: string, at: number) => void) {
      const clients: Client[] = users.map((user, index) => {
        const client = createClient({ url: `${consumerUrl.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0, connectionParams: { authorization: `Bearer ${user.accessToken}` } });
        client.subscribe<{ feedItemAdded: { id: string } }>({ query: 'subscription { feedItemAdded { id } }' }, {
          next: (value) => value.data && onPost(index, value.data.feedItemAdded.id, performance.now()),
          error: () => {},
          complete: () => {},
        });
        return client;
      });
      return { close: () => Promise.all(clients.map((client) => client.dispose())) };
    },
  };
}

export type FeedApi = ReturnType<typeof createFeedApi>;

/** Signs up and logs in `count` users through the producer. */
export async function feedUsers(producerUrl: string, count: number, concurrency: number): Promise<FeedUser[]> {
  const api = createProducerApi(producerUrl);
  const tag = runTag();
  const users: FeedUser[] = new Array(count);
  await runPool(count, concurrency, async (i) => {
    const username = `${tag}_f${i}`;
    const created = await api.signUp(username);
    if (created.status !== 201) throw new Error(`sign-up answered ${created.status}`);
    const tokens = await api.login(username);
    if (tokens.status !== 200) throw new Error(`login answered ${tokens.status}`);
    users[i] = { id: created.body.id, accessToken: tokens.body.accessToken };
  });
  return users;
}
