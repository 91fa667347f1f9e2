import { join } from 'node:path';
import { freePort, startClusterControl, startKafkaCluster, type ClusterControl, type KafkaCluster } from '@herald/local-infra';
import { eventually, testInfra, testKafka, uniqueName } from '@herald/testing';
import type { Browser, Page } from 'playwright-core';
import { asMessage, publish, userCreatedEvent } from './support/events';
import { launchChromium } from './support/browser';
import { startInProcessConsumer, type InProcessConsumer } from './support/in-process-consumer';

const SHOTS = process.env.HERALD_SCREENSHOTS === 'docs' ? join(__dirname, '..', '..', 'docs', 'images') : join(testInfra().dataDir, 'screenshots');

/**
 * Failure simulation from the page, against a three-node cluster of this test's own and the real
 * local cluster control (what `npm start -- --brokers 3` hands the consumer): never the run's
 * shared broker.
 */
describe('failure simulation in the console, on a local three-node cluster', () => {
  let cluster: KafkaCluster;
  let control: ClusterControl;
  let consumer: InProcessConsumer;
  let browser: Browser;
  let page: Page;

  // Three JVMs starting beside the run's other tests on two cores: minutes, not seconds.
  beforeAll(async () => {
    const ports = [];
    for (let i = 0; i < 3; i += 1) ports.push({ port: await freePort(), controllerPort: await freePort() });
    cluster = await startKafkaCluster({ ports, dataDir: join(testInfra().dataDir, uniqueName('console-cluster-')), heapMb: 320, startTimeoutMs: 240_000 });
    control = await startClusterControl({ cluster });
    consumer = await startInProcessConsumer({
      kafkaBrokers: cluster.brokers,
      env: { KAFKA_REPLICATION_FACTOR: '3', CONSOLE_SAMPLE_INTERVAL_MS: '1000', LOCAL_CLUSTER_CONTROL_URL: control.url, LOCAL_CLUSTER_CONTROL_TOKEN: control.token },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${consumer.url}/console`);
    await page.fill('#token', consumer.asOperator['x-operator-token']!);
    await page.click('button[type=submit]');
    for (const nodeId of [1, 2, 3]) await page.locator(`[data-testid=broker-${nodeId}][data-up=true][data-listed=true][data-state=running]`).waitFor({ timeout: 90_000 });
  }, 480_000);

  afterAll(async () => {
    await browser?.close();
    await consumer?.stop();
    await control?.close();
    await cluster?.stop();
  }, 120_000);

  it('a broker killed -9 from the page is shown down, its partitions under-replicated, then up and in sync again once started from the page', async () => {
    // The active controller, which only the local cluster control can tell.
    await eventually(async () => /^[123] epoch \d+$/.test((await page.getByTestId('quorum-leader').textContent()) ?? ''), { timeoutMs: 30_000, what: 'the quorum leader shown' });
    await page.getByTestId('kill-2').click();
    await page.locator('[data-testid=broker-2][data-up=false][data-state=stopped]').waitFor({ timeout: 60_000 });
    // The cluster's own word: the controller fences it, and the metadata no longer lists it.
    await page.locator('[data-testid=broker-2][data-listed=false]').waitFor({ timeout: 60_000 });
    await eventually(async () => Number(await page.getByTestId('under-replicated').textContent()) > 0, { timeoutMs: 60_000, what: 'under-replicated partitions shown' });
    await page.screenshot({ path: join(SHOTS, 'console-broker-down.png') });

    await page.getByTestId('start-2').click();
    await page.locator('[data-testid=broker-2][data-up=true][data-listed=true][data-state=running]').waitFor({ timeout: 120_000 });
    await eventually(async () => (await page.getByTestId('under-replicated').textContent()) === '0', { timeoutMs: 120_000, what: 'every partition in sync again' });
    const log = await page.getByTestId('simulation-log').textContent();
    expect(log).toContain('broker 2 is stopped');
    expect(log).toContain('broker 2 is running');
  }, 300_000);

  it('a group paused from the page lags behind while events arrive, and drains once resumed', async () => {
    const group = page.getByTestId(`group-${consumer.groupPrefix}.users`);
    await group.getByTestId('pause-toggle').click();
    await group.getByTestId('paused').waitFor({ timeout: 30_000 });
    await publish(testKafka(cluster.brokers), consumer.topics.newUserCreated, Array.from({ length: 5 }, () => asMessage(userCreatedEvent())));
    await eventually(async () => Number(await group.getByTestId('lag').textContent()) >= 5, { timeoutMs: 60_000, what: 'lag shown rising' });
    await group.getByTestId('pause-toggle').click();
    await eventually(async () => (await group.getByTestId('lag').textContent()) === '0', { timeoutMs: 60_000, what: 'lag drained after resume' });
    expect(await group.getByTestId('paused').count()).toBe(0);
  }, 120_000);

  it('a poison record published from the page is dead-lettered at once and shown in the queue', async () => {
    await page.getByTestId('poison').click();
    const logged = page.getByTestId('simulation-log').getByText(/poison record at/);
    await logged.waitFor({ timeout: 30_000 });
    const at = /poison record at (\S+)/.exec((await logged.textContent()) ?? '')![1]!;
    expect(at.startsWith(`${consumer.topics.newUserCreated}/`)).toBe(true);
    await eventually(
      async () => {
        await page.getByText('refresh').click();
        return (await page.locator('[data-testid=dead-letter]', { hasText: at }).count()) === 1;
      },
      { timeoutMs: 60_000, what: 'the poison record in the dead-letter queue' },
    );
    await page.screenshot({ path: join(SHOTS, 'console-simulation.png'), fullPage: true });
  }, 120_000);
});
