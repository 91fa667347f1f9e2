import { createHmac, randomUUID } from 'node:crypto';
import { sealValue } from '@herald/events';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// Tests make events without a producer; their users' keys are derived from the user id, so every
// process of a test (a consumer started as a child process too) agrees on them without sharing any.
const TEST_KEY_SECRET = 'herald test user keys: never a production key';

/** The data key a test's user has (32 bytes, as the producer's are). */
export const testUserKey = (userId: string): Buffer => createHmac('sha256', TEST_KEY_SECRET).update(userId).digest();

/** Seals `fields` for `userId` as the producer does, under the user's test key unless given one. */
export const sealForTest = (fields: object, userId: string, key: Buffer = testUserKey(userId)): string => sealValue(fields, { userId, key });

export interface TestUserKeysServer {
  /** Where the consumer asks (its USER_KEYS_URL) and what it presents (its USER_KEYS_TOKEN). */
  url: string;
  token: string;
  /** Destroys a user's key, as an account deletion does in the producer. */
  erase(userId: string): void;
  /** While on, answers 503, as a producer that is down or failing would. */
  refuse(on: boolean): void;
  stop(): Promise<void>;
}

/**
 * The producer's user-keys endpoint (POST /internal/user-keys) for tests that run the consumer
 * without a producer: the same contract (bearer token, `{userIds}` in, `{keys}` out), serving
 * `testUserKey` for every user not erased. The producer's own endpoint is tested against the producer.
 */
export async function startTestUserKeysServer(): Promise<TestUserKeysServer> {
  const token = randomUUID() + randomUUID();
  const erased = new Set<string>();
  let refusing = false;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (refusing) {
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"code":"UNAVAILABLE","message":"down"}}');
        return;
      }
      if (req.method !== 'POST' || req.url !== '/internal/user-keys' || req.headers.authorization !== `Bearer ${token}`) {
        res.writeHead(req.headers.authorization === `Bearer ${token}` ? 404 : 401, { 'content-type': 'application/json' }).end('{"error":{"code":"REFUSED","message":"refused"}}');
        return;
      }
      const { userIds } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { userIds: string[] };
      const keys = Object.fromEntries(userIds.filter((userId) => !erased.has(userId)).map((userId) => [userId, testUserKey(userId).toString('base64url')]));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    erase: (userId) => void erased.add(userId),
    refuse: (on) => void (refusing = on),
    stop: () => new Promise<void>((resolveStop) => server.close(() => resolveStop())),
  };
}
