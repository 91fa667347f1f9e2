import { startBareExpress } from '../baselines/bare-express';
import { measureBareBulkInsert } from '../baselines/bare-bulk-insert';
import { measureKafkaRoundTrip } from '../baselines/kafka-round-trip';
import type { BenchTarget } from '../lib/bench-env';
import { accountCpu } from '../lib/cpu-accounting';
import { budgetVerdict, type CpuBudget } from '../lib/cpu-budget';
import { targetPorts } from '../lib/system-pids';
import { latencyPlotSvg } from '../lib/latency-plot';
import { createProgress, timedProgress } from '../lib/progress';
import { createResults } from '../lib/results';
import { fixed, percentile, ratio, summarize, type LatencySummary } from '../lib/stats';
import { peakRssVerdicts, sampleServiceMemory } from '../lib/service-memory';
import { latencyTable, verdictTable, type Verdict } from '../lib/summary-table';
import { createFeedApi, feedUsers } from './feed-api';
import { followRandomly, livePushes, measureDelivery, pollFeeds } from './delivery';
import { measureFanOut } from './fan-out';
import { postBudget } from './post-budget';
import { postLoad } from './post-load';
import { seedFollowers, waitForCount } from './seed-followers';

export const FEED_DEFAULTS = {
  /** Delivery: the Go feed app's scenario — 50 users, each following 10 others, 100 posts at concurrency 20. */
  users: 50,
  follows: 10,
  posts: 100,
  concurrency: 20,
  /** How often each user's feed is polled in the polling phase. */
  pollMs: 10,
  /** Fan-out: one author with this many followers posts this many times. */
  fanOutFollowers: 10_000,
  fanOutPosts: 20,
  /** Post load: connections and seconds, then the post API's published floor (300 clients, 60 s). */
  loadConnections: 50,
  loadSeconds: 30,
  floorConnections: 300,
  floorSeconds: 60,
  /** Requests per load phase instead of a duration (0: use seconds); the smoke test uses it. */
  loadAmount: 0,
  /** Writers the post load rotates through. */
  loadUsers: 100,
  /**
   * Followers of each writer (written to `user-followed` directly, as the fan-out's): a post's
   * fan-out is part of its path and of its CPU budget. 10: the delivery scenario's follows per user.
   */
  loadFollowers: 10,
  timeoutMs: 30_000,
};

export type FeedOptions = typeof FEED_DEFAULTS;

/** Bare pg transactions in flight for the post budget: enough to keep PostgreSQL's cores busy (CPU per transaction barely moves with it). */
const BARE_PG_CONCURRENCY = 4;

const classes = (result: { counts: Record<string, number> }) => `2xx ${result.counts['2xx']}, 4xx ${result.counts['4xx']}, 5xx ${result.counts['5xx']}, errors ${result.counts.errors}`;

