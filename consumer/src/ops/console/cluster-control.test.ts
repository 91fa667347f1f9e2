import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClusterControl } from './cluster-control';

const TOKEN = 'fake-control-token-0123456789';

/** A stand-in for the local cluster control of npm start, with the contract's answers. */
async function fakeControl(): Promise<{ url: string; server: Server; calls: string[] }> {
  const calls: string[] = [];
  const nodes = new Map([
    [1, { nodeId: 1, address: '127.0.0.1:9092', pid: 101, state: 'running' }],
    [2, { nodeId: 2, address: '127.0.0.1:9093', pid: null, state: 'stopped' }],
  ]);
  const server = createServer((req, res) => {
    calls.push(`${req.method} ${req.url}`);
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { error: 'unauthorized' });
    if (req.method === 'GET' && req.url === '/nodes') return send(200, { nodes: [...nodes.values()], quorum: { leaderId: 1, leaderEpoch: 4 } });
    if (req.url === '/nodes/9/garbage') return send(200, { nope: true });
    const match = /^\/nodes\/(\d+)\/(stop|kill|start)$/.exec(req.url ?? '');
    const found = match && nodes.get(Number(match[1]));
    if (req.method !== 'POST' || !match) return send(404, { error: 'not found' });
    if (!found) return send(404, { error: 'unknown node' });
    const wanted = match[2] === 'start' ? 'running' : 'stopped';
    if (found.state === wanted) return send(409, { error: 'conflict' });
    Object.assign(found, { state: wanted, pid: wanted === 'running' ? 202 : null });
    return send(200, { node: found });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, calls };
}

describe('the local cluster control client', () => {
  let fake: Awaited<ReturnType<typeof fakeControl>>;
  beforeEach(async () => (fake = await fakeControl()));
  afterEach(() => new Promise<void>((done) => fake.server.close(() => done())));

  it('lists the nodes and acts on one with the bearer token, as the contract says', async () => {
    const control = createClusterControl({ url: fake.url, token: TOKEN });
    expect(await control.nodes()).toEqual([
      { nodeId: 1, address: '127.0.0.1:9092', pid: 101, state: 'running' },
      { nodeId: 2, address: '127.0.0.1:9093', pid: null, state: 'stopped' },
    ]);
    expect((await control.status()).quorum).toEqual({ leaderId: 1, leaderEpoch: 4 });
    expect(await control.act(1, 'kill')).toEqual({ nodeId: 1, address: '127.0.0.1:9092', pid: null, state: 'stopped' });
    expect(await control.act(2, 'start')).toMatchObject({ nodeId: 2, state: 'running', pid: 202 });
    expect(fake.calls).toEqual(['GET /nodes', 'GET /nodes', 'POST /nodes/1/kill', 'POST /nodes/2/start']);
  });

  it('turns 404, 409, 401, an answer off the contract and silence into errors with stable codes', async () => {
    const control = createClusterControl({ url: fake.url, token: TOKEN });
    await expect(control.act(7, 'stop')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(control.act(2, 'stop')).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(control.act(9, 'garbage' as never)).rejects.toMatchObject({ code: 'CLUSTER_CONTROL_FAILED', message: expect.stringMatching(/not what its contract says/) });
    await expect(createClusterControl({ url: fake.url, token: 'wrong-token-0123456789' }).nodes()).rejects.toMatchObject({ code: 'CLUSTER_CONTROL_FAILED', message: expect.stringMatching(/refused/) });
    await expect(createClusterControl({ url: 'http://127.0.0.1:9', token: TOKEN }).nodes()).rejects.toMatchObject({ code: 'CLUSTER_CONTROL_FAILED', message: expect.stringMatching(/did not answer/) });
  });
});
