import { captureLogger, eventually, isReady, murmur2Partition, newUser, queryNumber, recordCount, startProbe, testKafka } from '@herald/testing';
import { request } from './support/contract';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { parseEvent, type IssuedToken, type NewUserCreated } from '@herald/events';
import type { Kafka } from 'kafkajs';
import { startProducer, type RunningProducer } from '../src/main';
import type { ProducerConfig } from '../src/config';
import { outboxCounts } from './support/outbox';
import { createTestDatabase, testProducerConfig } from './support/test-env';
import { openedPayload } from './support/opened';

const jtiOf = (accessToken: string) => (JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8')) as { jti: string }).jti;

describe('events published by the producer (real Kafka, real PostgreSQL)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let config: ProducerConfig;
  let producer: RunningProducer;
  let kafka: Kafka;
  let probe: Awaited<ReturnType<typeof startProbe>>;
  let logLines: string[];

  beforeAll(async () => {
    database = await createTestDatabase();
    config = testProducerConfig({ databaseUrl: database.url });
    const captured = captureLogger('producer-test');
    logLines = captured.lines;
    producer = await startProducer(config, captured.logger);
    await eventually(isReady(producer.url), { what: 'producer ready (topics created)' });
    kafka = testKafka();
    probe = await startProbe(kafka, [config.topics.newUserCreated, config.topics.issuedToken]);
  });

  afterAll(async () => {
    await probe?.stop();
    await producer?.stop();
    await database?.drop();
  });

  const drained = () => eventually(async () => (await outboxCounts(database.url)).pending === 0, { what: 'outbox drained' });

  it('creates the topics with 8 partitions', async () => {
    const admin = kafka.admin();
    await admin.connect();
    const { topics } = await admin.fetchTopicMetadata({ topics: [config.topics.newUserCreated, config.topics.issuedToken] });
    await admin.disconnect();
    expect(topics.map((topic) => topic.partitions.length)).toEqual([8, 8]);
  });

  it('when a user signs up, publishes exactly one schema-valid new-user-created record keyed by the user id, on the partition the key maps to, with no secret in it', async () => {
    const body = newUser();
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const response = await request(producer.url, 'POST', '/users', body, { traceparent });
    expect(response.status).toBe(201);
    const userId = response.body.id as string;
    expect(response.body).toEqual({
      id: userId,
      username: body.username,
      email: body.email,
      firstName: 'Ada',
      lastName: 'Lovelace',
      createdAt: expect.any(String),
    });

    const [record] = await probe.waitFor((r) => r.key === userId);
    expect(record!.topic).toBe(config.topics.newUserCreated);
    expect(record!.partition).toBe(murmur2Partition(userId, 8));
    const event = parseEvent(JSON.parse(record!.value)) as NewUserCreated;
    expect(event.type).toBe('new-user-created');
    expect(record!.value).not.toContain(body.email);
    expect(await openedPayload(producer.url, event)).toMatchObject({ userId, username: body.username, email: body.email });
    expect(record!.headers['event-type']).toBe('new-user-created');
    expect(record!.headers['event-id']).toBe(event.eventId);
    expect(record!.headers.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(record!.value).not.toContain(body.password);
    expect(record!.value).not.toMatch(/argon2|password|hash/i);

    await drained();
    expect(await recordCount(kafka, config.topics.newUserCreated)).toBe(1);
  });

  it('when a caller sends a traceparent that is not one, starts a new trace: the record carries a valid one, never the value sent', async () => {
    const hostile = ['00-00000000000000000000000000000000-00f067aa0ba902b7-01', `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01-extra`, '<script>', 'x'.repeat(4000)];
    for (const traceparent of hostile) {
      const response = await request(producer.url, 'POST', '/users', newUser(), { traceparent });
      expect(response.status).toBe(201);
      const [record] = await probe.waitFor((r) => r.key === response.body.id);
      expect(record!.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(record!.headers.traceparent).not.toContain('0'.repeat(32));
      expect(record!.headers.traceparent).not.toContain('a'.repeat(32));
    }
  });

  it('when the user logs in and refreshes, publishes one issued-token record each, carrying the access token id and no token', async () => {
    const body = newUser();
    const { body: user } = await request(producer.url, 'POST', '/users', body);

    const login = await request(producer.url, 'POST', '/auth/login', { username: body.username, password: body.password });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
    expect(login.headers.get('cache-control')).toBe('no-store');

    const refreshed = await request(producer.url, 'POST', '/auth/refresh', { refreshToken: login.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(login.body.refreshToken);

    const jwks = createLocalJWKSet((await request(producer.url, 'GET', '/.well-known/jwks.json')).body);
    const verify = async (token: string) => (await jwtVerify(token, jwks, { issuer: 'herald-producer', audience: 'herald' })).payload;
    const loginClaims = await verify(login.body.accessToken);
    const refreshClaims = await verify(refreshed.body.accessToken);
    expect(loginClaims.sub).toBe(user.id);

    const records = await probe.waitFor((r) => r.topic === config.topics.issuedToken && r.key === user.id, 2);
    const events = records.map((r) => parseEvent(JSON.parse(r.value)) as IssuedToken);
    expect(events.map((e) => [e.payload.reason, e.payload.jti])).toEqual([
      ['login', loginClaims.jti],
      ['refresh', refreshClaims.jti],
    ]);
    for (const record of records) {
      expect(record.partition).toBe(murmur2Partition(user.id, 8));
      expect(record.value).not.toContain(login.body.refreshToken);
      expect(record.value).not.toContain(login.body.accessToken.split('.')[2]);
    }
    await drained();
    expect(await recordCount(kafka, config.topics.issuedToken)).toBe(2);
  });

  it('when a used refresh token is presented again, answers 401 and revokes the tokens issued from it', async () => {
    const body = newUser();
    await request(producer.url, 'POST', '/users', body);
    const login = await request(producer.url, 'POST', '/auth/login', { username: body.username, password: body.password });
    const first = await request(producer.url, 'POST', '/auth/refresh', { refreshToken: login.body.refreshToken });
    expect(first.status).toBe(200);

    const replay = await request(producer.url, 'POST', '/auth/refresh', { refreshToken: login.body.refreshToken });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('UNAUTHENTICATED');
    const afterReuse = await request(producer.url, 'POST', '/auth/refresh', { refreshToken: first.body.refreshToken });
    expect(afterReuse.status).toBe(401);
  });

  it('when one refresh token is presented ten times at once, exactly one refresh succeeds and exactly one event is published for it', async () => {
    const body = newUser();
    const { body: user } = await request(producer.url, 'POST', '/users', body);
    const login = await request(producer.url, 'POST', '/auth/login', { username: body.username, password: body.password });

    const answers = await Promise.all(Array.from({ length: 10 }, () => request(producer.url, 'POST', '/auth/refresh', { refreshToken: login.body.refreshToken })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, ...Array(9).fill(401)]);
    const winner = answers.find((answer) => answer.status === 200)!;
    await drained();
    const records = await probe.waitFor((r) => r.topic === config.topics.issuedToken && r.key === user.id, 2);
    const refreshes = records.map((r) => parseEvent(JSON.parse(r.value)) as IssuedToken).filter((event) => event.payload.reason === 'refresh');
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]!.payload.jti).toBe(jtiOf(winner.body.accessToken));
    expect(await queryNumber(database.url, 'SELECT count(*) FROM refresh_tokens WHERE user_id = $1', [user.id])).toBe(2);
  });

  it('never writes a password, hash or token to the logs', async () => {
    const body = newUser({ password: 'a-very-distinct-password-123' });
    await request(producer.url, 'POST', '/users', body);
    const login = await request(producer.url, 'POST', '/auth/login', { username: body.username, password: body.password });
    await request(producer.url, 'POST', '/auth/login', { username: body.username, password: 'wrong-password-456' });
    await request(producer.url, 'POST', '/auth/refresh', { refreshToken: login.body.refreshToken });
    await request(producer.url, 'POST', '/users', '{"password": "leaky-password-789", ');

    const logs = logLines.join('');
    expect(logs).toContain('POST');
    for (const secret of ['a-very-distinct-password-123', 'wrong-password-456', 'leaky-password-789', login.body.refreshToken, login.body.accessToken]) {
      expect(logs).not.toContain(secret);
    }
    expect(logs).not.toContain('$argon2id$');
  });
});
