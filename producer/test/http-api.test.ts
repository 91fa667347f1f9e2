import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, isReady, newUser, recordCount, testKafka } from '@herald/testing';
import { request } from './support/contract';
import { createLogger } from '@herald/core';
import { SignJWT } from 'jose';
import type { ProducerConfig } from '../src/config';
import { startProducer, type RunningProducer } from '../src/main';
import { OPENAPI_FILE } from '../src/openapi/producer-openapi';
import { outboxCounts } from './support/outbox';
import { createTestDatabase, testProducerConfig } from './support/test-env';
import { signedInUser } from './support/users';

const logger = createLogger({ name: 'producer-test', level: 'silent' });
const OPERATOR_TOKEN = 'producer-test-operator-token-0123456789abcdef';

describe('producer HTTP API', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let config: ProducerConfig;
  let producer: RunningProducer | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    config = testProducerConfig({ databaseUrl: database.url, overrides: { OPERATOR_TOKEN } });
    producer = await startProducer(config, logger);
    await eventually(isReady(producer.url), { what: 'producer ready' });
  });

  afterAll(async () => {
    await producer?.stop();
    await database?.drop();
  });

  const url = () => producer!.url;

  /** A well-formed token for `userId` with the right issuer and audience, signed by another key. */
  const foreignToken = (userId: string) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'EdDSA', kid: 'herald-1' })
      .setSubject(userId)
      .setJti(randomUUID())
      .setIssuer(config.jwt.issuer)
      .setAudience(config.jwt.audience)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(generateKeyPairSync('ed25519').privateKey);

  it('answers who it is on /ping, alive on /health, and ready with its checks on /ready', async () => {
    expect((await request(url(), 'GET', '/ping')).body).toMatchObject({ service: 'producer', version: expect.any(String) });
    expect((await request(url(), 'GET', '/health')).body).toEqual({ status: 'ok' });
    expect((await request(url(), 'GET', '/ready')).body).toEqual({ status: 'ready', checks: { database: true, kafka: true } });
  });

  it('when a user asks for themselves by id, answers the whole user, and never the password hash', async () => {
    const { user, auth } = await signedInUser(url());
    const found = await request(url(), 'GET', `/users/${user.id}`, undefined, auth);
    expect(found.status).toBe(200);
    expect(found.body).toEqual(user);
    expect(JSON.stringify(found.body)).not.toMatch(/hash|password/i);
  });

  it("when a user asks for someone else, answers only the public profile (no e-mail); 404 for an unknown id", async () => {
    const { auth } = await signedInUser(url());
    const { user: other } = await signedInUser(url());
    const found = await request(url(), 'GET', `/users/${other.id}`, undefined, auth);
    expect(found.status).toBe(200);
    expect(found.body).toEqual({ id: other.id, username: other.username, firstName: other.firstName, lastName: other.lastName, createdAt: other.createdAt });

    const missing = await request(url(), 'GET', '/users/00000000-0000-4000-8000-000000000000', undefined, auth);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toEqual({ code: 'NOT_FOUND', message: 'No such user' });
  });

  it('when GET /users/:id comes without a token, or with a bad, forged or foreign one, answers 401 and no user', async () => {
    const { user, accessToken } = await signedInUser(url());
    const [header, payload] = accessToken.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: randomUUID() })).toString('base64url');
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer' },
      { authorization: 'Bearer not-a-jwt' },
      { authorization: `Basic ${accessToken}` },
      { authorization: `Bearer ${header}.${forgedPayload}.${accessToken.split('.')[2]}` },
      { authorization: `Bearer ${header}.${payload}.` },
      { authorization: `Bearer ${await foreignToken(user.id)}` },
    ];
    for (const headers of attempts) {
      const answer = await request(url(), 'GET', `/users/${user.id}`, undefined, headers);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      expect(answer.body.error.code).toBe('UNAUTHENTICATED');
      expect(JSON.stringify(answer.body)).not.toContain(user.email);
    }
  });

  it('answers 401 with the same message for an unknown user and a wrong password', async () => {
    const body = newUser();
    await request(url(), 'POST', '/users', body);
    const wrongPassword = await request(url(), 'POST', '/auth/login', { username: body.username, password: 'not the password' });
    const unknownUser = await request(url(), 'POST', '/auth/login', { username: 'nobody_here', password: 'whatever-123' });
    expect([wrongPassword.status, unknownUser.status]).toEqual([401, 401]);
    expect(wrongPassword.body).toEqual(unknownUser.body);
    expect(unknownUser.body.error).toEqual({ code: 'UNAUTHENTICATED', message: 'Invalid username or password' });
  });

  it('serves its public signing key as a JWKS and never the private part', async () => {
    const { body } = await request(url(), 'GET', '/.well-known/jwks.json');
    expect(body.keys).toEqual([expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: 'herald-1', use: 'sig', x: expect.any(String) })]);
    expect(body.keys[0]).not.toHaveProperty('d');
  });

  it('serves its OpenAPI document at /openapi.json, as checked in, cacheable and readable from any origin', async () => {
    const answer = await request(url(), 'GET', '/openapi.json');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(JSON.parse(readFileSync(join(__dirname, '..', '..', OPENAPI_FILE), 'utf8')));
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    // The same route as /asyncapi.json's, whose test shows the 304 to a client holding this ETag.
    expect(answer.headers.get('etag')).toMatch(/^"[\w-]{27}"$/);
    expect(answer.headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('refuses /metrics without the operator token (401) or with a wrong one (403)', async () => {
    const anonymous = await request(url(), 'GET', '/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.message).toMatch(/operator token is required/);
    expect((await request(url(), 'GET', '/metrics', undefined, { authorization: `Bearer ${OPERATOR_TOKEN}x` })).status).toBe(403);
  });

  it('exposes Prometheus metrics for HTTP and the outbox to an operator', async () => {
    await eventually(async () => (await outboxCounts(database.url)).pending === 0, { what: 'outbox drained' });
    const { body } = await request(url(), 'GET', '/metrics', undefined, { authorization: `Bearer ${OPERATOR_TOKEN}` });
    expect(body).toMatch(/herald_outbox_published_total \d+/);
    expect(body).toMatch(/herald_outbox_pending 0/);
    expect(body).toMatch(/herald_http_request_duration_seconds_count\{method="POST",route="\/users",status="201"\} \d+/);
  });

  it('on stop, publishes everything its requests committed before it exits', async () => {
    const kafka = testKafka();
    const before = await recordCount(kafka, config.topics.newUserCreated);
    const answers = await Promise.all(Array.from({ length: 5 }, () => request(url(), 'POST', '/users', newUser())));
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201, 201]);
    // Stop at once: whatever the relay has not published yet is published while stopping.
    await producer!.stop();
    producer = undefined;
    expect(await outboxCounts(database.url)).toMatchObject({ pending: 0 });
    expect(await recordCount(kafka, config.topics.newUserCreated)).toBe(before + 5);
  });
});
