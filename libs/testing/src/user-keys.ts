import { createCipheriv, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// Tests make events without a producer; their users' keys are derived from the user id, so every
// process of a test (a consumer started as a child process too) agrees on them without sharing any.
const TEST_KEY_SECRET = 'herald test user keys: never a production key';

/** The data key a test's user has (32 bytes, as the producer's are). */
export const testUserKey = (userId: string): Buffer => createHmac('sha256', TEST_KEY_SECRET).update(userId).digest();

/**
 * Seals `fields` for `userId` as the producer does (a JWE in compact form, `dir` + `A256GCM`,
 * the user in `kid`), synchronously, with node:crypto instead of @herald/events' jose: the
 * consumer opening it is also a check that the format is plain RFC 7516, open to any JOSE library.
 */
export function sealForTest(fields: object, userId: string, key: Buffer = testUserKey(userId)): string {
  const header = Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM', kid: userId })).toString('base64url');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  // RFC 7516 §5.1: the additional authenticated data is the encoded protected header.
  cipher.setAAD(Buffer.from(header, 'ascii'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(fields), 'utf8'), cipher.final()]);
  return [header, '', iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

export interface TestUserKeysServer {
  /** Where the consumer asks (its USER_KEYS_URL) and what it presents (its USER_KEYS_TOKEN). */
  url: string;
  token: string;
  /** Destroys a user's key, as an account deletion does in the producer. */
  erase(userId: string): void;
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
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
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
    stop: () => new Promise<void>((resolveStop) => server.close(() => resolveStop())),
  };
}
