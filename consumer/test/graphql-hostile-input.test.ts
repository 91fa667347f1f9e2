import { request as httpRequest } from 'node:http';
import { eventually, newUser, queryNumber, request } from '@herald/testing';
import { gql, SIGN_UP } from './support/graphql';
import { wsClient } from './support/subscriptions';
import { startSystem, type TestSystem } from './support/system';

const ALLOWED_ORIGIN = 'https://app.example.com';
const LIMIT = 16 * 1024;

/** Streams `total` bytes in 4 KiB chunks with no Content-Length (chunked), and returns the answer. */
function postChunked(url: string, total: number): Promise<{ status: number; body: string }> {
  return new Promise((resolveAnswer, reject) => {
    const req = httpRequest(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolveAnswer({ status: res.statusCode ?? 0, body }));
    });
    // The server may answer and close before everything is written; that is the point.
    req.on('error', (error) => (req.writableEnded ? undefined : reject(error)));
    expect(req.getHeader('content-length')).toBeUndefined();
    const chunk = Buffer.alloc(4096, 'a');
    let sent = 0;
    const writeMore = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', writeMore);
      }
      req.end();
    };
    req.write('{"query":"');
    writeMore();
  });
}

describe('GraphQL under hostile input', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startSystem({ consumerEnv: { CORS_ORIGINS: ALLOWED_ORIGIN, GRAPHQL_BODY_LIMIT_BYTES: String(LIMIT) } });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('a body over the limit gets 413 with a GraphQL error, with a Content-Length and chunked without one, on both endpoints', async () => {
    const big = await request(system.consumerUrl, 'POST', '/graphql', { query: `{ users { totalCount } } # ${'x'.repeat(LIMIT)}` });
    expect(big.status).toBe(413);
    expect(big.body).toEqual({ errors: [{ message: `Request body is larger than ${LIMIT} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
    const bigOps = await request(system.consumerUrl, 'POST', '/ops/graphql', { query: `{ consumerGroups { groupId } } # ${'x'.repeat(LIMIT)}` }, system.asOperator);
    expect([bigOps.status, bigOps.body]).toEqual([413, big.body]);

    const chunked = await postChunked(system.consumerUrl, 1024 * 1024);
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');

    const small = await request(system.consumerUrl, 'POST', '/graphql', { query: '{ users { totalCount } }' });
    expect(small.body.data.users.totalCount).toEqual(expect.any(Number));
  });

  it('a form-encoded or text/plain mutation is refused (CSRF) and nothing is stored', async () => {
    const body = newUser();
    const mutation = `mutation { signUp(input: { username: "${body.username}", email: "${body.email}", password: "${body.password}" }) { id } }`;
    const form = await fetch(`${system.consumerUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ query: mutation }).toString() });
    expect(form.status).toBe(403);
    const text = await fetch(`${system.consumerUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: mutation }) });
    expect(text.status).toBe(403);
    expect(await queryNumber(system.producerDatabaseUrl, 'SELECT count(*) FROM users WHERE username = $1', [body.username])).toBe(0);
  });

  it('a foreign Origin gets no Access-Control-Allow-Origin; an allowed one gets itself back', async () => {
    const query = { query: '{ users { totalCount } }' };
    const foreign = await request(system.consumerUrl, 'POST', '/graphql', query, { origin: 'https://evil.example' });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(foreign.headers.get('access-control-allow-credentials')).toBeNull();
    const preflight = await fetch(`${system.consumerUrl}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();

    const allowed = await request(system.consumerUrl, 'POST', '/graphql', query, { origin: ALLOWED_ORIGIN });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('a malformed JSON body is refused without any part of it in the answer', async () => {
    const body = '{"query":"mutation { login(username: \\"ada\\", password: \\"s3cret-passw0rd\\") { accessToken } }", "variables": {';
    const response = await fetch(`${system.consumerUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const text = await response.text();
    expect(response.status).toBeLessThan(500);
    expect(JSON.parse(text)).toEqual({ errors: [{ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
    expect(text).not.toMatch(/s3cret|login|variables/);
  });

  it.each([
    ['a date beyond what PostgreSQL stores', '+275760-09-13T00:00:00.000Z|ffffffff-ffff-ffff-ffff-fffffffffff0'],
    ['a 36-character id that is no UUID', '2026-01-01T00:00:00.000Z|zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz'],
    ['a day that does not exist', '2026-02-30T00:00:00.000Z|6f1f3c1e-8a1b-4c41-9d0a-1d8a0d7e2b11'],
    ['year zero', '0000-01-01T00:00:00.000Z|6f1f3c1e-8a1b-4c41-9d0a-1d8a0d7e2b11'],
  ])('a forged after cursor (%s) gets BAD_USER_INPUT', async (_what, position) => {
    const answer = await gql(system.consumerUrl, 'query($after: String) { users(first: 5, after: $after) { totalCount } }', { after: Buffer.from(position).toString('base64url') });
    expect(answer.errors).toEqual([expect.objectContaining({ message: 'after is not a cursor returned by this API', extensions: { code: 'BAD_USER_INPUT' } })]);
  });

  it('a cursor the API returned pages on', async () => {
    for (let i = 0; i < 2; i += 1) {
      const body = newUser();
      await gql(system.consumerUrl, SIGN_UP, { input: { username: body.username, email: body.email, password: body.password } });
    }
    await eventually(async () => (await gql(system.consumerUrl, '{ users { totalCount } }')).data.users.totalCount >= 2, { what: 'two users projected' });
    const first = await gql(system.consumerUrl, '{ users(first: 1) { pageInfo { endCursor hasNextPage } edges { node { id } } } }');
    const next = await gql(system.consumerUrl, 'query($after: String) { users(first: 1, after: $after) { edges { node { id } } } }', { after: first.data.users.pageInfo.endCursor });
    expect(next.errors).toBeUndefined();
    expect(next.data.users.edges[0].node.id).not.toBe(first.data.users.edges[0].node.id);
  });

  it('a bad graphql-ws subscription gets an error on its id; the socket stays open and a good one then works', async () => {
    const socket = wsClient(system.consumerUrl);
    try {
      const bad = [
        socket.subscribe('subscription { userCreated { id '), // unparsable
        socket.subscribe('subscription { noSuchField }'), // unknown field
        socket.subscribe(`subscription { userCreated { ${'id '.repeat(2000)} } }`), // over the token limit: parse throws
        socket.subscribe('subscription { userCreated { id } tokenIssued { jti } }'), // two root fields
      ];
      await Promise.all(bad.map((subscription) => subscription.done));
      for (const subscription of bad) {
        expect(subscription.errors.length).toBeGreaterThan(0);
        expect(subscription.errors.every((error: any) => typeof error.message === 'string' && error.extensions?.code !== 'INTERNAL_SERVER_ERROR')).toBe(true);
      }
      expect(socket.isClosed()).toBe(false);

      const good = socket.subscribe('subscription { userCreated { username } }');
      // Signs up until one is heard: the first may come before the subscription is in place.
      await eventually(async () => {
        const body = newUser();
        await gql(system.consumerUrl, SIGN_UP, { input: { username: body.username, email: body.email, password: body.password } });
        return good.received.length > 0;
      }, { intervalMs: 500, what: 'the good subscription hearing a sign-up' });
      expect(socket.isClosed()).toBe(false);
    } finally {
      await socket.close();
    }
  });
});
