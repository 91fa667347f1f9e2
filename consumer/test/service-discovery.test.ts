import { readFileSync, writeFileSync } from 'node:fs';
import { newUser, uniqueName } from '@herald/testing';
import { gql, opsGql, SIGN_UP } from './support/graphql';
import { startSystem, type TestSystem } from './support/system';

const HOSTS = '/etc/hosts';

/**
 * The consumer must reach the producer by the name Copilot gives it on ECS
 * (producer.<COPILOT_SERVICE_DISCOVERY_ENDPOINT>), resolved by the system resolver, not by an IP.
 * The test adds a host entry of its own for a name nobody else uses, and removes it afterwards.
 */
describe('service discovery', () => {
  const endpoint = `${uniqueName('sd-')}.herald.local`;
  const entry = `127.0.0.1 producer.${endpoint} # herald test entry`;
  let system: TestSystem;

  beforeAll(async () => {
    try {
      writeFileSync(HOSTS, `${readFileSync(HOSTS, 'utf8').replace(/\n?$/, '\n')}${entry}\n`);
    } catch (error) {
      throw new Error(`this test adds a line to ${HOSTS} and needs to be allowed to write it (run as root or in a container)`, { cause: error });
    }
    system = await startSystem({ discoveryEndpoint: endpoint });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
    writeFileSync(HOSTS, readFileSync(HOSTS, 'utf8').split('\n').filter((line) => line !== entry).join('\n'));
  });

  it('reaches the producer at producer.<endpoint>:<port>, by name', async () => {
    const { data } = await opsGql(system.consumerUrl, '{ producerStatus { url ok answer } }', {}, system.asOperator);
    const port = new URL(system.producerUrl).port;
    expect(data.producerStatus).toMatchObject({ url: `http://producer.${endpoint}:${port}`, ok: true });
    expect(JSON.parse(data.producerStatus.answer)).toMatchObject({ service: 'producer' });

    const body = newUser();
    const signUp = await gql(system.consumerUrl, SIGN_UP, { input: { username: body.username, email: body.email, password: body.password } });
    expect(signUp.data.signUp.username).toBe(body.username);
  });
});

describe('when the producer cannot be reached', () => {
  let system: TestSystem;

  beforeAll(async () => {
    // A port nothing listens on: the consumer runs, its mutations fail clearly.
    system = await startSystem({ producer: false });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('producerStatus says so and mutations answer PRODUCER_UNAVAILABLE naming the URL', async () => {
    const { data } = await opsGql(system.consumerUrl, '{ producerStatus { url ok error } }', {}, system.asOperator);
    expect(data.producerStatus).toMatchObject({ url: system.producerUrl, ok: false, error: `The producer at ${system.producerUrl} could not be reached` });

    const body = newUser();
    const signUp = await gql(system.consumerUrl, SIGN_UP, { input: { username: body.username, email: body.email, password: body.password } });
    expect(signUp.errors?.[0]).toMatchObject({ message: `The producer at ${system.producerUrl} could not be reached`, extensions: { code: 'PRODUCER_UNAVAILABLE' } });
  });
});
