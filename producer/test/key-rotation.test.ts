import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createLogger } from '@herald/core';
import { newUser } from '@herald/testing';
import { request } from './support/contract';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startProducer, type RunningProducer } from '../src/main';
import { createTestDatabase, testProducerConfig } from './support/test-env';

const newKey = () => generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const publicPem = (privatePem: string) => createPublicKey(createPrivateKey(privatePem)).export({ format: 'pem', type: 'spki' }).toString();

/**
 * The runbook's middle step, mid-rollout: task A still signs with the old key, task B already with
 * the new one; each serves the other's public key too. A verifier that fetched its keys from
 * either task accepts the tokens of both, so no request fails while the tasks are replaced.
 */
describe('rotating the signing key across two producer tasks', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let oldTask: RunningProducer;
  let newTask: RunningProducer;
  const oldKey = newKey();
  const nextKey = newKey();

  beforeAll(async () => {
    database = await createTestDatabase();
    const logger = createLogger({ name: 'producer-test', level: 'silent' });
    const task = (privateKey: string, keyId: string, extra: Record<string, string>) =>
      startProducer(testProducerConfig({ databaseUrl: database.url, overrides: { JWT_PRIVATE_KEY: privateKey, JWT_KEY_ID: keyId, JWT_EXTRA_PUBLIC_KEYS: JSON.stringify(extra) } }), logger);
    oldTask = await task(oldKey, 'herald-1', { 'herald-2': publicPem(nextKey) });
    newTask = await task(nextKey, 'herald-2', { 'herald-1': publicPem(oldKey) });
  }, 60_000);

  afterAll(async () => {
    await oldTask?.stop();
    await newTask?.stop();
    await database?.drop();
  });

  it("when each task serves the other's key, a token from either verifies against the keys of either, and both tasks accept both tokens", async () => {
    const user = newUser();
    const signedUp = await request(oldTask.url, 'POST', '/users', user);
    expect(signedUp.status).toBe(201);
    const login = async (task: RunningProducer) => (await request(task.url, 'POST', '/auth/login', { username: user.username, password: user.password })).body.accessToken as string;
    const tokens = { old: await login(oldTask), next: await login(newTask) };

    for (const task of [oldTask, newTask]) {
      const jwks = (await request(task.url, 'GET', '/.well-known/jwks.json')).body as { keys: Array<{ kid: string }> };
      expect(jwks.keys.map((key) => key.kid).sort()).toEqual(['herald-1', 'herald-2']);
      // What the consumer does: jose's remote key set, from this one task.
      const keys = createRemoteJWKSet(new URL('/.well-known/jwks.json', task.url));
      for (const token of Object.values(tokens)) {
        const { payload } = await jwtVerify(token, keys, { issuer: 'herald-producer', audience: 'herald', algorithms: ['EdDSA'] });
        expect(payload.sub).toBe(signedUp.body.id);
      }
      for (const token of Object.values(tokens)) {
        expect((await request(task.url, 'GET', `/users/${signedUp.body.id}`, undefined, { authorization: `Bearer ${token}` })).status).toBe(200);
      }
    }
  });

  it('when a token is signed by a key neither task serves, both refuse it', async () => {
    const stranger = await startProducer(testProducerConfig({ databaseUrl: database.url, overrides: { JWT_PRIVATE_KEY: newKey(), JWT_KEY_ID: 'herald-1' } }), createLogger({ name: 'producer-test', level: 'silent' }));
    try {
      const user = newUser();
      await request(stranger.url, 'POST', '/users', user);
      const token = (await request(stranger.url, 'POST', '/auth/login', { username: user.username, password: user.password })).body.accessToken as string;
      for (const task of [oldTask, newTask]) expect((await request(task.url, 'GET', '/users/00000000-0000-4000-8000-000000000000', undefined, { authorization: `Bearer ${token}` })).status).toBe(401);
    } finally {
      await stranger.stop();
    }
  });
});
