import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, newUser, queryRows, request, SPAN_KIND, startOtlpReceiver, testInfra, type ReceivedSpan } from '@herald/testing';
import { gql, SIGN_UP } from './support/graphql';
import { startSystem, type TestSystem } from './support/system';
import { tracingEnv } from './support/tracing-env';


describe('tracing: one sign-up is one trace, from the GraphQL request through Kafka to the push (both services as processes)', () => {
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let system: TestSystem;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    system = await startSystem({ producerEnv: tracingEnv(receiver.url), consumerEnv: tracingEnv(receiver.url) });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
    await receiver?.stop();
  });

  it('the request, the outbox row, the relay send, the projection, its write and the push are spans of one trace, each under the one it came from', async () => {
    const user = newUser();
    const answer = await gql(system.consumerUrl, SIGN_UP, { input: user });
    expect(answer.errors).toBeUndefined();
    const userId: string = answer.data.signUp.id;

    // The producer's request span names the trace; the rest arrive as each service exports.
    const signUpRequest = () => receiver.spans().find((span) => span.service === 'herald-producer' && span.kind === SPAN_KIND.server && span.attributes['url.path'] === '/users');
    await eventually(async () => signUpRequest() !== undefined, { what: "the producer's POST /users span" });
    const traceId = signUpRequest()!.traceId;
    const inTrace = () => receiver.spans().filter((span) => span.traceId === traceId);
    const find = (where: (span: ReceivedSpan) => boolean) => inTrace().find(where);
    const expected = {
      graphql: (span: ReceivedSpan) => span.service === 'herald-consumer' && span.kind === SPAN_KIND.server && span.attributes['url.path'] === '/graphql',
      call: (span: ReceivedSpan) => span.service === 'herald-consumer' && span.kind === SPAN_KIND.client && String(span.attributes['url.full']).endsWith('/users'),
      request: (span: ReceivedSpan) => span.service === 'herald-producer' && span.kind === SPAN_KIND.server && span.attributes['url.path'] === '/users',
      create: (span: ReceivedSpan) => span.kind === SPAN_KIND.producer && span.name === `create ${system.topicPrefix}new-user-created`,
      send: (span: ReceivedSpan) => span.kind === SPAN_KIND.producer && span.name === `send ${system.topicPrefix}new-user-created`,
      projection: (span: ReceivedSpan) => span.kind === SPAN_KIND.consumer && span.attributes['messaging.consumer.group.name'] === `${system.groupPrefix}.users`,
      live: (span: ReceivedSpan) => span.kind === SPAN_KIND.consumer && String(span.attributes['messaging.consumer.group.name']).startsWith(`${system.groupPrefix}.live.`),
      write: (span: ReceivedSpan) => span.name === 'read-model write',
      push: (span: ReceivedSpan) => span.name === 'push userCreated',
    };
    await eventually(async () => Object.values(expected).every((where) => find(where) !== undefined), {
      timeoutMs: 30_000,
      what: `every span of the sign-up's trace (so far: ${inTrace().map((span) => `${span.service} ${span.name}`).join(', ')})`,
    });
    const span = Object.fromEntries(Object.entries(expected).map(([name, where]) => [name, find(where)!])) as Record<keyof typeof expected, ReceivedSpan>;

    // Server spans are named by their route, as the request histogram labels them.
    expect([span.graphql.name, span.request.name]).toEqual(['POST /graphql', 'POST /users']);
    // HTTP: the consumer's fetch carried the trace to the producer.
    expect(span.call.parentSpanId).toBe(span.graphql.spanId);
    expect(span.request.parentSpanId).toBe(span.call.spanId);
    // The outbox row is created in the request; its context is the record's creation context.
    expect(span.create.parentSpanId).toBe(span.request.spanId);
    expect(span.create.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.operation.type': 'create', 'messaging.destination.name': `${system.topicPrefix}new-user-created`, 'messaging.kafka.message.key': userId });
    // The relay's send links to it (and, sending this one record alone, is its child).
    expect(span.send.service).toBe('herald-producer');
    expect(span.send.links).toContainEqual({ traceId, spanId: span.create.spanId });
    expect(span.send.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.operation.type': 'send', 'messaging.destination.name': `${system.topicPrefix}new-user-created` });
    // Both consumer groups process the record under its creation context, and write or push beneath.
    for (const processing of [span.projection, span.live]) {
      expect(processing.service).toBe('herald-consumer');
      expect(processing.parentSpanId).toBe(span.create.spanId);
      expect(processing.links).toContainEqual({ traceId, spanId: span.create.spanId });
      expect(processing.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.operation.type': 'process', 'messaging.destination.name': `${system.topicPrefix}new-user-created` });
    }
    expect(span.write.parentSpanId).toBe(span.projection.spanId);
    expect(span.push.parentSpanId).toBe(span.live.spanId);

    // The record carries the creation span's context, not one of the relay's.
    const [row] = await queryRows<{ traceparent: string }>(system.producerDatabaseUrl, "SELECT headers->>'traceparent' AS traceparent FROM outbox_events WHERE key = $1", [userId]);
    expect(row?.traceparent).toBe(`00-${traceId}-${span.create.spanId}-01`);

    // No personal data or secret in any span of the trace: ids yes; e-mail, username, password, client IP no.
    const exported = JSON.stringify(inTrace());
    for (const secret of [user.email, user.username, user.password, user.firstName]) expect(exported).not.toContain(secret);
    expect(inTrace().some((each) => 'client.address' in each.attributes)).toBe(false);
  }, 90_000);

  it("a service's log lines carry the trace and span they were written in", async () => {
    const user = newUser();
    expect((await request(system.producerUrl, 'POST', '/users', user)).status).toBe(201);
    // A caller's trace context continues in the producer: its 409 is logged (at info) inside the request's span.
    const traceId = randomBytes(16).toString('hex');
    const again = await request(system.producerUrl, 'POST', '/users', user, { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` });
    expect(again.status).toBe(409);

    const logFile = join(testInfra().dataDir, `${system.topicPrefix}producer.log`);
    const loggedIn = () =>
      readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { trace_id?: string; span_id?: string; res?: { statusCode?: number } })
        .find((line) => line.trace_id === traceId);
    await eventually(async () => loggedIn() !== undefined, { what: "the producer's log line of the 409, with its trace" });
    const requestSpan = () => receiver.spans().find((each) => each.traceId === traceId && each.kind === SPAN_KIND.server);
    await eventually(async () => requestSpan() !== undefined, { what: 'the span of the 409' });
    const span = requestSpan()!;
    expect(loggedIn()).toMatchObject({ trace_id: traceId, span_id: span.spanId, res: { statusCode: 409 } });
    expect(span.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.response.status_code': 409 });
  });
});
