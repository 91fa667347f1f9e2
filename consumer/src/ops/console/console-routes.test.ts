import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@herald/core';
import { createErrorHandler, notFoundHandler } from '@herald/http';
import express from 'express';
import { createConsoleRoutes } from './console-routes';

describe('the console page routes', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const app = express();
    app.use(createConsoleRoutes());
    app.use(notFoundHandler);
    app.use(createErrorHandler({ logger: createLogger({ name: 'console-routes-test', level: 'silent' }), bodyLimitBytes: 1024 }));
    server = createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('serves the shell with a CSP that allows exactly its own import map and nothing inline else', async () => {
    const response = await fetch(`${base}/console`);
    const html = await response.text();
    expect(response.status).toBe(200);
    const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html)![1]!;
    const hash = createHash('sha256').update(importMap).digest('base64');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect(csp).toMatch(/default-src 'none'.*style-src 'self'.*connect-src 'self'.*frame-ancestors 'none'/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-store');
    // Every module the import map names is served.
    for (const url of Object.values(JSON.parse(importMap).imports as Record<string, string>)) {
      const module = await fetch(`${base}${url}`);
      expect([url, module.status, module.headers.get('content-type')]).toEqual([url, 200, expect.stringMatching(/javascript/)]);
    }
  });

  it('answers a file that is not there, or outside its folders, with a JSON 404 that does not echo the path', async () => {
    for (const path of ['/console/app/nope.js', '/console/vendor/evil.js', '/console/app/%2e%2e/%2e%2e/package.json', '/console/vendor/graphql-ws/..%2f..%2fpackage.json', '/console/app/.secret']) {
      const response = await fetch(`${base}${path}`);
      const body = await response.text();
      expect([path, response.status]).toEqual([path, 404]);
      expect(body).not.toMatch(/nope|evil|package|secret/);
    }
  });
});
