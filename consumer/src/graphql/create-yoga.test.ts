import { createLogger, UnauthenticatedError } from '@herald/core';
import { createOperatorCheck } from '@herald/http';
import type { ClusterSampler } from '../console/cluster-sampler';
import { createOperatorConsole } from '../console/operator-console';
import type { DeadLetterQueue } from '../dead-letter/dead-letter-queue';
import { createPubSub } from 'graphql-yoga';
import type { ProducerHttpClient } from '../producer-client/producer-client';
import type { TokensReadModel } from '../read-models/tokens-read-model';
import type { UsersReadModel, UserView } from '../read-models/users-read-model';
import type { HeraldPubSub, Services } from './context';
import { createHeraldYoga, type GraphQLOptions } from './create-yoga';

// The GraphQL server built in process with stand-ins for the read models and the producer: what
// it allows, refuses and tells, without Kafka or PostgreSQL (test/ has the same against both).

const OPERATOR_TOKEN = 'unit-test-operator-token-0123456789abcdef';
const ada: UserView = { id: '6f1f3c1e-8a1b-4c41-9d0a-1d8a0d7e2b11', username: 'ada', email: 'ada@example.com', firstName: 'Ada', lastName: null, createdAt: '2026-11-22T07:00:00.000Z' };
const bob: UserView = { id: '7a2e4d2f-9b2c-4d52-8e1b-2e9b1e8f3c22', username: 'bob', email: 'bob@example.com', firstName: null, lastName: null, createdAt: '2026-11-22T07:01:00.000Z' };
const DEVELOPMENT: GraphQLOptions = {
  limits: { maxDepth: 8, maxCost: 5000, maxAliases: 15, maxTokens: 1000, maxDirectives: 10 },
  introspection: true,
  graphiql: true,
  corsOrigins: ['https://app.example.com'],
};

