import { gzipSync } from 'node:zlib';
import { newUser, queryNumber } from '@herald/testing';
import { request } from './support/contract';
import { createLogger } from '@herald/core';
import type { ProducerConfig } from '../src/config';
import { startProducer, type RunningProducer } from '../src/main';
import { createTestDatabase, testProducerConfig } from './support/test-env';
import { signedInUser } from './support/users';

/** Raw HTTP, so malformed bodies reach the server exactly as written. */
async function send(baseUrl: string, path: string, body: string, contentType = 'application/json') {
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: response.status, body: (await response.json()) as { error: { code: string; message: string; details?: Array<{ path: string }> } } };
}

const valid = () => newUser();
const json = (value: unknown) => JSON.stringify(value);

// [what, path, body, expected status, field named in the answer (or a word of the message)]
const CASES: Array<[string, string, string, number, string]> = [
  ['malformed JSON', '/users', '{"username": "ada",', 400, 'not valid JSON'],
  ['an empty body', '/users', '', 400, 'username is required'],
  ['a JSON string instead of an object', '/users', '"ada"', 400, 'not valid JSON'],
  ['a JSON array', '/users', '[]', 400, 'must be a JSON object'],
  ['JSON null', '/users', 'null', 400, 'not valid JSON'],
  ['a missing password', '/users', json({ ...valid(), password: undefined }), 400, 'password'],
  ['a username of the wrong type', '/users', json({ ...valid(), username: 42 }), 400, 'username must be a string'],
  ['a missing username', '/users', json({ ...valid(), username: undefined }), 400, 'username is required'],
  ['a huge number as username', '/users', `{"username": 1e400, "email": "a@example.com", "password": "long enough"}`, 400, 'username'],
  ['a big integer as password', '/users', `{"username": "big_int", "email": "b@example.com", "password": 123456789012345678901234567890}`, 400, 'password'],
  ['an extra field', '/users', json({ ...valid(), isAdmin: true }), 400, 'isAdmin'],
  ['a __proto__ key', '/users', `{"__proto__": {"isAdmin": true}, ${json(valid()).slice(1)}`, 400, '__proto__'],
  ['an object as e-mail', '/users', json({ ...valid(), email: { $ne: null } }), 400, 'email'],
  ['an SQL-looking username', '/users', json({ ...valid(), username: "ada'; DROP TABLE users;--" }), 400, 'username'],
  ['an SQL-looking e-mail', '/users', json({ ...valid(), email: "x'OR'1'='1@example.com" }), 400, 'email'],
  ['a NUL byte in a name', '/users', json({ ...valid(), firstName: 'Ada\u0000' }), 400, 'firstName'],
  ['an unpaired surrogate in a name', '/users', `{${json(valid()).slice(1, -1)}, "lastName": "\\ud800"}`.replace('"lastName":"Lovelace",', ''), 400, 'lastName'],
  ['a right-to-left override in a name', '/users', json({ ...valid(), firstName: 'Ada\u202e' }), 400, 'firstName'],
  ['a zero-width space in a name', '/users', json({ ...valid(), lastName: 'Love\u200blace' }), 400, 'lastName'],
  ['a NUL byte in a login username', '/auth/login', json({ username: 'ada\u0000', password: 'whatever-123' }), 400, 'username'],
  ['a 101-character name', '/users', json({ ...valid(), lastName: 'é'.repeat(101) }), 400, 'lastName'],
  ['a too-short password', '/users', json({ ...valid(), password: 'short' }), 400, 'password'],
  ['a 129-character password', '/users', json({ ...valid(), password: 'p'.repeat(129) }), 400, 'password'],
  ['an e-mail of 300 characters', '/users', json({ ...valid(), email: `${'a'.repeat(290)}@example.com` }), 400, 'email'],
  ['a 1 MB body', '/users', json({ ...valid(), firstName: 'x'.repeat(1024 * 1024) }), 413, 'larger than'],
  ['a login with an array as password', '/auth/login', json({ username: 'ada', password: ['a'] }), 400, 'password'],
  ['a login with an extra field', '/auth/login', json({ username: 'ada', password: 'x', otp: '1' }), 400, 'otp'],
  ['a refresh without a token', '/auth/refresh', json({}), 400, 'refreshToken'],
  ['a refresh with a 10 kB token', '/auth/refresh', json({ refreshToken: 'r'.repeat(10_000) }), 400, 'refreshToken'],
];