/** The three feed benches of the feed issue: delivery latency, fan-out throughput, post load. */
export async function runFeed(target: BenchTarget, options: FeedOptions, log: (line: string) => void = console.log) {
  const results = createResults('feed');
  const api = createFeedApi(target.producerUrl, target.consumerUrl);
  const verdicts: Verdict[] = [];
  const memory = sampleServiceMemory({ producer: target.producerUrl, consumer: target.consumerUrl }, { operatorToken: target.operatorToken });

  // 1. Delivery, by push and by polling, next to the bare Kafka round trip of the same run.
  log(`\nfeed delivery: ${options.users} users following ${options.follows} each, ${options.posts} posts at concurrency ${options.concurrency}`);
  const users = await feedUsers(target.producerUrl, options.users, 4);
  const followersOf = await followRandomly(api, users, options.follows);
  // A subscription is live once the server has it: as many warm-up posts as users first.
  const pushes = livePushes(api, users);
  const warmUp = await measureDelivery(api, users, followersOf, { ...options, posts: options.users }, 'warm-up', pushes.observe);
  const push = await measureDelivery(api, users, followersOf, options, 'delivery by push', pushes.observe).finally(() => pushes.close());
  const poll = await measureDelivery(api, users, followersOf, options, `delivery by polling (${options.pollMs} ms)`, pollFeeds(api, users, options.pollMs));
  const floorProgress = createProgress('kafka round trip', 200);
  const ports = targetPorts(target);
  // CPU-accounted: its Kafka + client CPU per record is the post budget's bare Kafka part.
  const { result: floor, cpu: floorCpu } = await accountCpu(ports, () => measureKafkaRoundTrip({ brokers: target.kafkaBrokers, count: 200, ratePerSecond: 50, onProgress: (done) => floorProgress.update(done) })).finally(() => floorProgress.stop());
  const pushSummary = summarize(push.samples);
  const pollSummary = summarize(poll.samples);
  const floorSummary = summarize(floor.samples);
  log(latencyTable([
    { name: 'feedItemAdded push', summary: pushSummary, extra: { undelivered: String(push.undelivered), 'failed posts': String(push.failed), 'p99 / floor p99': fixed(ratio(pushSummary.p99, floorSummary.p99), 2) } },
    { name: `feed polled every ${options.pollMs} ms`, summary: pollSummary, extra: { undelivered: String(poll.undelivered), 'failed posts': String(poll.failed), 'p99 / floor p99': fixed(ratio(pollSummary.p99, floorSummary.p99), 2) } },
    { name: 'bare Kafka round trip', summary: floorSummary, extra: { undelivered: String(floor.undelivered) } },
  ]));
  results.writeCsv('-delivery', ['series', 'ms'], [
    ...push.samples.map((ms) => ['push', ms]),
    ...poll.samples.map((ms) => ['poll', ms]),
    ...floor.samples.map((ms) => ['kafka-round-trip', ms]),
  ]);
  const plot = results.writeFile('-delivery.svg', latencyPlotSvg('feed delivery: post answered -> in each follower\'s feed', [
    { name: 'feedItemAdded push', samples: push.samples },
    { name: `polling every ${options.pollMs} ms`, samples: poll.samples },
    { name: 'bare Kafka round trip', samples: floor.samples },
  ]));
  log(`plot: ${plot}`);
  verdicts.push({ what: 'feed delivery p99 (push) ≤ 3× Kafka round trip p99', measured: `${fixed(ratio(pushSummary.p99, floorSummary.p99), 2)}×`, target: '≤ 3×', ok: push.undelivered === 0 ? ratio(pushSummary.p99, floorSummary.p99) <= 3 : false });

  // 2. Fan-out throughput against a bare bulk insert of the same rows.
  log(`\nfan-out: one author with ${options.fanOutFollowers} followers posts ${options.fanOutPosts} times`);
  const [author] = await feedUsers(target.producerUrl, 1, 1);
  const fanOut = await measureFanOut(target, api, author!, { followers: options.fanOutFollowers, posts: options.fanOutPosts, timeoutMs: options.timeoutMs * 4 });
  const bare = await measureBareBulkInsert({ consumerDatabaseUrl: target.consumerDatabaseUrl, followers: options.fanOutFollowers, posts: options.fanOutPosts });
  const fanOutShare = ratio(fanOut.rowsPerSecond, bare.rowsPerSecond);
  log(`  consumer: ${fanOut.rows}/${fanOut.expected} rows in ${fixed(fanOut.seconds, 2)} s = ${fixed(fanOut.rowsPerSecond, 0)} rows/s (from the first post's answer, through Kafka)`);
  log(`  bare bulk insert: ${bare.rows} rows in ${fixed(bare.seconds, 2)} s = ${fixed(bare.rowsPerSecond, 0)} rows/s; share ${fixed(fanOutShare * 100, 0)}%`);
  results.writeCsv('-fan-out', ['what', 'rows', 'seconds', 'rows_per_second'], [
    ['consumer', fanOut.rows, fanOut.seconds, fanOut.rowsPerSecond],
    ['bare-bulk-insert', bare.rows, bare.seconds, bare.rowsPerSecond],
  ]);
  verdicts.push({ what: 'fan-out rows/s ≥ 50% of a bare bulk insert', measured: `${fixed(fanOutShare * 100, 0)}%`, target: '≥ 50%', ok: fanOut.rows === fanOut.expected ? fanOutShare >= 0.5 : false });

  // 3. Post load, against the bare express ceiling, then the published floor.
  log(`\npost load: POST /posts at ${options.loadConnections} connections for ${options.loadSeconds} s, ${options.loadUsers} writers`);
  const writers = await feedUsers(target.producerUrl, options.loadUsers, 4);
  await seedFollowers(target, writers.map((writer) => writer.id), options.loadFollowers, options.timeoutMs);
  const amount = options.loadAmount || undefined;
  const bareExpress = await startBareExpress();
  const timed = async <T>(what: string, seconds: number, run: () => Promise<T>) => {
    const progress = timedProgress(what, amount ? 0 : seconds);
    return run().finally(() => progress.stop());
  };
  const ceiling = await timed('bare express ceiling', options.loadSeconds, () => postLoad(bareExpress.url, writers, { connections: options.loadConnections, seconds: options.loadSeconds, amount })).finally(() => bareExpress.close());
  // The post budget's window: from the first post until the consumer has projected (and fanned
  // out) every post the load created, so no backlog is left to the next phase.
  const projectedPosts = (wanted: number) => waitForCount({ databaseUrl: target.consumerDatabaseUrl, sql: 'SELECT count(*) FROM posts WHERE author_id = ANY($1::uuid[])', values: [writers.map((writer) => writer.id)], wanted, timeoutMs: wanted === 0 ? 0 : options.timeoutMs });
  const postsBefore = await projectedPosts(0);
  const { result: { load, unprojected }, cpu: loadCpu } = await accountCpu(ports, async () => {
    const loaded = await timed('POST /posts', options.loadSeconds, () => postLoad(target.producerUrl, writers, { connections: options.loadConnections, seconds: options.loadSeconds, amount }));
    const projected = await projectedPosts(postsBefore + loaded.counts['2xx']);
    return { load: loaded, unprojected: postsBefore + loaded.counts['2xx'] - projected };
  });
  const floorLoad = await timed(`POST /posts x ${options.floorConnections}`, options.floorSeconds, () => postLoad(target.producerUrl, writers, { connections: options.floorConnections, seconds: options.floorSeconds, amount }));
  const loadSummary: LatencySummary = summarize(load.latencies);
  const floorSorted = [...floorLoad.latencies].sort((a, b) => a - b);
  const floorP95 = percentile(floorSorted, 95);
  const floorFailures = ratio(floorLoad.statuses.length - floorLoad.counts['2xx'] + floorLoad.counts.errors, floorLoad.statuses.length + floorLoad.counts.errors);
  log(latencyTable([
    { name: 'bare express POST', summary: summarize(ceiling.latencies), extra: { 'req/s': fixed(ceiling.perSecond, 0) } },
    { name: `POST /posts x ${options.loadConnections}`, summary: loadSummary, extra: { 'req/s': fixed(load.perSecond, 0), 'of ceiling': `${fixed(ratio(load.perSecond, ceiling.perSecond) * 100, 0)}%`, statuses: classes(load) } },
    { name: `POST /posts x ${options.floorConnections}`, summary: summarize(floorLoad.latencies), extra: { 'req/s': fixed(floorLoad.perSecond, 0), statuses: classes(floorLoad) } },
  ]));
  if (load.counts['4xx'] > load.counts['2xx']) log('  most posts were refused (429): start the producer with a raised POST_LIMIT_PER_USER to measure posting, not the limiter');
  results.writeCsv('-post-load', ['phase', 'status', 'ms'], [
    ...ceiling.latencies.map((ms, i) => ['bare-express', ceiling.statuses[i] ?? '', ms]),
    ...load.latencies.map((ms, i) => ['post', load.statuses[i] ?? '', ms]),
    ...floorLoad.latencies.map((ms, i) => ['post-floor', floorLoad.statuses[i] ?? '', ms]),
  ]);
  let budget: CpuBudget | undefined;
  if (loadCpu && floorCpu) {
    budget = await postBudget(target, { herald: { cpu: loadCpu, events: load.counts['2xx'] }, kafkaFloor: { cpu: floorCpu, records: floor.sent }, followers: options.loadFollowers, concurrency: BARE_PG_CONCURRENCY });
    log(budget.text);
    if (unprojected > 0) log(`  note: ${unprojected} posts were not projected within ${options.timeoutMs} ms; their fan-out is missing from the budget`);
    verdicts.push(budgetVerdict(budget));
  }
  verdicts.push({ what: `POST /posts x ${options.floorConnections}: p95 < 2 s`, measured: `${fixed(floorP95, 0)} ms`, target: '< 2000 ms', ok: floorP95 < 2000 });
  verdicts.push({ what: `POST /posts x ${options.floorConnections}: failures < 1%`, measured: `${fixed(floorFailures * 100, 2)}%`, target: '< 1%', ok: floorFailures < 0.01 });

  verdicts.push(...peakRssVerdicts(await memory.stop(), 'during the feed bench'));

  log('\nfeed targets, this run:');
  log(verdictTable(verdicts));
  return { warmUp, push, poll, floor, fanOut, bare, load, unprojected, budget, ceiling, floorLoad, verdicts };
}
