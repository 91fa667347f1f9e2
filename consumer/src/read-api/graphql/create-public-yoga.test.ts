import { createLogger, UnauthenticatedError } from '@herald/core';
import { isObjectType } from 'graphql';
import { createPubSub } from 'graphql-yoga';
import type { ProducerHttpClient } from '../../producer/producer-http-client';
import type { TokensReadModel, TokenView } from '../../read-models/tokens-read-model';
import type { UsersReadModel, UserView } from '../../read-models/users-read-model';
import type { HeraldPubSub } from '../../http/pubsub';
import type { Services } from './context';
import { createPublicYoga } from './create-public-yoga';
import { createOpsSchema } from '../../ops/graphql/create-ops-yoga';
import type { GraphQLOptions } from '../../http/shared-yoga-options';

// The public GraphQL server built in process with stand-ins for the read models and the producer:
// what it allows, refuses and tells, without Kafka or PostgreSQL (test/ has the same against both).
// The operators' endpoint has its own (ops/create-ops-yoga.test.ts).

const ada: UserView = { id: '6f1f3c1e-8a1b-4c41-9d0a-1d8a0d7e2b11', username: 'ada', email: 'ada@example.com', firstName: 'Ada', lastName: null, createdAt: '2026-11-22T07:00:00.000Z' };
const bob: UserView = { id: '7a2e4d2f-9b2c-4d52-8e1b-2e9b1e8f3c22', username: 'bob', email: 'bob@example.com', firstName: null, lastName: null, createdAt: '2026-11-22T07:01:00.000Z' };
const DEVELOPMENT: GraphQLOptions = {
  limits: { maxDepth: 8, maxCost: 5000, maxAliases: 15, maxTokens: 1000, maxDirectives: 10 },
  introspection: true,
  graphiql: true,
  corsOrigins: ['https://app.example.com'],
};

