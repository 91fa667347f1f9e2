import { once } from 'node:events';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { loadConfig } from '../config';
import { createAsyncApiRoutes } from './asyncapi-routes';
import { asyncApiSettingsOf, buildAsyncApi } from './build-asyncapi';

describe('GET /asyncapi.json', () => {
  const config = loadConfig({ DATABASE_URL: 'postgres://localhost/herald_consumer', KAFKA_TOPIC_PREFIX: 'staging.', KAFKA_REPLICATION_FACTOR: '3' });
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const app = express();
    app.use(createAsyncApiRoutes({ document: buildAsyncApi(asyncApiSettingsOf(config)) }));
    server = createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('answers anyone with this deployment\'s contract: its topic names and replication, cacheable', async () => {
    const response = await fetch(`${base}/asyncapi.json`);
    const document = (await response.json()) as { asyncapi: string; channels: Record<string, { address: string; bindings: { kafka: { replicas: number } } }> };

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(document.asyncapi).toBe('3.0.0');
    expect(document.channels.newUserCreated).toMatchObject({ address: 'staging.new-user-created', bindings: { kafka: { replicas: 3 } } });
  });

  it('answers 304 to a client that holds the same document', async () => {
    const first = await fetch(`${base}/asyncapi.json`);
    const etag = first.headers.get('etag')!;
    await first.arrayBuffer();

    // node:http, not fetch: fetch adds `cache-control: no-cache` to a conditional request, which asks for the whole body.
    const again = await new Promise<number | undefined>((resolveStatus, reject) => {
      get(`${base}/asyncapi.json`, { headers: { 'if-none-match': etag } }, (response) => resolveStatus(response.resume().statusCode)).on('error', reject);
    });

    expect(again).toBe(304);
  });
});
