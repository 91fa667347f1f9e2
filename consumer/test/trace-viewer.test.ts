import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort, startZipkin, type ZipkinServer } from '@herald/local-infra';
import { eventually, newUser, testInfra, uniqueName } from '@herald/testing';
import type { Browser } from 'playwright-core';
import { launchChromium } from './support/browser';
import { gql, SIGN_UP } from './support/graphql';
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

  it('shows the request, the outbox row, the send, both consumer groups, the read-model write and the push as one trace', async () => {
    // The client starts the trace, so its id is known: the consumer's request span continues it.
    const traceId = randomBytes(16).toString('hex');
    const answer = await gql(system.consumerUrl, SIGN_UP, { input: newUser() }, { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` });
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
    let spans: ZipkinSpan[] = [];
    const seen = () => new Set(spans.map((span) => `${span.localEndpoint.serviceName} ${span.name}`));
    await eventually(
      async () => {
        const found = await fetch(`${zipkin.url}/api/v2/trace/${traceId}`);
        spans = found.ok ? ((await found.json()) as ZipkinSpan[]) : [];
        return expected.every((name) => seen().has(name));
      },
      { timeoutMs: 30_000, what: `the sign-up's spans in Zipkin (so far: ${[...seen()].join(', ')})` },
    );
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
});
