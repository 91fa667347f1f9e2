// A short run of each bench against a system of the test's own, so `npm run bench` cannot rot
// unnoticed. It checks that the benches measure something and that nothing failed; it never
// checks timings (those belong to `npm run bench` on a quiet machine, see docs/performance.md).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testInfra } from '@herald/testing';
import { startSystem, type TestSystem } from '../consumer/test/support/system';
import { E2E_DEFAULTS, runE2e } from '../bench/e2e/run-e2e';
import { HTTP_DEFAULTS, runHttp } from '../bench/http/run-http';
import { FEED_DEFAULTS, runFeed } from '../bench/feed/run-feed';
import { PRODUCE_DEFAULTS, runProduce } from '../bench/produce/run-produce';
import { runScale, SCALE_DEFAULTS, type Scaler } from '../bench/scale/run-scale';
import type { BenchTarget } from '../bench/lib/bench-env';
import { freePort, startService, waitForHttp } from '@herald/local-infra';

describe('benchmarks (smoke run)', () => {
  let system: TestSystem;
  let target: BenchTarget;
  let resultsDir: string;
  const quiet = () => {};

  beforeAll(async () => {
    resultsDir = mkdtempSync(join(tmpdir(), 'herald-bench-'));
    process.env.BENCH_RESULTS_DIR = resultsDir;
    system = await startSystem();
    target = { producerUrl: system.producerUrl, consumerUrl: system.consumerUrl, kafkaBrokers: testInfra().kafkaBrokers.split(','), databaseUrl: system.producerDatabaseUrl, consumerDatabaseUrl: system.consumerDatabaseUrl, topicPrefix: system.topicPrefix, operatorToken: system.operatorToken, userKeysToken: system.userKeysToken };
  }, 60_000);

  afterAll(async () => {
    await system?.stop();
    delete process.env.BENCH_RESULTS_DIR;
    rmSync(resultsDir, { recursive: true, force: true });
  });

  test('the end-to-end bench sees every event of sign-up, login and refresh in the consumer, and measures the Kafka floor', async () => {
    const result = await runE2e(target, { ...E2E_DEFAULTS, users: 3, concurrency: 2, rate: 20, seconds: 1, timeoutMs: 8000 }, quiet);

    expect(result.phases.map((phase) => phase.phase)).toEqual(['sign-up', 'login', 'refresh']);
    for (const phase of result.phases) {
      expect(phase.summary.count).toBeGreaterThan(0);
      expect(phase.failed).toBe(0);
      expect(phase.undelivered).toBe(0);
    }
    expect(result.floor?.count).toBeGreaterThan(0);
    expect(result.floorUndelivered).toBe(0);
    expect(result.loadedFloor?.count).toBeGreaterThan(0);
    // The stage breakdown saw every event on Kafka, and the CPU of every phase was counted.
    expect(result.untapped).toBe(0);
    for (const phase of ['sign-up', 'login', 'refresh'] as const) expect(result.phaseCpu[phase]?.byGroup.producer).toBeGreaterThan(0);
    // A CPU budget per write, each over the phase's events and bare parts that each ran.
    const parts = (phase: 'sign-up' | 'login' | 'refresh') => result.budgets[phase]?.bare.map((part) => part.short);
    expect(parts('sign-up')).toEqual(['argon2id', 'pg writes', 'kafkajs round trip']);
    expect(parts('login')).toEqual(['argon2id', 'pg writes', 'kafkajs round trip']);
    expect(parts('refresh')).toEqual(['pg writes', 'kafkajs round trip']);
    for (const budget of Object.values(result.budgets)) {
      expect(budget.events).toBeGreaterThan(0);
      for (const part of budget.bare) expect(part.operations).toBeGreaterThan(0);
    }
    expect(result.verdicts.filter((verdict) => verdict.what.includes('CPU beyond the bare parts'))).toHaveLength(3);
  }, 90_000); // the bare parts of three budgets run after the phases

  test('the HTTP bench drives every endpoint and ceiling without a server error', async () => {
    const result = await runHttp(target, { ...HTTP_DEFAULTS, concurrency: 2, amount: 8 }, quiet);

    expect(result.measured).toHaveLength(10);
    for (const entry of result.measured) {
      expect(entry.summary.count).toBeGreaterThan(0);
      expect(entry.perSecond).toBeGreaterThan(0);
      if (entry.counts) {
        expect(entry.cpu?.seconds).toBeGreaterThan(0);
        expect(entry.counts['5xx']).toBe(0);
        expect(entry.counts['2xx']).toBe(entry.latencies.length);
      }
    }
  }, 120_000); // seeds users through argon2 and runs three bare ceilings: minutes on a busy machine

  test('the produce bench measures bare Kafka with every codec and the outbox relay draining every preloaded row', async () => {
    const result = await runProduce(target, { ...PRODUCE_DEFAULTS, seconds: 0.3, outboxRows: 300, matrix: 0, codecRounds: 1 }, quiet);

    expect(result.bare.map((entry) => entry.config.compression)).toEqual(['none', 'gzip', 'snappy', 'lz4', 'zstd']);
    expect(result.bare.every((entry) => entry.perSecond > 0)).toBe(true);
    for (const codec of ['gzip', 'snappy', 'lz4', 'zstd'] as const) expect(result.sizes[codec]).toBeLessThan(result.sizes.none);
    expect(result.relay.sent).toBe(300);
    expect(result.relay.unsent).toBe(0);
    expect(result.relay.perSecond).toBeGreaterThan(0);
  }, 40_000);

  test('the scale-out bench projects every refresh while a second consumer joins and leaves and a second producer serves', async () => {
    const scaler: Scaler = {
      addConsumer: async () => {
        const added = await system.addConsumer();
        return { url: added.url, stop: () => added.process.stop() };
      },
      addProducer: async () => {
        const port = await freePort();
        const env = { NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), KAFKA_BROKERS: testInfra().kafkaBrokers, KAFKA_TOPIC_PREFIX: system.topicPrefix, DATABASE_URL: system.producerDatabaseUrl, OPERATOR_TOKEN: system.operatorToken, USER_KEYS_TOKEN: system.userKeysToken };
        const producer = startService({ name: 'producer', env, logFile: join(testInfra().dataDir, `${system.topicPrefix}producer-2.log`) });
        await waitForHttp(`http://127.0.0.1:${port}/health`, producer);
        return { url: `http://127.0.0.1:${port}`, stop: () => producer.stop() };
      },
    };
    const result = await runScale(target, scaler, { ...SCALE_DEFAULTS, users: 4, concurrency: 2, seconds: 1, rate: 10, windowSeconds: 3, timeoutMs: 20_000 }, quiet);

    expect(result.phases.map((phase) => phase.phase)).toEqual(['1 producer, 1 consumer', 'consumer 2 joins', '2 producers, 2 consumers', 'consumer 2 leaves']);
    for (const phase of result.phases) expect(phase.summary.count).toBeGreaterThan(0);
    expect(result.lost).toBe(0);
    for (const pause of result.pauses) expect(pause.worstAfter).toBeGreaterThanOrEqual(0);
  }, 120_000);

  test('the feed bench delivers every post to every follower by push and by polling, fans out every row, and drives POST /posts without a server error', async () => {
    const result = await runFeed(
      target,
      { ...FEED_DEFAULTS, users: 6, follows: 2, posts: 6, concurrency: 2, pollMs: 20, fanOutFollowers: 300, fanOutPosts: 3, loadConnections: 2, floorConnections: 2, loadAmount: 12, loadUsers: 4, loadFollowers: 2, timeoutMs: 15_000 },
      quiet,
    );

    for (const phase of [result.push, result.poll]) {
      expect(phase.samples.length).toBeGreaterThan(0);
      expect(phase.undelivered).toBe(0);
      expect(phase.failed).toBe(0);
    }
    expect(result.floor.undelivered).toBe(0);
    expect(result.fanOut.rows).toBe(900);
    expect(result.bare.rows).toBe(900);
    for (const load of [result.load, result.floorLoad, result.ceiling]) {
      expect(load.counts['2xx']).toBeGreaterThan(0);
      expect(load.counts['5xx']).toBe(0);
    }
    // The post's CPU budget: every post of the load projected, each bare part run.
    expect(result.unprojected).toBe(0);
    expect(result.budget?.events).toBe(result.load.counts['2xx']);
    expect(result.budget?.bare.map((part) => part.short)).toEqual(['producer pg writes', 'consumer pg writes and fan-out', 'kafkajs round trip']);
    for (const part of result.budget?.bare ?? []) expect(part.operations).toBeGreaterThan(0);
    expect(result.verdicts).toHaveLength(7);
    // Both services' memory was sampled (the figure itself is a bench's business, not a test's).
    expect(result.verdicts.filter((verdict) => verdict.what.includes('peak RSS')).map((verdict) => verdict.ok)).toEqual([expect.any(Boolean), expect.any(Boolean)]);
  }, 120_000);
});
