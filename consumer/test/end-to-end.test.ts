import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, murmur2Partition, newUser, request, testKafka } from '@herald/testing';
import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { runKafkaTool } from '@herald/local-infra';
import { asMessage, publish, tokenIssuedEvent, userCreatedEvent } from './support/events';
import { gql, LOGIN, OPS_GRAPHQL, opsGql, PUBLIC_GRAPHQL, SIGN_UP } from './support/graphql';
import { startSystem, type TestSystem } from './support/system';

/** User ids whose keys land on each of the `partitions` partitions, one per partition. */
function partitionCovering(partitions: number): string[] {
  const byPartition = new Map<number, string>();
  while (byPartition.size < partitions) {
    const id = randomUUID();
    byPartition.set(murmur2Partition(id, partitions), id);
  }
  return [...byPartition.values()];
}

/** Collects what a graphql-ws subscription pushes. */
function subscribe(url: string, query: string, connectionParams: Record<string, string> = {}, endpoint = PUBLIC_GRAPHQL) {
  const received: any[] = [];
  const client = createClient({ url: url.replace('http', 'ws') + endpoint, webSocketImpl: WebSocket, lazy: false, connectionParams });
  const dispose = client.subscribe({ query }, { next: (value) => received.push(value.data), error: () => {}, complete: () => {} });
  return { received, close: async () => { dispose(); await client.dispose(); } };
}

