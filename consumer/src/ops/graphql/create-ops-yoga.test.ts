import { createLogger } from '@herald/core';
import { createOperatorCheck } from '@herald/http';
import { createPubSub } from 'graphql-yoga';
import type { ClusterSampler } from '../console/cluster-sampler';
import { createOperatorConsole } from '../console/operator-console';
import type { DeadLetterQueue } from '../dead-letter/dead-letter-queue';
import type { HeraldPubSub } from '../../http/pubsub';
import type { GraphQLOptions } from '../../http/shared-yoga-options';
import { createOpsYoga } from './create-ops-yoga';

// The operators' GraphQL server built in process with stand-ins for the console's parts and the
// producer: who gets in, and what they get (test/graphql-access.test.ts has the same over HTTP
// and graphql-ws against real Kafka and PostgreSQL).

const OPERATOR_TOKEN = 'unit-test-operator-token-0123456789abcdef';
const asOperator = { 'x-operator-token': OPERATOR_TOKEN };
const DEVELOPMENT: GraphQLOptions = {
  limits: { maxDepth: 8, maxCost: 5000, maxAliases: 15, maxTokens: 1000, maxDirectives: 10 },
  introspection: true,
  graphiql: true,
  corsOrigins: ['https://app.example.com'],
};

/** `operatorToken: null`: none configured. */
function buildOpsYoga({ operatorToken = OPERATOR_TOKEN, options = DEVELOPMENT }: { operatorToken?: string | null; options?: GraphQLOptions } = {}) {
  const calls = { ping: 0, groups: 0, snapshots: 0 };
  const yoga = createOpsYoga({
    services: {
      producerStatus: async () => {
        calls.ping += 1;
        return { url: 'http://producer.test:9001', ok: true, roundTripMs: 1, answer: '{}', error: null };
      },
      groupStatus: async () => {
        calls.groups += 1;
        return [];
      },
      pubsub: createPubSub() as HeraldPubSub,
      // No local cluster control: failure simulation must refuse.
      operatorConsole: createOperatorConsole({
        flowTap: { watch: () => () => {} },
        sampler: {
          snapshot: () => {
            calls.snapshots += 1;
            return { sampledAt: null, sampleTimes: [], error: null, cluster: { clusterId: 'c1', controllerId: 1, quorumLeaderId: null, quorumLeaderEpoch: null, brokers: [], underReplicatedPartitions: 0, offlinePartitions: 0 }, topics: [], groups: [] };
          },
          sampleNow: async () => {},
        } as unknown as ClusterSampler,
        deadLetters: { page: async () => ({ total: 0, records: [] }), replay: async () => ({ replayed: [], skipped: [] }) } as unknown as DeadLetterQueue,
        control: undefined,
        groups: [],
        poison: { topics: ['new-user-created'], publish: async () => ({ topic: 'new-user-created', partition: 0, offset: '0' }) },
        logger: createLogger({ name: 'console-test', level: 'silent' }),
      }),
    },
    checkOperator: createOperatorCheck(operatorToken ?? undefined),
    logger: createLogger({ name: 'ops-graphql-test', level: 'silent' }),
    options,
  });
  const post = async (query: string, headers: Record<string, string> = {}, variables: Record<string, unknown> = {}) => {
    const response = await yoga.fetch('http://consumer.test/ops/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    return { status: response.status, headers: response.headers, body: (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } };
  };
  return { yoga, post, calls };
}

const codes = (body: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => (body.errors ?? []).map((error) => error.extensions?.code);

describe('ops GraphQL: the operator token, checked once for every operation', () => {
  const operations = [
    '{ consumerGroups { groupId } }',
    '{ producerStatus { ok } }',
    '{ consoleSnapshot { cluster { clusterId } } }',
    '{ failureSimulation { available } }',
    '{ deadLetters { total } }',
    'mutation { replayDeadLetters(records: [{ partition: 0, offset: "1" }]) { replayed { offset } } }',
    'mutation { brokerAction(nodeId: 1, action: KILL) { state } }',
    'mutation { pauseConsumerGroup(groupId: "g") { paused } }',
    'mutation { publishPoisonRecord(topic: "new-user-created") { offset } }',
    '{ __schema { queryType { name } } }',
  ];

  it('without it, every query and mutation is refused with 401 UNAUTHENTICATED, saying what to send, and nothing runs', async () => {
    const { post, calls } = buildOpsYoga();
    for (const query of operations) {
      const answer = await post(query);
      expect([query, answer.status, codes(answer.body)]).toEqual([query, 401, ['UNAUTHENTICATED']]);
      expect(answer.body.data).toBeUndefined();
      expect(answer.body.errors?.[0]?.message).toMatch(/x-operator-token/);
      expect(answer.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
      expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="operator"');
    }
    expect(calls).toEqual({ ping: 0, groups: 0, snapshots: 0 });
  });

  it('with a wrong one, or a user’s bearer token, every one is refused with 403 FORBIDDEN', async () => {
    const { post, calls } = buildOpsYoga();
    for (const query of operations) {
      for (const headers of [{ 'x-operator-token': 'wrong' }, { authorization: 'Bearer a-user-access-token' }] as Array<Record<string, string>>) {
        const answer = await post(query, headers);
        expect([query, answer.status, codes(answer.body)]).toEqual([query, 403, ['FORBIDDEN']]);
        expect(answer.body.errors?.[0]?.message).toBe('The operator token is not valid');
      }
    }
    expect(calls).toEqual({ ping: 0, groups: 0, snapshots: 0 });
  });

  it('without it, nothing of the schema is told: an unknown field is refused the same way, not suggested', async () => {
    const { post } = buildOpsYoga();
    const typo = await post('{ consumerGroup { groupId } }');
    expect(codes(typo.body)).toEqual(['UNAUTHENTICATED']);
    expect(JSON.stringify(typo.body)).not.toMatch(/Did you mean|consumerGroups/);
  });

  it('a subscription over SSE without it is refused the same way', async () => {
    const { yoga } = buildOpsYoga();
    const response = await yoga.fetch('http://consumer.test/ops/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { consoleFlow { at } }' }),
    });
    expect(response.status).toBe(401);
    expect(await response.text()).toMatch(/"code":"UNAUTHENTICATED"/);
  });

  it('when no operator token is configured, every operation says how to set one', async () => {
    const { post } = buildOpsYoga({ operatorToken: null });
    const answer = await post('{ consumerGroups { groupId } }', asOperator);
    expect([answer.status, codes(answer.body)]).toEqual([403, ['FORBIDDEN']]);
    expect(answer.body.errors?.[0]?.message).toMatch(/set OPERATOR_TOKEN/);
  });

  it('with it (header or bearer), the fields are served', async () => {
    const { post } = buildOpsYoga();
    const viaHeader = await post('{ consumerGroups { groupId } producerStatus { ok url } }', asOperator);
    expect(viaHeader.body).toEqual({ data: { consumerGroups: [], producerStatus: { ok: true, url: 'http://producer.test:9001' } } });
    const viaBearer = await post('{ consoleSnapshot { cluster { clusterId } } }', { authorization: `Bearer ${OPERATOR_TOKEN}` });
    expect(viaBearer.body.data.consoleSnapshot.cluster.clusterId).toBe('c1');
  });
});