/** `operatorToken: null`: none configured. */
function buildYoga(options: GraphQLOptions = DEVELOPMENT, { operatorToken = OPERATOR_TOKEN }: { operatorToken?: string | null } = {}) {
  const calls = { ping: 0, signUp: [] as unknown[] };
  const users = {
    findById: async (id: string) => [ada, bob].find((user) => user.id === id),
    page: async () => ({ users: [ada, bob], hasNextPage: false }),
    count: async () => 2,
  } as unknown as UsersReadModel;
  const tokens = {
    ofUser: async (userId: string) => [{ jti: '0f0e0d0c-0b0a-4908-8706-050403020100', userId, reason: 'login', issuedAt: ada.createdAt, expiresAt: ada.createdAt, partition: 0, offset: '1' }],
  } as unknown as TokensReadModel;
  const producer = {
    baseUrl: 'http://producer.test:9001',
    signUp: async (input: unknown, onBehalfOf: unknown) => {
      calls.signUp.push({ input, onBehalfOf });
      return { ...ada, id: bob.id };
    },
  } as unknown as ProducerHttpClient;
  const yoga = createHeraldYoga({
    services: {
      users,
      tokens,
      // The feed's parts are exercised against real Kafka and PostgreSQL (test/feed*.test.ts).
      posts: {} as Services['posts'],
      follows: {} as Services['follows'],
      feed: {} as Services['feed'],
      feedPushes: {} as Services['feedPushes'],
      producer,
      verifyToken: async (authorization) => {
        const user = { 'Bearer ada-token': ada, 'Bearer bob-token': bob }[authorization ?? ''];
        if (!user) throw new UnauthenticatedError('The access token is invalid or expired');
        return { userId: user.id, jti: 'j' };
      },
      producerStatus: async () => {
        calls.ping += 1;
        return { url: producer.baseUrl, ok: true, roundTripMs: 1, answer: '{}', error: null };
      },
      groupStatus: async () => [],
      pubsub: createPubSub() as HeraldPubSub,
      checkOperator: createOperatorCheck(operatorToken ?? undefined),
      // No local cluster control: failure simulation must refuse.
      operatorConsole: createOperatorConsole({
        flowTap: { watch: () => () => {} },
        sampler: { snapshot: () => ({ sampledAt: null, sampleTimes: [], error: null, cluster: { clusterId: 'c1', controllerId: 1, quorumLeaderId: null, quorumLeaderEpoch: null, brokers: [], underReplicatedPartitions: 0, offlinePartitions: 0 }, topics: [], groups: [] }), sampleNow: async () => {} } as unknown as ClusterSampler,
        deadLetters: { page: async () => ({ total: 0, records: [] }), replay: async () => ({ replayed: [], skipped: [] }) } as unknown as DeadLetterQueue,
        control: undefined,
        groups: [],
        poison: { topics: ['new-user-created'], publish: async () => ({ topic: 'new-user-created', partition: 0, offset: '0' }) },
        logger: createLogger({ name: 'console-test', level: 'silent' }),
      }),
    },
    logger: createLogger({ name: 'graphql-test', level: 'silent' }),
    options,
    clientIpOf: () => '203.0.113.7',
  });
  const post = async (query: string, headers: Record<string, string> = {}, variables: Record<string, unknown> = {}) => {
    const response = await yoga.fetch('http://consumer.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    return { status: response.status, headers: response.headers, body: (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> } };
  };
  return { yoga, post, calls };
}

const codes = (body: { errors?: Array<{ extensions?: { code?: string } }> }) => (body.errors ?? []).map((error) => error.extensions?.code);

describe('GraphQL: who may read what', () => {
  it('when anonymous, the users page has public fields, no e-mail, and tokens are FORBIDDEN', async () => {
    const { post } = buildYoga();
    const publicPage = await post('{ users { edges { node { id username firstName lastName createdAt email } } } }');
    expect(publicPage.body.errors).toBeUndefined();
    expect(publicPage.body.data.users.edges.map((edge: any) => edge.node.email)).toEqual([null, null]);
    const withTokens = await post('{ users { edges { node { id tokens { jti } } } } }');
    expect(withTokens.body.data).toBeNull();
    expect(codes(withTokens.body)).toContain('UNAUTHENTICATED');
  });

  it('when signed in, the viewer reads its own e-mail and tokens and no one else’s', async () => {
    const { post } = buildYoga();
    const asAda = { authorization: 'Bearer ada-token' };
    const me = await post('{ me { id email tokens { jti userId } } }', asAda);
    expect(me.body.data.me).toMatchObject({ id: ada.id, email: ada.email, tokens: [{ userId: ada.id }] });
    const bobSeenByAda = await post(`{ user(id: "${bob.id}") { username email } }`, asAda);
    expect(bobSeenByAda.body.data.user).toEqual({ username: 'bob', email: null });
    const bobsTokens = await post(`{ tokens(userId: "${bob.id}") { jti } }`, asAda);
    expect(codes(bobsTokens.body)).toEqual(['FORBIDDEN']);
    const ownTokens = await post(`{ tokens(userId: "${ada.id}") { userId } }`, asAda);
    expect(ownTokens.body.data.tokens).toEqual([{ userId: ada.id }]);
  });

  it('when a token is forged, me is UNAUTHENTICATED and public fields still answer', async () => {
    const { post } = buildYoga();
    expect(codes((await post('{ me { id } }', { authorization: 'Bearer forged' })).body)).toEqual(['UNAUTHENTICATED']);
    const page = await post('{ users { totalCount edges { node { email } } } }', { authorization: 'Bearer forged' });
    expect(page.body.data.users.totalCount).toBe(2);
  });

  it('signUp answers the caller with the e-mail it gave, and passes its address to the producer', async () => {
    const { post, calls } = buildYoga();
    const answer = await post('mutation { signUp(input: { username: "x_1", email: "ada@example.com", password: "long enough!" }) { email } }');
    expect(answer.body.data.signUp.email).toBe('ada@example.com');
    expect(calls.signUp).toEqual([{ input: expect.any(Object), onBehalfOf: { clientIp: undefined } }]);
  });
});

describe('GraphQL: the operator console', () => {
  const asOperator = { 'x-operator-token': OPERATOR_TOKEN };

  it('without the operator token, every console field is refused and tells nothing', async () => {
    const { post } = buildYoga();
    for (const query of ['{ consoleSnapshot { cluster { clusterId } } }', '{ failureSimulation { available } }', '{ deadLetters { total } }', 'mutation { replayDeadLetters(records: [{ partition: 0, offset: "1" }]) { replayed { offset } } }', 'mutation { brokerAction(nodeId: 1, action: KILL) { state } }']) {
      const anonymous = await post(query);
      expect(codes(anonymous.body)).toEqual(['UNAUTHENTICATED']);
      expect(anonymous.body.data ?? null).toBeNull();
      expect(codes((await post(query, { 'x-operator-token': 'wrong' })).body)).toEqual(['FORBIDDEN']);
    }
  });

  it('with it, the snapshot is served; without a local cluster control, simulation says why and its mutations refuse with SIMULATION_UNAVAILABLE', async () => {
    const { post } = buildYoga();
    expect((await post('{ consoleSnapshot { cluster { clusterId } } }', asOperator)).body.data.consoleSnapshot.cluster.clusterId).toBe('c1');
    const simulation = (await post('{ failureSimulation { available reason } }', asOperator)).body.data.failureSimulation;
    expect(simulation).toEqual({ available: false, reason: expect.stringMatching(/not handed a local cluster control/) });
    for (const mutation of ['mutation { brokerAction(nodeId: 1, action: KILL) { state } }', 'mutation { pauseConsumerGroup(groupId: "g") { paused } }', 'mutation { publishPoisonRecord(topic: "new-user-created") { offset } }']) {
      expect(codes((await post(mutation, asOperator)).body)).toEqual(['SIMULATION_UNAVAILABLE']);
    }
  });

  it('refuses pages and replays out of bounds with BAD_USER_INPUT, without echoing what was sent', async () => {
    const { post } = buildYoga();
    const cases = [
      '{ deadLetters(first: 101) { total } }',
      '{ deadLetters(beforeOffset: "12345678901234567890123") { total } }',
      'mutation { replayDeadLetters(range: { partition: 0, fromOffset: "0", toOffset: "987654" }) { replayed { offset } } }',
      'mutation { replayDeadLetters(records: [{ partition: 0, offset: "x-evil-x" }]) { replayed { offset } } }',
      'mutation { replayDeadLetters { replayed { offset } } }',
    ];
    for (const query of cases) {
      const answer = await post(query, asOperator);
      expect([query, codes(answer.body)]).toEqual([query, ['BAD_USER_INPUT']]);
      expect(JSON.stringify(answer.body)).not.toMatch(/101|12345678901234567890123|987654|x-evil-x/);
    }
  });
});

describe('GraphQL: operator fields', () => {
  it('without the operator token, consumerGroups and producerStatus are refused, saying what to send', async () => {
    const { post, calls } = buildYoga();
    const anonymous = await post('{ consumerGroups { groupId } }');
    expect(codes(anonymous.body)).toEqual(['UNAUTHENTICATED']);
    expect(anonymous.body.errors?.[0]?.message).toMatch(/x-operator-token/);
    expect(codes((await post('{ producerStatus { ok } }', { 'x-operator-token': 'wrong' })).body)).toEqual(['FORBIDDEN']);
    expect(codes((await post('{ producerStatus { ok } }', { authorization: 'Bearer ada-token' })).body)).toEqual(['FORBIDDEN']);
    expect(calls.ping).toBe(0);
  });

  it('with the operator token (header or bearer), both are served', async () => {
    const { post } = buildYoga();
    const viaHeader = await post('{ consumerGroups { groupId } producerStatus { ok url } }', { 'x-operator-token': OPERATOR_TOKEN });
    expect(viaHeader.body).toEqual({ data: { consumerGroups: [], producerStatus: { ok: true, url: 'http://producer.test:9001' } } });
    expect((await post('{ producerStatus { ok } }', { authorization: `Bearer ${OPERATOR_TOKEN}` })).body.data.producerStatus.ok).toBe(true);
  });

  it('when no operator token is configured, operator fields say how to set one', async () => {
    const { post } = buildYoga(DEVELOPMENT, { operatorToken: null });
    const answer = await post('{ consumerGroups { groupId } }', { 'x-operator-token': OPERATOR_TOKEN });
    expect(codes(answer.body)).toEqual(['FORBIDDEN']);
    expect(answer.body.errors?.[0]?.message).toMatch(/set OPERATOR_TOKEN/);
  });
});

describe('GraphQL: abuse limits', () => {
  it('1,000 aliases of producerStatus are refused before any call to the producer', async () => {
    const { post, calls } = buildYoga();
    const aliases = Array.from({ length: 1000 }, (_, i) => `s${i}: producerStatus { ok }`).join(' ');
    const answer = await post(`{ ${aliases} }`, { 'x-operator-token': OPERATOR_TOKEN });
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors?.[0]?.message).toMatch(/(Token|Aliases) limit of \d+ exceeded/);
    expect(calls.ping).toBe(0);
  });

  it('aliases within the limit make one call to the producer per request', async () => {
    const { post, calls } = buildYoga();
    const aliases = Array.from({ length: 10 }, (_, i) => `s${i}: producerStatus { ok }`).join(' ');
    const answer = await post(`{ ${aliases} }`, { 'x-operator-token': OPERATOR_TOKEN });
    expect(Object.keys(answer.body.data)).toHaveLength(10);
    expect(calls.ping).toBe(1);
  });

  it.each([
    ['aliases', `{ ${Array.from({ length: 16 }, (_, i) => `u${i}: users { totalCount }`).join(' ')} }`, /Aliases limit/],
    ['directives', `{ users @skip(if: false) ${'@include(if: true) '.repeat(11)} { totalCount } }`, /Directives limit/],
    ['tokens', `{ users { ${'totalCount '.repeat(1000)} } }`, /Token limit/],
  ])('a query over the %s limit is refused with the limit named', async (_what, query, message) => {
    const { post } = buildYoga();
    const answer = await post(query);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors?.[0]?.message).toMatch(message);
  });

  it('a form-encoded POST cannot run a mutation (CSRF), a JSON one can', async () => {
    const { yoga, calls } = buildYoga();
    const form = await yoga.fetch('http://consumer.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=mutation%20%7B%20signUp(input%3A%20%7Busername%3A%22x_1%22%2Cemail%3A%22a%40b.co%22%2Cpassword%3A%22long%20enough!%22%7D)%20%7B%20id%20%7D%20%7D',
    });
    expect(form.status).toBe(403);
    const plainGet = await yoga.fetch(`http://consumer.test/graphql?query=${encodeURIComponent('{ users { totalCount } }')}`);
    expect(plainGet.status).toBe(403);
    expect(calls.signUp).toHaveLength(0);
  });

  it('a foreign Origin gets no CORS headers; a listed one gets them for itself alone', async () => {
    const { post, yoga } = buildYoga();
    const foreign = await post('{ users { totalCount } }', { origin: 'https://evil.example' });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(foreign.headers.get('access-control-allow-credentials')).toBeNull();
    const preflight = await yoga.fetch('http://consumer.test/graphql', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await post('{ users { totalCount } }', { origin: 'https://app.example.com' });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  });
});

