import { freePort } from '@herald/local-infra';
import { eventually, newUser, queryNumber, request } from '@herald/testing';
import { gql, SIGN_UP } from './support/graphql';
import { startSystem, type TestSystem } from './support/system';
import { tracingEnv } from './support/tracing-env';

// Tracing is the one part of a request's path that may fail without anyone noticing: spans that
// cannot be exported are dropped, and nothing of the request waits for them.
describe('tracing with its collector down: nothing of the system stops', () => {
  let system: TestSystem;

  beforeAll(async () => {
    // A port nobody listens on: every export is refused.
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    system = await startSystem({ producerEnv: tracingEnv(nowhere), consumerEnv: tracingEnv(nowhere) });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('signs up, relays, projects and stays ready, as with tracing off', async () => {
    const answer = await gql(system.consumerUrl, SIGN_UP, { input: newUser() });
    expect(answer.errors).toBeUndefined();
    const userId = answer.data.signUp.id as string;
    await eventually(async () => (await queryNumber(system.consumerDatabaseUrl, 'SELECT count(*) FROM users WHERE id = $1', [userId])) === 1, { what: 'the sign-up projected' });
    // Past a few export rounds (100 ms each): both services still answer ready.
    await new Promise((resolveWait) => setTimeout(resolveWait, 500));
    expect((await request(system.producerUrl, 'GET', '/ready')).status).toBe(200);
    expect((await request(system.consumerUrl, 'GET', '/ready')).status).toBe(200);
  });
});
