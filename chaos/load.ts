import { GaveUpError, type RestClient } from './rest-client';

export const PASSWORD = 'chaos horse battery staple';

/** A signed-in user the load acts as: refreshes its tokens, posts and deletes posts, follows, changes its profile. */
export interface Session {
  userId: string;
  username: string;
  accessToken: string;
  refreshToken: string;
}

/** What the producer acknowledged (a 2xx), by the id its event carries. */
export interface Acknowledged {
  users: string[];
  /** Access tokens' `jti`, one per login or refresh, with their user. */
  tokens: Array<{ jti: string; userId: string }>;
  posts: string[];
  follows: Array<{ followerId: string; followeeId: string }>;
  /** Profile changes (each a user-updated event). */
  updates: number;
  /** Posts and accounts deleted: what they held is meant to be gone from the read models. */
  deletedPosts: string[];
  deletedUsers: string[];
}

export interface LoadOutcome {
  /** Writes the load made (each is one event when the producer commits it). */
  requests: number;
  /** From the first request to the last answer. */
  seconds: number;
  acknowledged: Acknowledged;
  /** Logins made because a refresh's answer was lost and its token had been used (not in `requests`). */
  relogins: number;
  /** Requests that got an answer the load did not expect, or none at all, by what happened. */
  failed: Record<string, number>;
}

export const acknowledgedCount = (ack: Acknowledged) =>
  ack.users.length + ack.tokens.length + ack.posts.length + ack.follows.length + ack.updates + ack.deletedPosts.length + ack.deletedUsers.length;
export const emptyAcknowledged = (): Acknowledged => ({ users: [], tokens: [], posts: [], follows: [], updates: 0, deletedPosts: [], deletedUsers: [] });

type TokenPair = { accessToken: string; refreshToken: string };
const subjectAndJti = (accessToken: string) => JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub: string; jti: string };

/** The REST calls the load makes, each recording what was acknowledged. */
export function createActions(client: RestClient, ack: Acknowledged, failed: Record<string, number>) {
  const fail = (what: string): void => {
    failed[what] = (failed[what] ?? 0) + 1;
  };
  const tokensOf = (username: string, pair: TokenPair): Session => {
    const { sub, jti } = subjectAndJti(pair.accessToken);
    ack.tokens.push({ jti, userId: sub });
    return { userId: sub, username, accessToken: pair.accessToken, refreshToken: pair.refreshToken };
  };
  return {
    fail,
    /** True when the user exists afterwards (a 409 after a retry: the first attempt was committed). */
    async signUp(username: string): Promise<boolean> {
      const answer = await client.call<{ id: string }>('POST', '/users', { username, email: `${username}@example.com`, password: PASSWORD });
      if (answer.status === 201) ack.users.push(answer.body.id);
      else if (answer.status !== 409 || !answer.retried) fail(`sign-up ${answer.status}`);
      return answer.status === 201 || answer.status === 409;
    },
    async login(username: string): Promise<Session | undefined> {
      const answer = await client.call<TokenPair>('POST', '/auth/login', { username, password: PASSWORD });
      if (answer.status === 200) return tokensOf(username, answer.body);
      fail(`login ${answer.status}`);
      return undefined;
    },
    /** Rotates the session's tokens; 'used' when a lost answer had rotated them already. */
    async refresh(session: Session): Promise<'ok' | 'used' | 'failed'> {
      const answer = await client.call<TokenPair>('POST', '/auth/refresh', { refreshToken: session.refreshToken });
      if (answer.status === 200) {
        Object.assign(session, tokensOf(session.username, answer.body));
        return 'ok';
      }
      if (answer.status === 401 && answer.retried) return 'used';
      fail(`refresh ${answer.status}`);
      return 'failed';
    },
    /** The new post's id, when acknowledged. */
    async post(session: Session, n: number): Promise<string | undefined> {
      const answer = await client.call<{ id: string }>('POST', '/posts', { title: `Post ${n}`, body: `Chaos load post number ${n}.` }, session.accessToken);
      if (answer.status === 201) ack.posts.push(answer.body.id);
      else fail(`post ${answer.status}`);
      return answer.status === 201 ? answer.body.id : undefined;
    },
    /** A 404 after a retry: the first attempt deleted it. */
    async deletePost(session: Session, postId: string): Promise<void> {
      const answer = await client.call('DELETE', `/posts/${postId}`, undefined, session.accessToken);
      if (answer.status === 204 || (answer.status === 404 && answer.retried)) ack.deletedPosts.push(postId);
      else fail(`delete-post ${answer.status}`);
    },
    async updateProfile(session: Session, n: number): Promise<void> {
      const answer = await client.call('PATCH', '/users/me', { firstName: `Name${n}` }, session.accessToken);
      if (answer.status === 200) ack.updates += 1;
      else fail(`update ${answer.status}`);
    },
    /** A 401 after a retry: the first attempt deleted the account (and ended the token's session). */
    async deleteAccount(session: Session): Promise<void> {
      const answer = await client.call('DELETE', '/users/me', { currentPassword: PASSWORD }, session.accessToken);
      if (answer.status === 204 || (answer.status === 401 && answer.retried)) ack.deletedUsers.push(session.userId);
      else fail(`delete-account ${answer.status}`);
    },
    async follow(session: Session, followeeId: string): Promise<void> {
      const answer = await client.call('POST', '/follows', { followeeId }, session.accessToken);
      if (answer.status === 201) ack.follows.push({ followerId: session.userId, followeeId });
      else fail(`follow ${answer.status}`);
    },
  };
}

