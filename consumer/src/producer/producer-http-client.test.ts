import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProducerHttpClient } from '../producer/producer-http-client';

describe('producer client', () => {
  it('passes the client address on as X-Forwarded-For, so the producer limits each client, not the consumer', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"accessToken":"a"}');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const producer = createProducerHttpClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMs: 2000 });
      await producer.login({ username: 'ada', password: 'x' }, { clientIp: '198.51.100.20' });
      await producer.signUp({}, {});
      expect(seen[0]?.['x-forwarded-for']).toBe('198.51.100.20');
      expect(seen[1]?.['x-forwarded-for']).toBeUndefined();
    } finally {
      server.close();
    }
  });
});
