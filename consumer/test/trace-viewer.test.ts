import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort, startZipkin, type ZipkinServer } from '@herald/local-infra';
import { eventually, newUser, testInfra, uniqueName } from '@herald/testing';
import type { Browser } from 'playwright-core';
import { launchChromium } from './support/browser';
import { gql, LOGIN, SIGN_UP } from './support/graphql';
import { wsClient } from './support/subscriptions';
import { startSystem, type TestSystem } from './support/system';

interface ZipkinSpan {
  name: string;
  kind?: string;
  localEndpoint: { serviceName: string };
}

/**
 * What `npm start -- --traces` runs: a real Zipkin server, both services exporting to it with
 * OpenTelemetry's Zipkin exporter, and the trace of one sign-up opened in Zipkin's own UI.
 */
describe('the trace viewer (npm start -- --traces): one sign-up, seen in Zipkin across both services and Kafka', () => {
  let zipkin: ZipkinServer;
  let system: TestSystem;
  let browser: Browser;

  beforeAll(async () => {
    zipkin = await startZipkin({ port: await freePort(), logFile: join(testInfra().dataDir, uniqueName('zipkin-'), 'zipkin.log') });
    const env = { OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: zipkin.spansUrl, OTEL_BSP_SCHEDULE_DELAY: '100' };
    system = await startSystem({ producerEnv: env, consumerEnv: env });
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
    await zipkin?.stop();
  }, 60_000);

  // The client starts each trace, so its id is known: the consumer's request span continues it.
  const newTrace = () => {
    const traceId = randomBytes(16).toString('hex');
    return { traceId, headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } };
  };
  /** The trace's spans as Zipkin answers them, once every one of `expected` (service and name) is there. */
  async function spansOf(traceId: string, expected: string[]): Promise<ZipkinSpan[]> {
    let spans: ZipkinSpan[] = [];
    const seen = () => new Set(spans.map((span) => `${span.localEndpoint.serviceName} ${span.name}`));
    await eventually(
      async () => {
        const found = await fetch(`${zipkin.url}/api/v2/trace/${traceId}`);
        spans = found.ok ? ((await found.json()) as ZipkinSpan[]) : [];
        return expected.every((name) => seen().has(name));
      },
      { timeoutMs: 30_000, what: `the trace's spans in Zipkin (so far: ${[...seen()].join(', ')})` },
    );
    return spans;
  }

  it('shows the request, the outbox row, the send, both consumer groups, the read-model write and the push as one trace', async () => {
    const { traceId, headers } = newTrace();
    const answer = await gql(system.consumerUrl, SIGN_UP, { input: newUser() }, headers);
    expect(answer.errors).toBeUndefined();

    const topic = `${system.topicPrefix}new-user-created`;
    const expected = [
      'herald-consumer post /graphql',
      'herald-consumer post',
      'herald-producer post /users',
      `herald-producer create ${topic}`,
      `herald-producer send ${topic}`,
      `herald-consumer process ${topic}`,
      'herald-consumer read-model write',
      'herald-consumer push usercreated',
    ];
    const spans = await spansOf(traceId, expected);
    // Both consumer groups of the topic process the record: the projection and the live feed.
    expect(spans.filter((span) => span.name === `process ${topic}` && span.kind === 'CONSUMER')).toHaveLength(2);

    const page = await browser.newPage();
    try {
      await page.goto(`${zipkin.url}/zipkin/traces/${traceId}`);
      for (const text of ['herald-producer', 'herald-consumer', `send ${topic}`, `process ${topic}`, 'push usercreated']) {
        await page.getByText(text, { exact: false }).first().waitFor({ timeout: 30_000 });
      }
      const shown = (await page.locator('body').innerText()).toLowerCase();
      expect(shown).toContain(traceId);
    } finally {
      await page.close();
    }
  });

  it('shows a login as one trace to its token push, and a post as one trace to the follower’s feedItemAdded', async () => {
    const [ada, bob] = [newUser(), newUser()];
    const signedIn: Record<string, string>[] = [];
    for (const user of [ada, bob]) {
      await gql(system.consumerUrl, SIGN_UP, { input: user });
      const login = newTrace();
      const answer = await gql(system.consumerUrl, LOGIN, { username: user.username, password: user.password }, login.headers);
      signedIn.push({ authorization: `Bearer ${answer.data.login.accessToken as string}` });
      const tokens = `${system.topicPrefix}issued-token`;
      await spansOf(login.traceId, [
        'herald-consumer post /graphql',
        'herald-producer post /auth/login',
        `herald-producer create ${tokens}`,
        `herald-producer send ${tokens}`,
        `herald-consumer process ${tokens}`,
        'herald-consumer read-model write',
        'herald-consumer push tokenissued',
      ]);
    }
    const [adaAuth, bobAuth] = signedIn as [Record<string, string>, Record<string, string>];
    const adaId = (await gql(system.consumerUrl, '{ me { id } }', {}, adaAuth)).data.me.id as string;
    expect((await gql(system.consumerUrl, 'mutation($id: ID!) { follow(followeeId: $id) { followeeId } }', { id: adaId }, bobAuth)).errors).toBeUndefined();

    const socket = wsClient(system.consumerUrl, bobAuth);
    const hears = socket.subscribe('subscription { feedItemAdded { id } }');
    const post = (title: string, headers: Record<string, string> = {}) =>
      gql(system.consumerUrl, 'mutation($input: CreatePostInput!) { createPost(input: $input) { id } }', { input: { title, body: `${title}, long enough to be a body.` } }, { ...adaAuth, ...headers });
    try {
      // The subscription is live once a push reaches it (the follow is projected by then too).
      let warmUp = 0;
      await eventually(async () => (await post(`Warm-up ${(warmUp += 1)}`), hears.received.length > 0), { what: 'bob hears ada', intervalMs: 500 });
      const { traceId, headers } = newTrace();
      const posted = await post('Traced', headers);
      await eventually(async () => hears.received.some((data) => data.feedItemAdded.id === posted.data.createPost.id), { what: 'bob hears the traced post' });
      const posts = `${system.topicPrefix}post-created`;
      await spansOf(traceId, [
        'herald-consumer post /graphql',
        'herald-producer post /posts',
        `herald-producer create ${posts}`,
        `herald-producer send ${posts}`,
        `herald-consumer process ${posts}`,
        'herald-consumer read-model write',
        'herald-consumer push feeditemadded',
      ]);
    } finally {
      await socket.close();
    }
  });
});