describe('end to end: GraphQL → producer → Kafka → consumer → read model (both services as processes)', () => {
  let system: TestSystem;

  beforeAll(async () => {
    // A low depth limit, so a query of this schema can exceed it.
    system = await startSystem({ consumerEnv: { GRAPHQL_MAX_DEPTH: '4' } });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('signUp appears in users and login in tokens, and subscribers are told of both', async () => {
    const users = subscribe(system.consumerUrl, 'subscription { userCreated { id username } }');
    // An operator hears every login on /ops/graphql; a user only its own on /graphql (graphql-access.test.ts).
    const tokens = subscribe(system.consumerUrl, 'subscription { tokenIssued { jti userId reason } }', system.asOperator, OPS_GRAPHQL);
    await new Promise((resolveWait) => setTimeout(resolveWait, 300)); // let both subscriptions reach the server

    const body = newUser();
    const signUp = await gql(system.consumerUrl, SIGN_UP, { input: { username: body.username, email: body.email, password: body.password } });
    expect(signUp.errors).toBeUndefined();
    const userId = signUp.data.signUp.id as string;

    await eventually(async () => {
      const page = await gql(system.consumerUrl, '{ users(first: 50) { totalCount edges { node { id username } } } }');
      return page.data.users.edges.some((edge: any) => edge.node.id === userId);
    }, { what: 'the new user in the users query' });

    const login = await gql(system.consumerUrl, LOGIN, { username: body.username, password: body.password });
    expect(login.data.login.tokenType).toBe('Bearer');
    const asUser = { authorization: `Bearer ${login.data.login.accessToken}` };
    await eventually(async () => (await gql(system.consumerUrl, 'query($id: ID!) { tokens(userId: $id) { reason } }', { id: userId }, asUser)).data?.tokens.length === 1, {
      what: 'the login in the tokens query',
    });

    const me = await gql(system.consumerUrl, '{ me { id username tokens { reason jti } } }', {}, asUser);
    expect(me.data.me).toMatchObject({ id: userId, username: body.username, tokens: [{ reason: 'login' }] });

    await eventually(async () => users.received.length >= 1 && tokens.received.length >= 1, { what: 'both subscription events' });
    expect(users.received).toEqual([{ userCreated: { id: userId, username: body.username } }]);
    expect(tokens.received).toEqual([{ tokenIssued: { jti: me.data.me.tokens[0].jti, userId, reason: 'login' } }]);
    await users.close();
    await tokens.close();
  });

  it('serves the event contract (AsyncAPI) of this deployment at /asyncapi.json: its topics, with their prefix', async () => {
    const contract = await request(system.consumerUrl, 'GET', '/asyncapi.json');
    expect(contract.status).toBe(200);
    expect(contract.body.asyncapi).toBe('3.0.0');
    const addresses = Object.values(contract.body.channels as Record<string, { address: string }>).map((channel) => channel.address);
    expect(addresses).toEqual(expect.arrayContaining([`${system.topicPrefix}new-user-created`, `${system.topicPrefix}dead-letter-queue`]));
  });

  it('serves the GraphQL schemas as SDL, as docs/contracts has them: the public one to anyone, the operators\' to operators', async () => {
    // The checked-in copies open with a comment saying how they are made; the rest is the same text.
    const contract = (name: string) => readFileSync(join(__dirname, '..', '..', 'docs', 'contracts', name), 'utf8').replace(/^(#.*\n)+\n/, '');
    const publicSdl = await fetch(`${system.consumerUrl}/schema.graphql`);
    expect([publicSdl.status, publicSdl.headers.get('content-type')]).toEqual([200, 'text/plain; charset=utf-8']);
    expect(`${await publicSdl.text()}\n`).toBe(contract('public.graphql'));
    expect((await fetch(`${system.consumerUrl}/ops/schema.graphql`)).status).toBe(401);
    expect((await fetch(`${system.consumerUrl}/ops/schema.graphql`, { headers: { authorization: 'Bearer not-the-operator-token-but-32-chars-long' } })).status).toBe(403);
    const opsSdl = await fetch(`${system.consumerUrl}/ops/schema.graphql`, { headers: system.asOperator });
    expect([opsSdl.status, opsSdl.headers.get('cache-control')]).toEqual([200, 'private, max-age=300']);
    expect(`${await opsSdl.text()}\n`).toBe(contract('ops.graphql'));
  });

  it('streams userCreated over server-sent events too', async () => {
    const controller = new AbortController();
    const response = await fetch(`${system.consumerUrl}/graphql?query=${encodeURIComponent('subscription { userCreated { username } }')}`, {
      // A GET must carry a header no form or link can set (CSRF prevention).
      headers: { accept: 'text/event-stream', 'x-graphql-yoga-csrf': '1' },
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const body = newUser();
    await gql(system.consumerUrl, SIGN_UP, { input: { username: body.username, email: body.email, password: body.password } });
    let text = '';
    while (!text.includes(body.username)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString();
    }
    controller.abort();
    expect(text).toContain(`"userCreated":{"username":"${body.username}"}`);
  });

  it('turns producer answers into GraphQL errors with stable codes', async () => {
    const body = newUser();
    const input = { username: body.username, email: body.email, password: body.password };
    await gql(system.consumerUrl, SIGN_UP, { input });
    const duplicate = await gql(system.consumerUrl, SIGN_UP, { input });
    expect(duplicate.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const invalid = await gql(system.consumerUrl, SIGN_UP, { input: { ...newUser(), email: 'not-an-email', firstName: undefined, lastName: undefined, password: 'x' } });
    expect(invalid.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(invalid.errors?.[0]?.message).toMatch(/email/);
    const wrong = await gql(system.consumerUrl, LOGIN, { username: body.username, password: 'wrong password' });
    expect(wrong.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const anonymous = await gql(system.consumerUrl, '{ me { id } }');
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('serves GraphiQL to browsers from the service itself, with no CDN to reach', async () => {
    const response = await fetch(`${system.consumerUrl}/graphql`, { headers: { accept: 'text/html' } });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('<title>Herald GraphQL</title>');
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdnjs/);
  });

  it('refuses queries nested deeper than the limit', async () => {
    const deep = await gql(system.consumerUrl, '{ users { edges { node { tokens { jti } } } } }');
    expect(deep.errors?.[0]?.message).toMatch(/depth/i);
    expect(deep.data).toBeUndefined();
  });

  it('reports the producer it reaches and the consumer groups, and the real kafka-consumer-groups tool agrees: 8 partitions each, lag 0', async () => {
    const status = await opsGql(system.consumerUrl, '{ producerStatus { url ok roundTripMs } }', {}, system.asOperator);
    expect(status.data.producerStatus).toMatchObject({ url: system.producerUrl, ok: true });

    // One user (and one token) on every partition, so every partition has a committed offset. The
    // users' profiles are sealed with test keys the producer does not have: read, committed, and
    // left out as a deleted user's would be; a record on each partition is all this test needs.
    const kafka = testKafka();
    const users = partitionCovering(8).map((userId) => userCreatedEvent({ userId }));
    await publish(kafka, `${system.topicPrefix}new-user-created`, users.map(asMessage));
    await publish(kafka, `${system.topicPrefix}issued-token`, users.map((user) => asMessage(tokenIssuedEvent(user.payload.userId))));

    const settled = async () => {
      const answer = await opsGql(system.consumerUrl, '{ consumerGroups { groupId state partitions { topic partition lag } } }', {}, system.asOperator);
      const projectionGroups = answer.data.consumerGroups.filter((group: any) => !group.groupId.endsWith('.retry'));
      // users, profile changes, deleted accounts, tokens, the feed's posts, deleted posts, follows and unfollows, and ended sessions (idle here, at lag 0 all the same)
      return projectionGroups.length === 9 && projectionGroups.every((group: any) => group.state === 'Stable' && group.partitions.length === 8 && group.partitions.every((p: any) => p.lag === 0));
    };
    await eventually(settled, { what: 'the projection groups settled at lag 0' });

    const kafkaBrokers = process.env.HERALD_TEST_KAFKA_BROKERS!;
    const described = runKafkaTool('consumer-groups', ['--bootstrap-server', kafkaBrokers, '--describe', '--group', `${system.groupPrefix}.users`, '--group', `${system.groupPrefix}.tokens`]);
    expect(described.status).toBe(0);
    const rows = described.stdout.split('\n').filter((line) => line.startsWith(system.groupPrefix));
    for (const [group, topic] of [['users', 'new-user-created'], ['tokens', 'issued-token']]) {
      const mine = rows.filter((line) => line.startsWith(`${system.groupPrefix}.${group} `) && line.includes(`${system.topicPrefix}${topic}`));
      expect(mine).toHaveLength(8);
      for (const line of mine) expect(line.split(/\s+/)[5]).toBe('0'); // GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG
    }
  });

  it('on SIGTERM, both services stop cleanly and exit 0', async () => {
    await system.consumer.stop();
    await system.producer!.stop();
    expect(await system.consumer.exited).toBe(0);
    expect(await system.producer!.exited).toBe(0);
  });
});
