import { randomBytes } from 'node:crypto';
import { eventually, newUser, queryNumber, request, startOtlpReceiver, type ReceivedSpan } from '@herald/testing';
import { startSystem, type TestSystem } from './support/system';
import { tracingEnv } from './support/tracing-env';

/** Both services keep no new trace of their own (ratio 0), and follow the caller's decision. */
const sampledEnv = (endpoint: string) => tracingEnv(endpoint, { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' });

describe('trace sampling (OTEL_TRACES_SAMPLER): a trace is kept whole or not at all, across both services and Kafka', () => {
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let system: TestSystem;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    system = await startSystem({ producerEnv: sampledEnv(receiver.url), consumerEnv: sampledEnv(receiver.url) });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
    await receiver?.stop();
  });

  const projected = (userId: string) => async () => (await queryNumber(system.consumerDatabaseUrl, 'SELECT count(*) FROM users WHERE id = $1', [userId])) === 1;

  it('keeps the whole trace a caller sampled, through the record to the projection, and nothing of one it did not', async () => {
    // Not sampled by anyone (no traceparent, ratio 0): the record carries the decision (flags 00).
    const unsampled = await request(system.producerUrl, 'POST', '/users', newUser());
    expect(unsampled.status).toBe(201);
    await eventually(projected(unsampled.body.id as string), { what: 'the unsampled sign-up projected' });

    const traceId = randomBytes(16).toString('hex');
    const sampled = await request(system.producerUrl, 'POST', '/users', newUser(), { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` });
    expect(sampled.status).toBe(201);
    const inTrace = () => receiver.spans().filter((span) => span.traceId === traceId);
    const names = () => inTrace().map((span: ReceivedSpan) => `${span.service} ${span.name}`);
    await eventually(async () => ['herald-producer POST /users', 'herald-consumer read-model write', 'herald-consumer push userCreated'].every((name) => names().includes(name)), {
      what: `the sampled sign-up's whole trace (so far: ${names().join(', ')})`,
    });
    await eventually(projected(sampled.body.id as string), { what: 'the sampled sign-up projected' });

    // Everything exported belongs to the sampled trace: the unsampled sign-up left no span anywhere,
    // though it was written, relayed and projected before the sampled one's spans arrived.
    expect([...new Set(receiver.spans().map((span) => span.traceId))]).toEqual([traceId]);
  }, 90_000);
});
