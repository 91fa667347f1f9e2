import WebSocket from 'ws';
import { eventually } from '@herald/testing';
import { startInProcessConsumer, type InProcessConsumer } from './support/in-process-consumer';
import { OPS_GRAPHQL, PUBLIC_GRAPHQL } from './support/graphql';
import { sseSubscribe, wsClient } from './support/subscriptions';

const USER_CREATED = 'subscription { userCreated { id username } }';

/** The HTTP status a graphql-ws upgrade is answered with (101 when the socket opens). */
function upgradeStatus(consumerUrl: string, endpoint = PUBLIC_GRAPHQL): Promise<{ status: number; socket?: WebSocket }> {
  return new Promise((resolveStatus) => {
    const socket = new WebSocket(`${consumerUrl.replace(/^http/, 'ws')}${endpoint}`, 'graphql-transport-ws');
    socket.once('open', () => {
      socket.send(JSON.stringify({ type: 'connection_init' })); // else the server closes it after its init timeout
      resolveStatus({ status: 101, socket });
    });
    socket.once('unexpected-response', (_req, res) => resolveStatus({ status: res.statusCode ?? 0 }));
    socket.once('error', () => {});
  });
}

describe('long-lived GraphQL connections have limits per client', () => {
  let consumer: InProcessConsumer;

  beforeAll(async () => {
    consumer = await startInProcessConsumer({ env: { GRAPHQL_MAX_STREAMS_PER_CLIENT: '3', GRAPHQL_MAX_SUBSCRIPTIONS_PER_SOCKET: '2' } });
  }, 120_000);

  afterAll(async () => {
    await consumer?.stop();
  });

  it('refuses a client its fourth socket or stream, on either endpoint, with a 429, and lets it open one again once one closes', async () => {
    const open = [await upgradeStatus(consumer.url), await upgradeStatus(consumer.url, OPS_GRAPHQL)];
    const sse = await sseSubscribe(consumer.url, USER_CREATED);
    expect([...open.map(({ status }) => status), sse.status]).toEqual([101, 101, 200]);

    expect((await upgradeStatus(consumer.url)).status).toBe(429);
    expect((await upgradeStatus(consumer.url, OPS_GRAPHQL)).status).toBe(429);
    const opsSse = await sseSubscribe(consumer.url, 'subscription { consoleFlow { at } }', consumer.asOperator, OPS_GRAPHQL);
    expect(opsSse.status).toBe(429);
    const refused = await fetch(`${consumer.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify({ query: USER_CREATED }) });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ error: { code: 'TOO_MANY_STREAMS', message: 'Too many open subscription streams from this client; close some and try again' } });
    // Plain queries are not streams: they go on.
    const query = await fetch(`${consumer.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ users(first: 1) { totalCount } }' }) });
    expect(query.status).toBe(200);

    await sse.close();
    open[0]!.socket!.close();
    await eventually(async () => {
      const again = await upgradeStatus(consumer.url);
      again.socket?.close();
      return again.status === 101;
    }, { what: 'a socket accepted once others closed' });
    open[1]!.socket!.close();
  });

  it('answers an upgrade on a path with no GraphQL endpoint with a 404', async () => {
    expect((await upgradeStatus(consumer.url, '/ops')).status).toBe(404);
  });

  it('answers a third subscription on one socket with an error on its own id, keeping the socket and the other two', async () => {
    const client = wsClient(consumer.url);
    try {
      const first = client.subscribe(USER_CREATED);
      const second = client.subscribe(USER_CREATED);
      const third = client.subscribe(USER_CREATED);
      await third.done;
      expect(third.errors).toEqual([expect.objectContaining({ message: 'Too many subscriptions on this connection (at most 2); complete some first', extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } })]);
      expect(client.isClosed()).toBe(false);
      expect([first.errors, second.errors]).toEqual([[], []]);

      await first.close();
      const fourth = client.subscribe(USER_CREATED);
      // Accepted: nothing refuses it, and it is still running a moment later.
      const outcome = await Promise.race([fourth.done.then(() => 'ended'), new Promise((resolveLater) => setTimeout(() => resolveLater('running'), 1500))]);
      expect([outcome, fourth.errors]).toEqual(['running', []]);
    } finally {
      await client.close();
    }
  });
});
