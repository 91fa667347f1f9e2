import { eventually, newUser, request, testKafka } from '@herald/testing';
import { asMessage, publish, tokenIssuedEvent } from './support/events';
import { gql, LOGIN, OPS_GRAPHQL, opsGql, SIGN_UP } from './support/graphql';
import { sseSubscribe, wsClient, type Subscriber } from './support/subscriptions';
import { startSystem, type TestSystem } from './support/system';

interface SignedIn {
  id: string;
  username: string;
  email: string;
  accessToken: string;
  asUser: Record<string, string>;
}

/** Who may read what (docs/security.md), against both services as processes on real Kafka and PostgreSQL. */
describe('GraphQL access: personal data to its owner, operational data to operators on their own endpoint', () => {
  let system: TestSystem;
  let ada: SignedIn;
  let bob: SignedIn;

  const signUpAndLogIn = async (): Promise<SignedIn> => {
    const body = newUser();
    const signUp = await gql(system.consumerUrl, SIGN_UP, { input: { username: body.username, email: body.email, password: body.password } });
    const login = await gql(system.consumerUrl, LOGIN, { username: body.username, password: body.password });
    const accessToken = login.data.login.accessToken as string;
    return { id: signUp.data.signUp.id, username: body.username, email: body.email, accessToken, asUser: { authorization: `Bearer ${accessToken}` } };
  };

  beforeAll(async () => {
    system = await startSystem();
    ada = await signUpAndLogIn();
    bob = await signUpAndLogIn();
    for (const user of [ada, bob]) {
      await eventually(async () => (await gql(system.consumerUrl, '{ me { tokens { jti } } }', {}, user.asUser)).data?.me.tokens.length === 1, { what: 'user and login projected' });
    }
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('when anonymous, no one’s e-mail or tokens can be read: users and user give public fields, tokens are refused', async () => {
    const page = await gql(system.consumerUrl, '{ users(first: 100) { edges { node { id username firstName lastName createdAt email } } } }');
    expect(page.errors).toBeUndefined();
    const listed = page.data.users.edges.map((edge: any) => edge.node);
    expect(listed.map((user: any) => user.id)).toEqual(expect.arrayContaining([ada.id, bob.id]));
    expect(listed.every((user: any) => user.email === null)).toBe(true);
    expect(JSON.stringify(page)).not.toContain(ada.email);

    const one = await gql(system.consumerUrl, 'query($id: ID!) { user(id: $id) { username email } }', { id: ada.id });
    expect(one.data.user).toEqual({ username: ada.username, email: null });
    const tokensOfUser = await gql(system.consumerUrl, 'query($id: ID!) { user(id: $id) { tokens { jti } } }', { id: ada.id });
    expect(tokensOfUser.data).toEqual({ user: null });
    expect(tokensOfUser.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const tokens = await gql(system.consumerUrl, 'query($id: ID!) { tokens(userId: $id) { jti } }', { id: ada.id });
    expect(tokens.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('when signed in, a user reads their own e-mail and tokens, and another user’s are null or FORBIDDEN', async () => {
    const me = await gql(system.consumerUrl, '{ me { id email tokens { userId reason } } }', {}, ada.asUser);
    expect(me.data.me).toEqual({ id: ada.id, email: ada.email, tokens: [{ userId: ada.id, reason: 'login' }] });
    const own = await gql(system.consumerUrl, 'query($id: ID!) { tokens(userId: $id) { userId } user(id: $id) { email } }', { id: ada.id }, ada.asUser);
    expect(own.data).toEqual({ tokens: [{ userId: ada.id }], user: { email: ada.email } });

    const others = await gql(system.consumerUrl, 'query($id: ID!) { user(id: $id) { email } }', { id: bob.id }, ada.asUser);
    expect(others.data.user).toEqual({ email: null });
    const othersTokens = await gql(system.consumerUrl, 'query($id: ID!) { tokens(userId: $id) { jti } }', { id: bob.id }, ada.asUser);
    expect(othersTokens.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(othersTokens.data).toBeNull();
  });

  it('tokenIssued on /graphql needs a user’s token and carries only the viewer’s own events, over graphql-ws and over SSE; on /ops/graphql, everyone’s', async () => {
    const kafka = testKafka();
    const topic = `${system.topicPrefix}issued-token`;
    const adaSocket = wsClient(system.consumerUrl, ada.asUser);
    const anonymousSocket = wsClient(system.consumerUrl);
    // The operator token means nothing on the public endpoint: no user, so refused like anyone's.
    const operatorOnPublic = wsClient(system.consumerUrl, system.asOperator);
    const operatorSocket = wsClient(system.consumerUrl, system.asOperator, OPS_GRAPHQL);
    const adaOverWs = adaSocket.subscribe('subscription { tokenIssued { jti userId } }');
    const anonymous = anonymousSocket.subscribe('subscription { tokenIssued { jti userId } }');
    const operatorRefused = operatorOnPublic.subscribe('subscription { tokenIssued { jti userId } }');
    const witness = operatorSocket.subscribe('subscription { tokenIssued { jti userId } }');
    const bobOverSse = await sseSubscribe(system.consumerUrl, 'subscription { tokenIssued { jti userId } }', bob.asUser);
    const anonymousSse = await sseSubscribe(system.consumerUrl, 'subscription { tokenIssued { jti userId } }');
    try {
      // Until each subscriber has heard one event of its user, the subscription may not be in place yet.
      const untilHeard = async (userId: string, subscriber: Subscriber) =>
        eventually(async () => {
          await publish(kafka, topic, [asMessage(tokenIssuedEvent(userId))]);
          return subscriber.received.length > 0;
        }, { intervalMs: 300, what: `a subscriber hearing ${userId}` });
      await untilHeard(ada.id, adaOverWs);
      await untilHeard(bob.id, bobOverSse);
      await untilHeard(ada.id, witness);

      const events = [ada.id, bob.id, ada.id, bob.id].map((userId) => tokenIssuedEvent(userId));
      await publish(kafka, topic, events.map(asMessage));
      const jtis = events.map((event) => event.payload.jti);
      // The operator hears every event; once it has these, every subscriber has been offered them.
      await eventually(async () => jtis.every((jti) => witness.received.some((data) => data.tokenIssued.jti === jti)), { what: 'the witness hearing all four' });

      const heard = (subscriber: Subscriber) => subscriber.received.map((data) => data.tokenIssued);
      expect(heard(adaOverWs).every((token) => token.userId === ada.id)).toBe(true);
      expect(heard(bobOverSse).every((token) => token.userId === bob.id)).toBe(true);
      expect(heard(adaOverWs).map((token) => token.jti)).toEqual(expect.arrayContaining([jtis[0], jtis[2]]));
      expect(heard(bobOverSse).map((token) => token.jti)).toEqual(expect.arrayContaining([jtis[1], jtis[3]]));

      for (const refused of [anonymous, operatorRefused]) {
        await refused.done;
        expect(refused.received).toEqual([]);
        expect(refused.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })]);
      }
      expect(anonymousSse.received).toEqual([]);
      await eventually(async () => anonymousSse.errors.length > 0, { what: 'the anonymous SSE refusal' });
      expect(anonymousSse.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })]);
    } finally {
      await Promise.all([bobOverSse.close(), anonymousSse.close(), adaSocket.close(), anonymousSocket.close(), operatorOnPublic.close(), operatorSocket.close()]);
    }
  });

  it('userCreated carries public fields only', async () => {
    const socket = wsClient(system.consumerUrl);
    const created = socket.subscribe('subscription { userCreated { id username email } }');
    try {
      // A real sign-up: its profile is sealed under a key only the producer serves.
      await eventually(async () => {
        await request(system.producerUrl, 'POST', '/users', newUser());
        return created.received.length > 0;
      }, { intervalMs: 500, what: 'a userCreated event' });
      expect(created.received[0].userCreated).toMatchObject({ id: expect.any(String), username: expect.any(String), email: null });
    } finally {
      await socket.close();
    }
  });

  it('/graphql has no operator field: consumerGroups, even with the operator token, is a validation error naming it, never a 5xx', async () => {
    for (const headers of [{}, system.asOperator]) {
      // The GraphQL-over-HTTP media type gets 400; plain application/json gets the same error with 200.
      const answer = await request(system.consumerUrl, 'POST', '/graphql', { query: '{ consumerGroups { groupId } }' }, { ...headers, accept: 'application/graphql-response+json' });
      expect(answer.status).toBe(400);
      expect(answer.body.data).toBeUndefined();
      expect(answer.body.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/^Cannot query field "consumerGroups" on type "Query"/), extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }) })]);
      const plain = await gql(system.consumerUrl, 'mutation { pauseConsumerGroup(groupId: "x") { paused } }', {}, headers);
      expect(plain.errors?.[0]?.message).toMatch(/^Cannot query field "pauseConsumerGroup" on type "Mutation"/);
    }
  });

  it('/ops/graphql refuses a query and a mutation without the operator token (401 UNAUTHENTICATED) and with a wrong one or a user’s (403 FORBIDDEN), and answers with it', async () => {
    const groupId = `${system.groupPrefix}.users`;
    for (const query of ['{ consumerGroups { groupId } producerStatus { ok } }', `mutation { pauseConsumerGroup(groupId: "${groupId}") { paused } }`]) {
      const anonymous = await opsGql(system.consumerUrl, query);
      expect([anonymous.status, anonymous.data]).toEqual([401, undefined]);
      expect(anonymous.errors).toEqual([{ message: expect.stringMatching(/operator token is required/), extensions: { code: 'UNAUTHENTICATED' } }]);
      for (const headers of [{ 'x-operator-token': `${system.operatorToken}-not` }, ada.asUser]) {
        const wrong = await opsGql(system.consumerUrl, query, {}, headers);
        expect([wrong.status, wrong.data]).toEqual([403, undefined]);
        expect(wrong.errors).toEqual([{ message: 'The operator token is not valid', extensions: { code: 'FORBIDDEN' } }]);
      }
    }

    const operator = await opsGql(system.consumerUrl, '{ consumerGroups { groupId } producerStatus { ok } }', {}, system.asOperator);
    expect(operator.errors).toBeUndefined();
    expect(operator.data.producerStatus.ok).toBe(true);
    expect(operator.data.consumerGroups.map((group: { groupId: string }) => group.groupId)).toContain(groupId);
    const bearer = await opsGql(system.consumerUrl, '{ producerStatus { ok } }', {}, { authorization: `Bearer ${system.operatorToken}` });
    expect(bearer.data.producerStatus.ok).toBe(true);
    // Past the check, the mutation's own answer: this consumer was given no local cluster control.
    const mutation = await opsGql(system.consumerUrl, `mutation { pauseConsumerGroup(groupId: "${groupId}") { paused } }`, {}, system.asOperator);
    expect(mutation.errors?.map((error) => error.extensions?.code)).toEqual(['SIMULATION_UNAVAILABLE']);
  });

  it('/ops/graphql over graphql-ws refuses the consoleFlow subscription without the operator token and with a wrong one, and streams it with it', async () => {
    const sockets = [wsClient(system.consumerUrl, {}, OPS_GRAPHQL), wsClient(system.consumerUrl, { 'x-operator-token': `${system.operatorToken}-not` }, OPS_GRAPHQL), wsClient(system.consumerUrl, ada.asUser, OPS_GRAPHQL)];
    const operatorSocket = wsClient(system.consumerUrl, system.asOperator, OPS_GRAPHQL);
    try {
      const [anonymous, wrong, asUser] = sockets.map((socket) => socket.subscribe('subscription { consoleFlow { at rates { topic perSecond } } }'));
      const flow = operatorSocket.subscribe('subscription { consoleFlow { at rates { topic perSecond } } }');
      await Promise.all([anonymous!.done, wrong!.done, asUser!.done]);
      expect(anonymous!.errors).toEqual([{ message: expect.stringMatching(/operator token is required/), extensions: { code: 'UNAUTHENTICATED' } }]);
      for (const refused of [wrong!, asUser!]) expect(refused.errors).toEqual([{ message: 'The operator token is not valid', extensions: { code: 'FORBIDDEN' } }]);
      expect([anonymous!, wrong!, asUser!].flatMap((subscriber) => subscriber.received)).toEqual([]);
      // The flow meter ticks once a second while someone watches.
      await eventually(async () => flow.received.length > 0, { what: 'a consoleFlow tick' });
      expect(flow.received[0].consoleFlow).toMatchObject({ at: expect.any(String), rates: expect.any(Array) });
      expect(flow.errors).toEqual([]);
    } finally {
      await Promise.all([...sockets, operatorSocket].map((socket) => socket.close()));
    }
  });

  it('/metrics on both services is refused without the operator token and served to a bearer of it', async () => {
    for (const url of [system.consumerUrl, system.producerUrl]) {
      const anonymous = await request(url, 'GET', '/metrics');
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await request(url, 'GET', '/metrics', undefined, { authorization: 'Bearer not-the-operator-token' })).status).toBe(403);
      const scraped = await request(url, 'GET', '/metrics', undefined, { authorization: `Bearer ${system.operatorToken}` });
      expect(scraped.status).toBe(200);
      expect(scraped.body).toMatch(/process_resident_memory_bytes/);
    }
  });

  it('1,000 aliases of producerStatus are refused, and many asks within a second make at most one call to the producer', async () => {
    const pings = async () => {
      const metrics = (await request(system.producerUrl, 'GET', '/metrics', undefined, { authorization: `Bearer ${system.operatorToken}` })).body as string;
      return Number(/herald_http_request_duration_seconds_count\{method="GET",route="\/ping",status="200"\} (\d+)/.exec(metrics)?.[1] ?? 0);
    };
    const before = await pings();
    const thousand = await opsGql(system.consumerUrl, `{ ${Array.from({ length: 1000 }, (_, i) => `s${i}: producerStatus { ok }`).join(' ')} }`, {}, system.asOperator);
    expect(thousand.data).toBeUndefined();
    expect(thousand.errors?.[0]?.message).toMatch(/limit of \d+ exceeded/);

    const tenAliases = `{ ${Array.from({ length: 10 }, (_, i) => `s${i}: producerStatus { ok }`).join(' ')} }`;
    const answers = await Promise.all(Array.from({ length: 20 }, () => opsGql(system.consumerUrl, tenAliases, {}, system.asOperator)));
    expect(answers.every((answer) => Object.values(answer.data).every((status: any) => status.ok))).toBe(true);
    expect((await pings()) - before).toBeLessThanOrEqual(1);
  });
});