export interface LoadOptions {
  client: RestClient;
  /** Signed-in users to refresh, post and follow as; each is used by one request at a time. */
  sessions: Session[];
  events: number;
  ratePerSecond: number;
  /** Requests in flight at most: a small pool of clients. */
  concurrency: number;
  /** Distinguishes this load's usernames from every other's. */
  tag: string;
}

export interface Load {
  /** Requests started so far. */
  started(): number;
  /** Resolves once `count` requests have started (or the load ended). */
  reached(count: number): Promise<void>;
  /** Starts no more requests; those in flight finish. */
  stop(): void;
  done: Promise<LoadOutcome>;
}

/**
 * A steady stream of `events` writes at `ratePerSecond` from at most `concurrency` clients: for
 * every 250 writes one sign-up, the new user's login, two follows of them and then the deletion
 * of their account, and two profile changes; the rest alternate refreshes and posts (the cheap
 * bulk: a sign-up or login costs an argon2 hash), one post in five a deletion of an earlier one.
 * Profile changes are few: a user may change its profile 10 times a minute. A request that falls
 * behind (a fault slows answers) delays the ones after it, as a real client pool would.
 */
export function startLoad({ client, sessions, events, ratePerSecond, concurrency, tag }: LoadOptions): Load {
  const ack = emptyAcknowledged();
  const failed: Record<string, number> = {};
  const actions = createActions(client, ack, failed);
  const free = [...sessions];
  const waitingForLogin: string[] = [];
  const waitingForFollows: string[] = [];
  const newcomers = new Map<string, Session>();
  const followedTwice: Session[] = [];
  const followed = new Map<string, number>();
  const postsOf = new Map<string, string[]>();
  let started = 0;
  let relogins = 0;
  let stopped = false;
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const inFlight = new Set<Promise<void>>();
  const sleep = (ms: number) => new Promise((resolveWait) => setTimeout(resolveWait, ms));

  const withSession = async (use: (session: Session) => Promise<void>) => {
    while (free.length === 0) await sleep(5);
    const session = free.splice(Math.floor(Math.random() * free.length), 1)[0]!;
    try {
      await use(session);
    } finally {
      free.push(session);
    }
  };
  const post = async (session: Session, n: number) => {
    const id = await actions.post(session, n);
    if (id) postsOf.set(session.userId, [...(postsOf.get(session.userId) ?? []), id]);
  };
  const one = async (n: number) => {
    const slot = n % 250;
    if (slot === 0) {
      const username = `${tag}u${n}`;
      if (await actions.signUp(username)) waitingForLogin.push(username);
    } else if (slot === 100 && waitingForLogin.length > 0) {
      const session = await actions.login(waitingForLogin.shift()!);
      if (session) {
        newcomers.set(session.userId, session);
        waitingForFollows.push(session.userId, session.userId);
      }
    } else if ((slot === 150 || slot === 200) && waitingForFollows.length > 0) {
      const followeeId = waitingForFollows.shift()!;
      await withSession((session) => actions.follow(session, followeeId));
      followed.set(followeeId, (followed.get(followeeId) ?? 0) + 1);
      if (followed.get(followeeId) === 2) followedTwice.push(newcomers.get(followeeId)!);
    } else if (slot === 225 && followedTwice.length > 0) {
      await actions.deleteAccount(followedTwice.shift()!);
    } else if (slot === 50 || slot === 175) {
      await withSession((session) => actions.updateProfile(session, n));
    } else if (n % 10 === 5) {
      await withSession(async (session) => {
        const own = postsOf.get(session.userId) ?? [];
        if (own.length > 0) await actions.deletePost(session, own.splice(Math.floor(Math.random() * own.length), 1)[0]!);
        else await post(session, n);
      });
    } else if (n % 2 === 0) {
      await withSession(async (session) => {
        if ((await actions.refresh(session)) !== 'used') return;
        relogins += 1;
        const renewed = await actions.login(session.username);
        if (renewed) Object.assign(session, renewed);
      });
    } else await withSession(async (session) => post(session, n));
  };
  const run = async () => {
    const begin = performance.now();
    for (let n = 0; n < events && !stopped; n += 1) {
      const due = begin + (n * 1000) / ratePerSecond;
      if (due > performance.now()) await sleep(due - performance.now());
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      const request: Promise<void> = one(n)
        .catch((error: unknown) => actions.fail(error instanceof GaveUpError ? 'no answer (gave up)' : `error: ${String(error).slice(0, 80)}`))
        .finally(() => inFlight.delete(request));
      inFlight.add(request);
      started = n + 1;
      for (const waiter of waiters.filter((w) => w.count <= started)) waiter.resolve();
    }
    await Promise.all(inFlight);
    for (const waiter of waiters) waiter.resolve();
    return { requests: started, seconds: (performance.now() - begin) / 1000, acknowledged: ack, relogins, failed };
  };
  const done = run();
  return {
    started: () => started,
    reached: (count) => (count <= started ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }))),
    stop: () => void (stopped = true),
    done,
  };
}