describe('GraphQL: production mode', () => {
  const production = { ...DEVELOPMENT, introspection: false, graphiql: false };

  it('introspection is refused, suggestions are hidden and GraphiQL is not served', async () => {
    const { post, yoga } = buildYoga(production);
    const introspection = await post('{ __schema { types { name } } }');
    expect(introspection.body.errors?.[0]?.message).toMatch(/introspection/i);
    const typo = await post('{ userz { totalCount } }');
    expect(typo.body.errors?.[0]?.message).not.toMatch(/Did you mean/);
    const page = await yoga.fetch('http://consumer.test/graphql', { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/graphiql/i);
  });

  it('in development the same are available', async () => {
    const { post, yoga } = buildYoga();
    expect((await post('{ __schema { queryType { name } } }')).body.data.__schema.queryType.name).toBe('Query');
    expect((await post('{ userz { totalCount } }')).body.errors?.[0]?.message).toMatch(/Did you mean .*"users"/);
    expect(await (await yoga.fetch('http://consumer.test/graphql', { headers: { accept: 'text/html' } })).text()).toMatch(/graphiql/i);
  });
});

describe('GraphQL: errors never echo the request', () => {
  it('a malformed JSON body is refused without any of it in the answer', async () => {
    const { yoga } = buildYoga();
    const body = '{"query":"mutation { login(username: \\"ada\\", password: \\"s3cret-passw0rd\\") { accessToken } }", oops';
    const response = await yoga.fetch('http://consumer.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const text = await response.text();
    expect(text).not.toMatch(/s3cret|oops|login/);
    expect(JSON.parse(text).errors[0].message).toBe('POST body sent invalid JSON.');
  });

  it.each([
    ['a variable of the wrong type', 'mutation($p: String!) { login(username: "ada", password: $p) { accessToken } }', { p: 123456789 }],
    ['an input object with a wrong field', 'mutation($i: SignUpInput!) { signUp(input: $i) { id } }', { i: { username: 's3cret-passw0rd', email: 7, password: 8 } }],
    ['a literal of the wrong type', 'mutation { login(username: "ada", password: 123456789) { accessToken } }', {}],
    ['a string where a name belongs', '{ users(first: "s3cret-passw0rd") { totalCount } }', {}],
    ['a syntax error after a string', 'mutation { login(username: "ada" "s3cret-passw0rd") }', {}],
  ])('%s is refused without the value in the message', async (_what, query, variables) => {
    const { post } = buildYoga();
    const answer = await post(query, {}, variables);
    const text = JSON.stringify(answer.body);
    expect(answer.body.errors?.length).toBeGreaterThan(0);
    expect(text).not.toMatch(/s3cret|123456789/);
  });
});