describe('hostile input', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let config: ProducerConfig;
  let producer: RunningProducer;

  beforeAll(async () => {
    database = await createTestDatabase();
    config = testProducerConfig({ databaseUrl: database.url });
    producer = await startProducer(config, createLogger({ name: 'producer-test', level: 'silent' }));
  });

  afterAll(async () => {
    await producer?.stop();
    await database?.drop();
  });

  it.each(CASES)('when the body has %s, answers a clear 4xx naming the problem', async (_what, path, body, status, named) => {
    const answer = await send(producer.url, path, body);
    expect(answer.status).toBe(status);
    if (status >= 400) {
      expect(answer.body.error.code).toEqual(expect.any(String));
      const named_ = [answer.body.error.message, ...(answer.body.error.details ?? []).map((detail) => detail.path)].join(' ');
      expect(named_).toContain(named);
    }
  });

  it('when the content type is not JSON, answers 415', async () => {
    const answer = await send(producer.url, '/users', 'username=ada', 'application/x-www-form-urlencoded');
    expect(answer.status).toBe(415);
    expect(answer.body.error.message).toContain('application/json');
  });

  const password = 'the secret password 123';
  const gzipped = gzipSync(JSON.stringify({ username: 'enc_user', password }));
  // [what, Content-Encoding, body bytes, expected status]
  const ENCODINGS: Array<[string, string, Buffer, number]> = [
    ['gzip that is plain JSON', 'gzip', Buffer.from(JSON.stringify({ username: 'enc_user', password })), 400],
    ['gzip cut short', 'gzip', gzipped.subarray(0, gzipped.length - 6), 400],
    ['deflate garbage', 'deflate', Buffer.from(`not deflate ${password}`), 400],
    ['br garbage', 'br', Buffer.from(`\xff\xfe not brotli ${password}`), 400],
    ['an unknown encoding', 'x-secret-sauce', Buffer.from(JSON.stringify({ username: 'enc_user', password })), 415],
    ['two stacked encodings', 'gzip, br', gzipped, 415],
  ];

  it.each(ENCODINGS)('when the body is %s, answers %i without echoing any of it', async (_what, encoding, body, status) => {
    const response = await fetch(`${producer.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': encoding }, body: new Uint8Array(body) });
    const text = await response.text();
    expect(response.status).toBe(status);
    expect(JSON.parse(text).error.code).toBe(status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_USER_INPUT');
    expect(text).not.toContain(password);
    expect(text).not.toContain('enc_user');
  });

  it('when the body is well-formed gzip, it is read like any other', async () => {
    const response = await fetch(`${producer.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: new Uint8Array(gzipped) });
    expect(response.status).toBe(401);
  });

  it('when any of the bad requests above was refused, nothing of it was stored', async () => {
    expect(await queryNumber(database.url, 'SELECT count(*) FROM users')).toBe(0);
    expect(await queryNumber(database.url, 'SELECT count(*) FROM outbox_events')).toBe(0);
  });

  it('when an unknown route or a bad id is asked for, answers a JSON 404 or 400', async () => {
    const unknown = await request(producer.url, 'GET', '/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    const { auth } = await signedInUser(producer.url);
    const badId = await request(producer.url, 'GET', "/users/1' OR '1'='1", undefined, auth);
    expect(badId.status).toBe(400);
    expect(badId.body.error.message).toContain('must be a UUID');
  });
});
