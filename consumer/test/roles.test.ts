import { randomBytes } from 'node:crypto';
import { createTestDatabase, eventually, isReady, queryNumber, request, silentLogger, startTestUserKeysServer, testInfra, testKafka, uniqueName, type TestUserKeysServer } from '@herald/testing';
import { loadConfig } from '../src/config';
import { startConsumer, type RunningConsumer } from '../src/main';
import { asMessage, publish, testProfile, userCreatedEvent } from './support/events';

/**
 * The consumer's roles run apart (CONSUMER_ROLES), as a deployment at scale runs them: one process
 * projects, another serves the public and the operators' APIs from the same database, topics and
 * groups.
 */
describe('the consumer with its roles in separate processes', () => {
  const operatorToken = randomBytes(24).toString('base64url');
  const asOperator = { 'x-operator-token': operatorToken };
  let database: { url: string; drop: () => Promise<void> };
  let projector: RunningConsumer | undefined;
  let api: RunningConsumer | undefined;
  let env: Record<string, string>;
  let userKeys: TestUserKeysServer;

  beforeAll(async () => {
    database = await createTestDatabase('consumer_roles');
    userKeys = await startTestUserKeysServer();
    env = {
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      KAFKA_BROKERS: testInfra().kafkaBrokers,
      KAFKA_TOPIC_PREFIX: `${uniqueName('test-')}.`,
      DATABASE_URL: database.url,
      PRODUCER_URL: 'http://127.0.0.1:9',
      CONSUMER_GROUP_PREFIX: uniqueName('herald-consumer-test-'),
      CONSUMER_SESSION_TIMEOUT_MS: '6000',
      SHUTDOWN_TIMEOUT_MS: '5000',
      OPERATOR_TOKEN: operatorToken,
      USER_KEYS_URL: userKeys.url,
      USER_KEYS_TOKEN: userKeys.token,
    };
    // The projector and the read API's live feed open users' personal data, so both get the token, as deployed.
    projector = await startConsumer(loadConfig({ ...env, CONSUMER_ROLES: 'projector' }), silentLogger('projector'));
    api = await startConsumer(loadConfig({ ...env, CONSUMER_ROLES: 'read-api,ops' }), silentLogger('api'));
    await eventually(isReady(projector.url), { timeoutMs: 60_000, what: 'projector ready (groups joined)' });
    await eventually(isReady(api.url), { timeoutMs: 60_000, what: 'read API ready' });
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await projector?.stop();
    await userKeys?.stop();
    await database?.drop();
  });

  it('each process serves only its roles: their endpoints, their health, nothing of the others', async () => {
    const projectorUrl = projector!.url;
    const apiUrl = api!.url;
    expect((await request(projectorUrl, 'POST', '/graphql', { query: '{ users { totalCount } }' })).status).toBe(404);
    expect((await request(projectorUrl, 'POST', '/ops/graphql', { query: '{ consumerGroups { groupId } }' }, asOperator)).status).toBe(404);
    expect((await request(projectorUrl, 'GET', '/health/read-api')).status).toBe(404);
    expect((await request(projectorUrl, 'GET', '/health')).body).toEqual({ status: 'ok', checks: { 'projector.consumers': true } });

    expect((await request(apiUrl, 'GET', '/health/projector')).status).toBe(404);
    expect((await request(apiUrl, 'GET', '/ready')).body.checks).toEqual({ database: true, kafka: true, 'read-api.live-feed': true, 'ops.live-feed': true });
    expect((await request(apiUrl, 'POST', '/graphql', { query: '{ users { totalCount } }' })).body).toEqual({ data: { users: { totalCount: 0 } } });
  });

  it('the projector writes what the read API serves, and operators see the projector\'s groups from the API process', async () => {
    const user = userCreatedEvent();
    await publish(testKafka(), `${env.KAFKA_TOPIC_PREFIX}new-user-created`, [asMessage(user)]);
    await eventually(async () => (await queryNumber(database.url, 'SELECT count(*) FROM users')) === 1, { what: 'the user projected' });
    const read = await request(api!.url, 'POST', '/graphql', { query: `{ user(id: "${user.payload.userId}") { username } }` });
    expect(read.body).toEqual({ data: { user: { username: testProfile(user.payload.userId).username } } });

    const groups = await request(api!.url, 'POST', '/ops/graphql', { query: '{ consumerGroups { groupId members } }' }, asOperator);
    const users = (groups.body.data.consumerGroups as Array<{ groupId: string; members: number }>).find((group) => group.groupId === `${env.CONSUMER_GROUP_PREFIX}.users`);
    expect(users).toEqual({ groupId: `${env.CONSUMER_GROUP_PREFIX}.users`, members: 1 });
  });

  it('with the projector gone, the read API stays healthy and keeps serving the read models', async () => {
    await projector!.stop();
    projector = undefined;
    expect((await request(api!.url, 'GET', '/health')).status).toBe(200);
    expect((await request(api!.url, 'POST', '/graphql', { query: '{ users { totalCount } }' })).body).toEqual({ data: { users: { totalCount: 1 } } });
  });
});
