import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort } from '../net';
import { startZipkin, type ZipkinServer } from './zipkin-server';

describe('a local Zipkin server (npm start -- --traces)', () => {
  let zipkin: ZipkinServer;

  beforeAll(async () => {
    const dataDir = join(process.env.HERALD_TEST_DATA_DIR ?? '.herald/test', `zipkin-${randomBytes(4).toString('hex')}`);
    zipkin = await startZipkin({ port: await freePort(), logFile: join(dataDir, 'zipkin.log') });
  }, 300_000);

  afterAll(async () => {
    await zipkin?.stop();
  }, 30_000);

  it('takes spans on its v2 API and answers the trace by id, until it stops', async () => {
    const traceId = randomBytes(16).toString('hex');
    const span = { traceId, id: randomBytes(8).toString('hex'), name: 'post /users', timestamp: Date.now() * 1000, duration: 1500, localEndpoint: { serviceName: 'herald-producer' } };
    const posted = await fetch(zipkin.spansUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([span]) });
    expect(posted.status).toBe(202);
    let trace: Array<{ name: string }> = [];
    for (let attempt = 0; attempt < 50 && trace.length === 0; attempt += 1) {
      const answer = await fetch(`${zipkin.url}/api/v2/trace/${traceId}`);
      if (answer.ok) trace = (await answer.json()) as Array<{ name: string }>;
      else await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
    expect(trace.map(({ name }) => name)).toEqual(['post /users']);

    await zipkin.stop();
    await expect(fetch(`${zipkin.url}/health`)).rejects.toThrow();
  });
});
