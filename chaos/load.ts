import { GaveUpError, type RestClient } from './rest-client';

export const PASSWORD = 'chaos horse battery staple';

/** A signed-in user the load acts as: refreshes its tokens, posts, follows. */
export interface Session {
  userId: string;
  username: string;
  accessToken: string;
  refreshToken: string;
}

/** What the producer acknowledged (a 2xx), by the id its event carries. */
export interface Acknowledged {
  users: string[];
  /** Access tokens' `jti`, one per login or refresh. */
  tokens: string[];
  posts: string[];
  follows: Array<{ followerId: string; followeeId: string }>;
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

export const acknowledgedCount = (ack: Acknowledged) => ack.users.length + ack.tokens.length + ack.posts.length + ack.follows.length;
export const emptyAcknowledged = (): Acknowledged => ({ users: [], tokens: [], posts: [], follows: [] });

type TokenPair = { accessToken: string; refreshToken: string };
const subjectAndJti = (accessToken: string) => JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub: string; jti: string };

/** The REST calls the load makes, each recording what was acknowledged. */
export function createActions(client: RestClient, ack: Acknowledged, failed: Record<string, number>) {
  const fail = (what: string): void => {
    failed[what] = (failed[what] ?? 0) + 1;
  };
  const tokensOf = (username: string, pair: TokenPair): Session => {
    const { sub, jti } = subjectAndJti(pair.accessToken);
    ack.tokens.push(jti);
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
    async post(session: Session, n: number): Promise<void> {
      const answer = await client.call<{ id: string }>('POST', '/posts', { title: `Post ${n}`, body: `Chaos load post number ${n}.` }, session.accessToken);
      if (answer.status === 201) ack.posts.push(answer.body.id);
      else fail(`post ${answer.status}`);
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
 * every 250 writes one sign-up, the new user's login and two follows of them; the rest alternate
 * refreshes and posts (the cheap bulk: a sign-up or login costs an argon2 hash). A request that
 * falls behind (a fault slows answers) delays the ones after it, as a real client pool would.
 */
export function startLoad({ client, sessions, events, ratePerSecond, concurrency, tag }: LoadOptions): Load {
  const ack = emptyAcknowledged();
  const failed: Record<string, number> = {};
  const actions = createActions(client, ack, failed);
  const free = [...sessions];
  const waitingForLogin: string[] = [];
  const waitingForFollows: string[] = [];
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
  const one = async (n: number) => {
    const slot = n % 250;
    if (slot === 0) {
      const username = `${tag}u${n}`;
      if (await actions.signUp(username)) waitingForLogin.push(username);
    } else if (slot === 100 && waitingForLogin.length > 0) {
      const session = await actions.login(waitingForLogin.shift()!);
      if (session) waitingForFollows.push(session.userId, session.userId);
    } else if ((slot === 150 || slot === 200) && waitingForFollows.length > 0) {
      const followeeId = waitingForFollows.shift()!;
      await withSession((session) => actions.follow(session, followeeId));
    } else if (n % 2 === 0) {
      await withSession(async (session) => {
        if ((await actions.refresh(session)) !== 'used') return;
        relogins += 1;
        const renewed = await actions.login(session.username);
        if (renewed) Object.assign(session, renewed);
      });
    } else await withSession((session) => actions.post(session, n));
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