function buildYoga(options: GraphQLOptions = DEVELOPMENT) {
  const calls = { signUp: [] as unknown[] };
  const users = {
    findById: async (id: string) => [ada, bob].find((user) => user.id === id),
    page: async () => ({ users: [ada, bob], hasNextPage: false }),
    count: async () => 2,
  } as unknown as UsersReadModel;
  const tokens = {
    ofUser: async (userId: string) => [{ jti: '0f0e0d0c-0b0a-4908-8706-050403020100', userId, reason: 'login', issuedAt: ada.createdAt, expiresAt: ada.createdAt, partition: 0, offset: '1' }],
  } as unknown as TokensReadModel;
  const producerHttp = {
    baseUrl: 'http://producer.test:9001',
    signUp: async (input: unknown, onBehalfOf: unknown) => {
      calls.signUp.push({ input, onBehalfOf });
      return { ...ada, id: bob.id };
    },
  } as unknown as ProducerHttpClient;
  const pubsub: HeraldPubSub = createPubSub();
  const yoga = createPublicYoga({
    services: {
      users,
      tokens,
      // The feed's parts are exercised against real Kafka and PostgreSQL (test/feed*.test.ts).
      posts: {} as Services['posts'],
      follows: {} as Services['follows'],
      feed: {} as Services['feed'],
      feedListener: {} as Services['feedListener'],
      producerHttp,
      verifyToken: async (authorization) => {
        const user = { 'Bearer ada-token': ada, 'Bearer bob-token': bob }[authorization ?? ''];
        if (!user) throw new UnauthenticatedError('The access token is invalid or expired');
        return { userId: user.id, jti: 'j', sessionId: 's' };
      },
      pubsub,
    },
    logger: createLogger({ name: 'graphql-test', level: 'silent' }),
    options,
    clientIpOf: () => '203.0.113.7',
  });
  const post = async (query: string, headers: Record<string, string> = {}, variables: Record<string, unknown> = {}) => {
    const response = await yoga.fetch('http://consumer.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    return { status: response.status, headers: response.headers, body: (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> } };
  };
  return { yoga, post, calls, pubsub };
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

/** The events of a GraphQL-over-SSE answer, as they arrive; `until` is asked after each. */
async function readEvents(response: Response, until: (events: any[]) => boolean, whileWaiting: () => void): Promise<any[]> {
  const events: any[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const timer = setInterval(whileWaiting, 20);
  let buffered = '';
  try {
    while (!until(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffered.indexOf('\n\n')) >= 0) {
        const data = buffered.slice(0, end).split('\n').find((line) => line.startsWith('data: '));
        buffered = buffered.slice(end + 2);
        if (data && data !== 'data: ') events.push(JSON.parse(data.slice('data: '.length)));
      }
    }
  } finally {
    clearInterval(timer);
    await reader.cancel();
  }
  return events;
}

describe('GraphQL: nothing of the operators on the public endpoint', () => {
  const schemaQuery = '{ __schema { types { name } queryType { fields { name } } mutationType { fields { name } } subscriptionType { fields { name } } } }';
  /** The operators' schema (ops/graphql/schema.graphql): its root fields and its own types. */
  const ops = createOpsSchema();
  const opsRootFields = [ops.getQueryType(), ops.getMutationType(), ops.getSubscriptionType()].flatMap((type) => Object.keys(type!.getFields()));
  const opsTypes = Object.values(ops.getTypeMap()).filter((type) => !type.name.startsWith('__') && isObjectType(type) && !['Query', 'Mutation', 'Subscription'].includes(type.name)).map((type) => type.name);

  it('the public schema has none of the operators\' fields or types; only tokenIssued shares the name, and IssuedToken the type', async () => {
    const { post } = buildYoga();
    const { __schema: schema } = (await post(schemaQuery)).body.data;
    const rootFields = [schema.queryType, schema.mutationType, schema.subscriptionType].flatMap((type: { fields: Array<{ name: string }> }) => type.fields.map((field) => field.name));
    const types = schema.types.map((type: { name: string }) => type.name);
    expect(opsRootFields).toEqual(expect.arrayContaining(['consumerGroups', 'producerStatus', 'consoleSnapshot', 'failureSimulation', 'deadLetters', 'replayDeadLetters', 'brokerAction', 'pauseConsumerGroup', 'resumeConsumerGroup', 'publishPoisonRecord', 'consoleFlow']));
    expect(rootFields.filter((name: string) => opsRootFields.includes(name))).toEqual(['tokenIssued']);
    expect(types.filter((name: string) => opsTypes.includes(name))).toEqual(['IssuedToken']);
  });

  it.each([
    ['in development', DEVELOPMENT],
    ['in production', { ...DEVELOPMENT, introspection: false, graphiql: false }],
  ])('%s, asking /graphql for consumerGroups, even with the operator token, is a validation error naming the unknown field (400 in the GraphQL-over-HTTP media type), and nothing runs', async (_mode, options) => {
    const { post } = buildYoga(options);
    const operatorToken = { 'x-operator-token': 'unit-test-operator-token-0123456789abcdef' };
    // application/json answers a request error with 200 (the spec's legacy media type); the spec's own with 400.
    for (const [headers, status] of [[{}, 200], [operatorToken, 200], [{ accept: 'application/graphql-response+json' }, 400], [{ ...operatorToken, accept: 'application/graphql-response+json' }, 400]] as Array<[Record<string, string>, number]>) {
      const answer = await post('{ consumerGroups { groupId } }', headers);
      expect([headers, answer.status]).toEqual([headers, status]);
      expect(answer.body.data).toBeUndefined();
      expect(answer.body.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/^Cannot query field "consumerGroups" on type "Query"/), extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }) })]);
    }
    const mutation = await post('mutation { brokerAction(nodeId: 1, action: KILL) { state } }', { accept: 'application/graphql-response+json' });
    expect(mutation.status).toBe(400);
    expect(mutation.body.errors?.[0]?.message).toMatch(/^Cannot query field "brokerAction" on type "Mutation"/);
  });

  it('tokenIssued pushes the viewer\'s own tokens only, and needs a user\'s token (an operator\'s is none)', async () => {
    const { yoga, pubsub } = buildYoga();
    const subscribe = (authorization?: string) =>
      yoga.fetch('http://consumer.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ query: 'subscription { tokenIssued { jti userId } }' }),
      });
    const token = (user: UserView, n: number): TokenView => ({ jti: `0f0e0d0c-0b0a-4908-8706-0504030201${String(n).padStart(2, '0')}`, userId: user.id, reason: 'login', issuedAt: user.createdAt, expiresAt: user.createdAt, partition: 0, offset: String(n) });
    let n = 0;
    // Bob's token before Ada's each time, until Ada has heard three: a leak would arrive first.
    const events = await readEvents(await subscribe('Bearer ada-token'), (heard) => heard.length >= 3, () => {
      pubsub.publish('tokenIssued', token(bob, (n += 1)));
      pubsub.publish('tokenIssued', token(ada, (n += 1)));
    });
    expect(events.map((event) => event.data.tokenIssued.userId)).toEqual([ada.id, ada.id, ada.id]);
    for (const authorization of [undefined, 'Bearer unit-test-operator-token-0123456789abcdef']) {
      const [refusal] = await readEvents(await subscribe(authorization), (heard) => heard.length >= 1, () => {});
      expect(codes(refusal)).toEqual(['UNAUTHENTICATED']);
    }
  });
});

describe('GraphQL: abuse limits', () => {
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
