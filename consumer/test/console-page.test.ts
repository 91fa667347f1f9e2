import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HeraldEvent } from '@herald/events';
import { eventually, queryNumber, testInfra, testKafka } from '@herald/testing';
import type { Browser, Page } from 'playwright-core';
import { asMessage, publish, testProfile, tokenIssuedEvent, userCreatedEvent } from './support/events';
import { launchChromium } from './support/browser';
import { OPS_GRAPHQL, opsGql } from './support/graphql';
import { startInProcessConsumer, type InProcessConsumer } from './support/in-process-consumer';

/** Where screenshots go: docs/images when HERALD_SCREENSHOTS=docs (to refresh the docs), else the run's folder. */
const SHOTS = process.env.HERALD_SCREENSHOTS === 'docs' ? join(__dirname, '..', '..', 'docs', 'images') : join(testInfra().dataDir, 'screenshots');

/** The operator console in a real browser (Debian's headless Chromium), on the run's shared broker: read-only panels and the DLQ replay. */
describe('the operator console at /console', () => {
  const kafka = testKafka();
  let consumer: InProcessConsumer;
  let browser: Browser;
  let page: Page;
  /** GraphQL requests the page made, and what they asked. */
  const requests: string[] = [];
  /** A bug that refuses these events until it is "fixed" (the set emptied). */
  const buggy = new Set<string>();
  const token = () => consumer.asOperator['x-operator-token']!;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    consumer = await startInProcessConsumer({
      env: { CONSOLE_SAMPLE_INTERVAL_MS: '1000' },
      faults: {
        beforeApply: (events: HeraldEvent[]) => {
          if (events.some((event) => buggy.has(event.eventId))) throw new TypeError('a bug (test fault)');
        },
      },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === OPS_GRAPHQL) requests.push(request.postData() ?? '');
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await consumer?.stop();
  });

  it('serves the page with a strict content security policy, and without the token shows and fetches no data', async () => {
    const response = await page.goto(`${consumer.url}/console`);
    expect(response?.status()).toBe(200);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'self' 'sha256-[^']+'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    await page.getByTestId('no-token').waitFor();
    expect(await page.title()).toBe('Herald console');
    expect(requests).toEqual([]);
    expect(await page.getByTestId('cluster-panel').count()).toBe(0);
  });

  it('with a wrong token the API refuses and the page says so, showing nothing', async () => {
    await page.fill('#token', 'not-the-operator-token-at-all-0000000');
    await page.click('button[type=submit]');
    await page.getByTestId('refused').waitFor();
    expect(await page.getByTestId('refused').textContent()).toMatch(/not valid/);
    expect(await page.getByTestId('cluster-panel').count()).toBe(0);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('with the operator token every panel shows live data: brokers, partitions, groups with lag charts, the live flow, the dead letters', async () => {
    const user = userCreatedEvent();
    const failing = tokenIssuedEvent(user.payload.userId);
    buggy.add(failing.eventId);
    await publish(kafka, consumer.topics.newUserCreated, [asMessage(user)]);
    await publish(kafka, consumer.topics.issuedToken, [asMessage(failing)]);

    await page.fill('#token', token());
    await page.click('button[type=submit]');
    await page.getByTestId('cluster-panel').waitFor({ timeout: 30_000 });
    // The run's broker, in the metadata.
    await page.locator('[data-testid^=broker-][data-up=true]').first().waitFor({ timeout: 30_000 });
    // Every topic of this consumer with its 8 partitions, leader and ISR.
    const topic = page.getByTestId(`topic-${consumer.topics.newUserCreated}`);
    await topic.waitFor();
    expect(await topic.getByTestId('partition').count()).toBe(8);
    // Each group, its members and partitions, and a lag chart drawn by uPlot.
    const group = page.getByTestId(`group-${consumer.groupPrefix}.users`);
    await group.waitFor();
    await eventually(async () => (await group.locator('.members li').count()) > 0, { what: 'the users group with its member' });
    await group.locator('canvas').first().waitFor();

    // The live flow: records published now show up with their type and key, no value.
    await page.getByTestId('flow-live').waitFor({ timeout: 30_000 });
    // The tap reads from the latest offset once it has joined (it runs only while a console
    // watches): publish until a record sent after that shows, with its type and key, no value.
    const sent: Array<ReturnType<typeof userCreatedEvent>> = [];
    await eventually(
      async () => {
        const another = userCreatedEvent();
        sent.push(another);
        await publish(kafka, consumer.topics.newUserCreated, [asMessage(another)]);
        return page
          .locator('[data-testid=flow-event]', { hasText: another.payload.userId })
          .waitFor({ timeout: 3000 })
          .then(() => true, () => false);
      },
      { timeoutMs: 60_000, what: 'a record published now in the live flow' },
    );
    const flowText = await page.getByTestId('flow-panel').textContent();
    expect(flowText).toContain('new-user-created');
    for (const user of sent) {
      expect(flowText).not.toContain(testProfile(user.payload.userId).email);
      expect(flowText).not.toContain(testProfile(user.payload.userId).username);
    }

    // The dead-lettered token, with its error header.
    await page.getByText('refresh').click();
    const letter = page.locator('[data-testid=dead-letter]', { hasText: 'a bug (test fault)' });
    await letter.waitFor({ timeout: 60_000 });
    // Failure simulation is off here: no local cluster control was handed to this consumer.
    expect(await page.getByTestId('simulation-reason').textContent()).toMatch(/not handed a local cluster control/);
    await page.screenshot({ path: join(SHOTS, 'console.png'), fullPage: true });
  }, 180_000);

  it('a dead letter chosen on the page and replayed, once the cause is fixed, is projected into the read model', async () => {
    const tokens = () => queryNumber(consumer.databaseUrl, 'SELECT count(*) FROM issued_tokens');
    expect(await tokens()).toBe(0);
    buggy.clear(); // the fix is deployed
    const letter = page.locator('[data-testid=dead-letter]', { hasText: 'a bug (test fault)' }).first();
    await letter.locator('input[type=checkbox]').check();
    await page.getByTestId('replay-selected').click();
    await page.getByTestId('replay-result').waitFor();
    expect(await page.getByTestId('replay-result').textContent()).toMatch(/^1 replayed, 0 skipped/);
    await eventually(async () => (await tokens()) === 1, { timeoutMs: 60_000, what: 'the replayed token projected' });
    // Every request the page made carried the operator token as a header, never in the query.
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((body) => !body.includes(token()))).toBe(true);
  }, 120_000);

  it('pages the dead-letter queue back within a partition, newest first, a bounded page at a time', async () => {
    const user = userCreatedEvent();
    const failing = [1, 2, 3].map(() => tokenIssuedEvent(user.payload.userId));
    for (const event of failing) buggy.add(event.eventId);
    await publish(kafka, consumer.topics.issuedToken, failing.map(asMessage));
    const query = 'query($first: Int, $partition: Int, $beforeOffset: String) { deadLetters(first: $first, partition: $partition, beforeOffset: $beforeOffset) { total records { partition offset error } } }';
    const page = async (variables: Record<string, unknown>) => (await opsGql(consumer.url, query, variables, consumer.asOperator)).data.deadLetters as { total: number; records: Array<{ partition: number; offset: string }> };
    await eventually(async () => (await page({ first: 10 })).total === 4, { timeoutMs: 60_000, what: 'three more dead letters' });
    // Same key, same partition: the three are its newest records.
    const { partition } = (await page({ first: 1 })).records[0]!;
    const first = await page({ first: 2, partition });
    const offsets = first.records.map((record) => Number(record.offset));
    expect(offsets).toEqual([...offsets].sort((a, b) => b - a));
    const older = await page({ first: 2, partition, beforeOffset: String(Math.min(...offsets)) });
    expect(older.records.length).toBeGreaterThan(0);
    expect(older.records.every((record) => Number(record.offset) < Math.min(...offsets))).toBe(true);
  }, 120_000);
});
