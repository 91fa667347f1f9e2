import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProducerHttpClient, ProducerRejectedError } from '../producer/producer-http-client';

/** A stand-in producer answering every request with `answer`; it records what it was sent. */
async function withProducer(answer: (req: IncomingMessage, res: ServerResponse) => void, run: (baseUrl: string, seen: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders; body: string }>) => Promise<void>) {
  const seen: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      answer(req, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
const json = (status: number, body: unknown) => (_req: IncomingMessage, res: ServerResponse) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const viewer = { authorization: 'Bearer a.b.c', clientIp: '198.51.100.20' };

describe('producer client', () => {
  it('passes the client address on as X-Forwarded-For, so the producer limits each client, not the consumer', async () => {
    await withProducer(json(200, { accessToken: 'a' }), async (baseUrl, seen) => {
      const producer = createProducerHttpClient({ baseUrl, timeoutMs: 2000 });
      await producer.login({ username: 'ada', password: 'x' }, { clientIp: '198.51.100.20' });
      await producer.login({ username: 'ada', password: 'x' }, {});
      expect(seen[0]?.headers['x-forwarded-for']).toBe('198.51.100.20');
      expect(seen[1]?.headers['x-forwarded-for']).toBeUndefined();
    });
  });

  it('calls the routes of the OpenAPI document, with the path parameters encoded and the viewer’s token', async () => {
    await withProducer(json(204, undefined), async (baseUrl, seen) => {
      const producer = createProducerHttpClient({ baseUrl, timeoutMs: 2000 });
      await producer.deletePost('a/b', viewer);
      await producer.deleteAccount({ currentPassword: 'pw' }, viewer);
      expect(seen.map(({ method, url }) => `${method} ${url}`)).toEqual(['DELETE /posts/a%2Fb', 'DELETE /users/me']);
      expect(seen[1]).toMatchObject({ headers: { authorization: 'Bearer a.b.c', 'content-type': 'application/json' }, body: '{"currentPassword":"pw"}' });
    });
  });

  it("passes a refusal on with the producer's code, message and details", async () => {
    const refusal = { error: { code: 'CONFLICT', message: 'Username is already taken', details: [{ path: 'username', message: 'already taken' }] } };
    await withProducer(json(409, refusal), async (baseUrl) => {
      const signingUp = createProducerHttpClient({ baseUrl, timeoutMs: 2000 }).signUp({ username: 'ada', email: 'ada@example.com', password: 'correct horse' });
      await expect(signingUp).rejects.toBeInstanceOf(ProducerRejectedError);
      await expect(signingUp).rejects.toMatchObject({ code: 'CONFLICT', status: 409, message: 'Username is already taken', details: refusal.error.details });
    });
  });

  it('takes a failure, a body that is not JSON and no answer in time for the producer being unavailable, naming its URL', async () => {
    await withProducer(json(500, { error: { code: 'INTERNAL' } }), async (baseUrl) => {
      await expect(createProducerHttpClient({ baseUrl, timeoutMs: 2000 }).logout(viewer)).rejects.toMatchObject({ name: 'ProducerUnavailableError', message: `The producer at ${baseUrl} failed (500)` });
    });
    await withProducer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('<html>'), async (baseUrl) => {
      await expect(createProducerHttpClient({ baseUrl, timeoutMs: 2000 }).logout(viewer)).rejects.toMatchObject({ name: 'ProducerUnavailableError', message: `The producer at ${baseUrl} answered with a body that is not JSON` });
    });
    await withProducer(() => undefined, async (baseUrl) => {
      await expect(createProducerHttpClient({ baseUrl, timeoutMs: 200 }).ping()).rejects.toMatchObject({ name: 'ProducerUnavailableError', message: `The producer at ${baseUrl} did not answer within 200 ms` });
    });
    await expect(createProducerHttpClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 2000 }).ping()).rejects.toMatchObject({ name: 'ProducerUnavailableError', message: 'The producer at http://127.0.0.1:9 could not be reached' });
  });
});
