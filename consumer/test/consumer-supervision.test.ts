import { eventually, queryNumber, request, testKafka } from '@herald/testing';
import { asMessage, publish, userCreatedEvent } from './support/events';
import { startInProcessConsumer, type InProcessConsumer } from './support/in-process-consumer';

const crashes = async (url: string, headers: Record<string, string>) => {
  const metrics = (await request(url, 'GET', '/metrics', undefined, headers)).body as string;
  const line = /herald_consumer_crashes_total\{group="[^"]*\.users",restarted_by="service"\} (\d+)/.exec(metrics);
  return Number(line?.[1] ?? 0);
};

// A TypeError escaping a batch is one that kafkajs calls unrecoverable: it stops the consumer and
// does not restart it. The fault is thrown after the database commit, outside the failure routing.
const bugInTheUsersGroup = (times: number) => {
  let left = times;
  return (groupId: string) => {
    if (!groupId.endsWith('.users') || left <= 0) return;
    left -= 1;
    throw new TypeError('a bug (test fault)');
  };
};

describe('a consumer that kafkajs stops', () => {
  const kafka = testKafka();
  let consumer: InProcessConsumer | undefined;

  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
  });

  it('when kafkajs stops it for good, the service starts a fresh one, counts the crash, and every event is projected', async () => {
    consumer = await startInProcessConsumer({
      env: { CONSUMER_RESTART_BASE_DELAY_MS: '100' },
      faults: { afterDatabaseCommit: bugInTheUsersGroup(1) },
    });
    const users = Array.from({ length: 50 }, () => userCreatedEvent());
    await publish(kafka, consumer.topics.newUserCreated, users.map(asMessage));

    const { url, databaseUrl } = consumer;
    await eventually(async () => (await crashes(url, consumer!.asOperator)) === 1, { what: 'the crash counted' });
    await eventually(async () => (await queryNumber(databaseUrl, 'SELECT count(*) FROM users')) === users.length, { timeoutMs: 60_000, what: 'every user projected' });
    await eventually(async () => (await request(url, 'GET', '/ready')).status === 200, { timeoutMs: 60_000, what: 'ready again' });
    expect((await request(url, 'GET', '/health')).status).toBe(200);
  }, 120_000);

  it('when it crashes however often it is restarted, the projector\'s health fails so that the task is replaced, and the read API\'s stays up', async () => {
    consumer = await startInProcessConsumer({
      env: { CONSUMER_RESTART_BASE_DELAY_MS: '100', CONSUMER_RESTART_MAX_DELAY_MS: '200', CONSUMER_MAX_RESTARTS: '2' },
      faults: { afterDatabaseCommit: bugInTheUsersGroup(Infinity) },
    });
    const { url } = consumer;
    expect((await request(url, 'GET', '/health')).status).toBe(200);
    await publish(kafka, consumer.topics.newUserCreated, [asMessage(userCreatedEvent())]);

    await eventually(async () => (await request(url, 'GET', '/health')).status === 503, { timeoutMs: 90_000, what: '/health failing' });
    const health = await request(url, 'GET', '/health');
    expect(health.body).toEqual({ status: 'failing', checks: { 'projector.consumers': false, 'read-api.live-feed': true, 'ops.live-feed': true } });
    expect((await request(url, 'GET', '/health/projector')).status).toBe(503);
    // A load balancer in front of the read API alone (CONSUMER_ROLES=read-api) checks this one.
    expect((await request(url, 'GET', '/health/read-api')).body).toEqual({ status: 'ok', checks: { 'live-feed': true } });
    expect(await crashes(url, consumer!.asOperator)).toBeGreaterThanOrEqual(3);
    expect((await request(url, 'GET', '/ready')).status).toBe(503);
  }, 120_000);
});
