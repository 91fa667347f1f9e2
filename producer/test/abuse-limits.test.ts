import { generateKeyPairSync } from 'node:crypto';
import { eventually, isReady, newUser, queryNumber, queryRows, silentLogger, type JsonResponse } from '@herald/testing';
import { request } from './support/contract';
import { startProducer, type RunningProducer } from '../src/main';
import { createTestDatabase, testProducerConfig } from './support/test-env';

// Low limits, so each is reached in a few requests. Logins hash at argon2's lowest cost here:
// what is measured is which requests get through, not how long a hash takes.
const LIMITS = {
  SIGNUP_LIMIT_PER_IP: '3',
  SIGNUP_LIMIT_PER_ACCOUNT: '2',
  LOGIN_LIMIT_PER_IP: '8',
  LOGIN_LIMIT_PER_ACCOUNT: '10',
  REFRESH_LIMIT_PER_IP: '3',
  POST_LIMIT_PER_USER: '3',
  FOLLOW_LIMIT_PER_USER: '3',
  LOGIN_LOCKOUT_FAILURES: '3',
  LOGIN_ACCOUNT_LOCKOUT_FAILURES: '6',
  LOGIN_LOCKOUT_SECONDS: '1',
  LOGIN_LOCKOUT_MAX_SECONDS: '60',
  // Refusals answered at once here; the test of the delay sets its own.
  RATE_LIMIT_DELAY_MS: '0',
  ARGON2_MEMORY_KIB: '1024',
  ARGON2_TIME_COST: '1',
};

let ipCounter = 0;
/** A client address of its own (TEST-NET-3), as the ALB or the consumer would forward it. */
const nextIp = () => {
  ipCounter += 1;
  return `203.0.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`;
};
const from = (ip: string) => ({ 'x-forwarded-for': ip });