describe('ops GraphQL: the console', () => {
  it('without a local cluster control, simulation says why and its mutations refuse with SIMULATION_UNAVAILABLE', async () => {
    const { post } = buildOpsYoga();
    const simulation = (await post('{ failureSimulation { available reason } }', asOperator)).body.data.failureSimulation;
    expect(simulation).toEqual({ available: false, reason: expect.stringMatching(/not handed a local cluster control/) });
    for (const mutation of ['mutation { brokerAction(nodeId: 1, action: KILL) { state } }', 'mutation { pauseConsumerGroup(groupId: "g") { paused } }', 'mutation { publishPoisonRecord(topic: "new-user-created") { offset } }']) {
      expect(codes((await post(mutation, asOperator)).body)).toEqual(['SIMULATION_UNAVAILABLE']);
    }
  });

  it('refuses pages and replays out of bounds with BAD_USER_INPUT, without echoing what was sent', async () => {
    const { post } = buildOpsYoga();
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

describe('ops GraphQL: the same abuse limits as the public endpoint', () => {
  it('1,000 aliases of producerStatus are refused before any call to the producer', async () => {
    const { post, calls } = buildOpsYoga();
    const aliases = Array.from({ length: 1000 }, (_, i) => `s${i}: producerStatus { ok }`).join(' ');
    const answer = await post(`{ ${aliases} }`, asOperator);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors?.[0]?.message).toMatch(/(Token|Aliases) limit of \d+ exceeded/);
    expect(calls.ping).toBe(0);
  });

  it('aliases within the limit make one call to the producer per request', async () => {
    const { post, calls } = buildOpsYoga();
    const aliases = Array.from({ length: 10 }, (_, i) => `s${i}: producerStatus { ok }`).join(' ');
    const answer = await post(`{ ${aliases} }`, asOperator);
    expect(Object.keys(answer.body.data)).toHaveLength(10);
    expect(calls.ping).toBe(1);
  });

  it('a form-encoded POST cannot run a mutation (CSRF), even with the token', async () => {
    const { yoga } = buildOpsYoga();
    const form = await yoga.fetch('http://consumer.test/ops/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...asOperator },
      body: `query=${encodeURIComponent('mutation { pauseConsumerGroup(groupId: "g") { paused } }')}`,
    });
    expect(form.status).toBe(403);
    expect(await form.text()).not.toMatch(/operator token|paused/);
  });

  it('no Origin gets CORS headers: the console is served from this origin', async () => {
    const { post } = buildOpsYoga();
    // An origin the public endpoint allows.
    const answer = await post('{ producerStatus { ok } }', { ...asOperator, origin: 'https://app.example.com' });
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('in production, introspection is refused and suggestions are hidden, for operators too', async () => {
    const { post } = buildOpsYoga({ options: { ...DEVELOPMENT, introspection: false, graphiql: false } });
    expect((await post('{ __schema { types { name } } }', asOperator)).body.errors?.[0]?.message).toMatch(/introspection/i);
    expect((await post('{ consumerGroup { groupId } }', asOperator)).body.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });
});