function expectRateLimited(answer: JsonResponse, windowSeconds: number) {
  expect(answer.status).toBe(429);
  expect(answer.body.error).toEqual({ code: 'RATE_LIMITED', message: expect.stringMatching(/^Too many .*; try again in \d+ s$/) });
  const retryAfter = Number(answer.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
}

describe('abuse limits, counted in PostgreSQL across two producer instances', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let instances: RunningProducer[] = [];
  /** Alternates between the two instances, as a load balancer would. */
  let turn = 0;
  const nextUrl = () => instances[turn++ % 2]!.url;

  beforeAll(async () => {
    database = await createTestDatabase();
    // One signing key for both, as in a deployment: a token from one instance is good at the other.
    const JWT_PRIVATE_KEY = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const config = testProducerConfig({ databaseUrl: database.url, overrides: { ...LIMITS, JWT_PRIVATE_KEY } });
    instances = await Promise.all([startProducer(config, silentLogger('producer-a')), startProducer(config, silentLogger('producer-b'))]);
    for (const instance of instances) await eventually(isReady(instance.url), { what: 'instance ready' });
  });

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await database?.drop();
  });

  /** Signs a user up from an address of its own, so sign-ups do not use up the limits under test. */
  const signedUp = async () => {
    const body = newUser();
    const created = await request(nextUrl(), 'POST', '/users', body, from(nextIp()));
    expect(created.status).toBe(201);
    return body;
  };
  const login = (username: string, password: string, ip: string) => request(nextUrl(), 'POST', '/auth/login', { username, password }, from(ip));

  describe('sign-up', () => {
    it('when one IP signs up more than the limit, across both instances, answers 429 with Retry-After; another IP still signs up', async () => {
      const ip = nextIp();
      const answers = [];
      for (let i = 0; i < 4; i += 1) answers.push(await request(nextUrl(), 'POST', '/users', newUser(), from(ip)));
      expect(answers.slice(0, 3).map((answer) => answer.status)).toEqual([201, 201, 201]);
      expectRateLimited(answers[3]!, 3600);

      expect((await request(nextUrl(), 'POST', '/users', newUser(), from(nextIp()))).status).toBe(201);
    });

    it('when one username is tried more than the limit (in any case, from any IP), answers 429; another username is not affected', async () => {
      const { username } = newUser();
      const first = await request(nextUrl(), 'POST', '/users', newUser({ username }), from(nextIp()));
      const second = await request(nextUrl(), 'POST', '/users', newUser({ username: username.toUpperCase() }), from(nextIp()));
      const third = await request(nextUrl(), 'POST', '/users', newUser({ username }), from(nextIp()));
      expect([first.status, second.status]).toEqual([201, 409]);
      expectRateLimited(third, 3600);

      expect((await request(nextUrl(), 'POST', '/users', newUser(), from(nextIp()))).status).toBe(201);
    });

    it('when a limited sign-up is refused, nothing of it is stored', async () => {
      const ip = nextIp();
      for (let i = 0; i < 3; i += 1) await request(nextUrl(), 'POST', '/users', newUser(), from(ip));
      const refused = newUser();
      expect((await request(nextUrl(), 'POST', '/users', refused, from(ip))).status).toBe(429);
      expect(await queryNumber(database.url, 'SELECT count(*) FROM users WHERE username = $1', [refused.username])).toBe(0);
      expect(await queryNumber(database.url, "SELECT count(*) FROM outbox_events WHERE value->'payload'->>'username' = $1", [refused.username])).toBe(0);
    });
  });

  describe('login', () => {
    it('when one IP logs in more than the limit, across both instances, answers 429 even for the right password; another IP is not affected', async () => {
      const user = await signedUp();
      const ip = nextIp();
      for (let i = 0; i < 8; i += 1) expect((await login(`nobody_${i}_${ip}`, 'wrong password', ip)).status).toBe(401);
      expectRateLimited(await login(user.username, user.password, ip), 60);

      expect((await login(user.username, user.password, nextIp())).status).toBe(200);
    });

    it('when one account is logged into more than the limit, from many IPs, answers 429; another account is not affected', async () => {
      const user = await signedUp();
      const other = await signedUp();
      for (let i = 0; i < 10; i += 1) expect((await login(user.username, user.password, nextIp())).status).toBe(200);
      const ip = nextIp();
      expectRateLimited(await login(user.username.toUpperCase(), user.password, ip), 60);

      expect((await login(other.username, other.password, ip)).status).toBe(200);
    });
  });

  describe('refresh', () => {
    it('when one IP refreshes more than the limit, across both instances, answers 429; another IP is not affected', async () => {
      const ip = nextIp();
      for (let i = 0; i < 3; i += 1) expect((await request(nextUrl(), 'POST', '/auth/refresh', { refreshToken: `forged-${i}` }, from(ip))).status).toBe(401);
      expectRateLimited(await request(nextUrl(), 'POST', '/auth/refresh', { refreshToken: 'forged' }, from(ip)), 60);

      expect((await request(nextUrl(), 'POST', '/auth/refresh', { refreshToken: 'forged' }, from(nextIp()))).status).toBe(401);
    });
  });

  describe('lock-out on failed logins', () => {
    const lockRow = (ip: string, username: string) =>
      queryRows<{ points: number; expire: string }>(database.url, 'SELECT points, expire FROM rate_limits WHERE key = $1', [`login-fail-ip-account:${ip}|${username.toLowerCase()}`]);
    const lockExpired = (ip: string, username: string) => async () => {
      const [row] = await lockRow(ip, username);
      return !row || Number(row.expire) < Date.now();
    };

    it('when one IP guesses wrong passwords, the account is locked from that IP (even for the right password) but not from another IP', async () => {
      const user = await signedUp();
      const attacker = nextIp();
      for (let i = 0; i < 3; i += 1) expect((await login(user.username, `wrong password ${i}`, attacker)).status).toBe(401);

      const locked = await login(user.username, user.password, attacker);
      expectRateLimited(locked, 1);
      expect(locked.body.error.message).toMatch(/^Too many failed logins/);

      expect((await login(user.username, user.password, nextIp())).status).toBe(200);
      // The owner's success elsewhere does not lift the guesser's lock.
      expect((await login(user.username, user.password, attacker)).status).toBe(429);
    });

    it('when a login succeeds, the failures before it no longer count', async () => {
      const user = await signedUp();
      const ip = nextIp();
      for (let i = 0; i < 2; i += 1) expect((await login(user.username, 'wrong password', ip)).status).toBe(401);
      expect((await login(user.username, user.password, ip)).status).toBe(200);
      for (let i = 0; i < 2; i += 1) expect((await login(user.username, 'wrong password', ip)).status).toBe(401);
      // Without the reset these would be failures 3 and 4, and this the first locked attempt.
      expect((await login(user.username, user.password, ip)).status).toBe(200);
    });

    it('when the same IP is locked out again after its lock ends, the next lock lasts twice as long', async () => {
      const user = await signedUp();
      const ip = nextIp();
      for (let i = 0; i < 3; i += 1) await login(user.username, 'wrong password', ip);
      const [first] = await lockRow(ip, user.username);
      const firstMs = Number(first!.expire) - Date.now();
      expect(firstMs).toBeLessThanOrEqual(1000);

      await eventually(lockExpired(ip, user.username), { what: 'the first lock to end', intervalMs: 50 });
      for (let i = 0; i < 3; i += 1) expect((await login(user.username, 'wrong password', ip)).status).toBe(401);
      const [second] = await lockRow(ip, user.username);
      expect(Number(second!.expire) - Date.now()).toBeGreaterThan(1000);
      expect(Number(second!.expire) - Date.now()).toBeLessThanOrEqual(2000);
      expect((await login(user.username, user.password, ip)).status).toBe(429);
    });

    it('when wrong passwords for one account come from many IPs, the whole account is locked out until it expires', async () => {
      const user = await signedUp();
      for (let i = 0; i < 3; i += 1) {
        const ip = nextIp();
        for (let j = 0; j < 2; j += 1) expect((await login(user.username, 'wrong password', ip)).status).toBe(401);
      }
      const locked = await login(user.username, user.password, nextIp());
      expectRateLimited(locked, 1);

      const other = await signedUp();
      expect((await login(other.username, other.password, nextIp())).status).toBe(200);
    });
  });

  describe('posts and follows', () => {
    const signedIn = async () => {
      const body = await signedUp();
      const answer = await login(body.username, body.password, nextIp());
      return { authorization: `Bearer ${answer.body.accessToken as string}` };
    };
    const post = { title: 'A title', body: 'A body long enough.' };

    it('when one user posts more than the limit, across both instances and from any address, answers 429; another user still posts', async () => {
      const ada = await signedIn();
      for (let i = 0; i < 3; i += 1) expect((await request(nextUrl(), 'POST', '/posts', post, { ...ada, ...from(nextIp()) })).status).toBe(201);
      expectRateLimited(await request(nextUrl(), 'POST', '/posts', post, { ...ada, ...from(nextIp()) }), 60);
      expect((await request(nextUrl(), 'POST', '/posts', post, await signedIn())).status).toBe(201);
    });

    it('when one user follows and unfollows more than the limit, answers 429', async () => {
      const ada = await signedIn();
      const followee = (await request(nextUrl(), 'POST', '/users', newUser(), from(nextIp()))).body.id as string;
      expect((await request(nextUrl(), 'POST', '/follows', { followeeId: followee }, ada)).status).toBe(201);
      expect((await request(nextUrl(), 'DELETE', `/follows/${followee}`, undefined, ada)).status).toBe(204);
      expect((await request(nextUrl(), 'POST', '/follows', { followeeId: followee }, ada)).status).toBe(201);
      expectRateLimited(await request(nextUrl(), 'DELETE', `/follows/${followee}`, undefined, ada), 60);
    });
  });

  describe('client address', () => {
    it('when a trusted peer forwards X-Forwarded-For, each forwarded client is counted on its own', async () => {
      // Same peer (127.0.0.1, trusted as loopback), two forwarded clients: each gets its own three sign-ups.
      const [a, b] = [nextIp(), nextIp()];
      const statuses = [];
      for (let i = 0; i < 3; i += 1) {
        statuses.push((await request(nextUrl(), 'POST', '/users', newUser(), from(a))).status);
        statuses.push((await request(nextUrl(), 'POST', '/users', newUser(), from(b))).status);
      }
      expect(statuses).toEqual([201, 201, 201, 201, 201, 201]);
    });

    it('when an untrusted peer sends X-Forwarded-For, it is ignored and the peer itself is counted', async () => {
      const config = testProducerConfig({ databaseUrl: database.url, overrides: { ...LIMITS, TRUST_PROXY: '10.0.0.0/8' } });
      const untrusting = await startProducer(config, silentLogger('producer-c'));
      try {
        const statuses = [];
        for (let i = 0; i < 4; i += 1) statuses.push((await request(untrusting.url, 'POST', '/users', newUser(), from(nextIp()))).status);
        expect(statuses).toEqual([201, 201, 201, 429]);
      } finally {
        await untrusting.stop();
      }
    });
  });

  describe('refusal delay', () => {
    it('when a request is refused, the 429 is held for RATE_LIMIT_DELAY_MS, so a client waiting for answers is slowed down', async () => {
      const config = testProducerConfig({ databaseUrl: database.url, overrides: { ...LIMITS, RATE_LIMIT_DELAY_MS: '400' } });
      const delaying = await startProducer(config, silentLogger('producer-d'));
      try {
        const ip = nextIp();
        for (let i = 0; i < 3; i += 1) await request(delaying.url, 'POST', '/auth/refresh', { refreshToken: 'forged' }, from(ip));
        const started = performance.now();
        const refused = await request(delaying.url, 'POST', '/auth/refresh', { refreshToken: 'forged' }, from(ip));
        expect(refused.status).toBe(429);
        expect(performance.now() - started).toBeGreaterThanOrEqual(400);
      } finally {
        await delaying.stop();
      }
    });
  });

  describe('when the limit store fails', () => {
    it('answers 503 (fail closed), never 500, and lets nothing through', async () => {
      await queryRows(database.url, 'ALTER TABLE rate_limits RENAME TO rate_limits_away');
      try {
        const user = newUser();
        const answers = [
          await request(nextUrl(), 'POST', '/users', user, from(nextIp())),
          await request(nextUrl(), 'POST', '/auth/login', { username: 'someone', password: 'whatever-123' }, from(nextIp())),
          await request(nextUrl(), 'POST', '/auth/refresh', { refreshToken: 'forged' }, from(nextIp())),
        ];
        for (const answer of answers) {
          expect(answer.status).toBe(503);
          expect(answer.body.error).toEqual({ code: 'UNAVAILABLE', message: expect.any(String) });
        }
        expect(await queryNumber(database.url, 'SELECT count(*) FROM users WHERE username = $1', [user.username])).toBe(0);
      } finally {
        await queryRows(database.url, 'ALTER TABLE rate_limits_away RENAME TO rate_limits');
      }
    });
  });
});
