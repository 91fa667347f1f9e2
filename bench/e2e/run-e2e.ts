import type { BenchTarget } from '../lib/bench-env';
import { measureBarePgRefresh } from '../baselines/bare-pg-refresh';
import { measureKafkaRoundTrip } from '../baselines/kafka-round-trip';
import { cpuBudget, type CpuBudget } from './cpu-budget';
import { latencyPlotSvg } from '../lib/latency-plot';
import { createProducerApi, jtiOf, runTag, type TimedAnswer, type TokenPair } from '../lib/producer-api';
import { createProgress } from '../lib/progress';
import { createResults } from '../lib/results';
import { sampleServiceMemory } from '../lib/service-memory';
import { describeCpu, startCpuAccounting, type CpuShare } from '../lib/cpu-accounting';
import { targetPorts } from '../lib/system-pids';
import { fixed, ratio, summarize, type LatencySummary } from '../lib/stats';
import { latencyTable, verdictTable, type Verdict } from '../lib/summary-table';
import { runAtRate, runPool } from '../lib/worker-pool';
import { startKafkaTap } from './kafka-tap';
import { watchVisibility } from './visibility-watcher';

export const E2E_DEFAULTS = {
  /** Users signed up (then logged in) through the producer. */
  users: 100,
  /** Sign-ups and logins in flight at once (both are bound by the password KDF). */
  concurrency: 4,
  /** Refreshes per second: the rate the 50 ms target is set at. */
  rate: 200,
  /** How long refreshes run at that rate. */
  seconds: 10,
  /** After the last answer, how long an event may take before it counts as undelivered. */
  timeoutMs: 10_000,
  /** 1: also measure the bare Kafka floor (the smoke test and `bench:signup` may skip it). */
  floor: 1,
  /**
   * Round trips per second of a second bare Kafka floor measured during the refresh phase, on
   * the loaded machine (0: not measured). Shown beside the idle floor; the verdict uses the idle one.
   */
  loadedFloorRate: 50,
  /** 0: sign-up phase only (what `bench:signup` measures). */
  loginAndRefresh: 1,
};

export type E2eOptions = typeof E2E_DEFAULTS;

interface Sample {
  phase: string;
  key: string;
  status: number;
  answeredAt: number;
}

export interface PhaseResult {
  phase: string;
  requests: number;
  failed: number;
  undelivered: number;
  summary: LatencySummary;
  perSecond: number;
}

/**
 * End-to-end latency: for each event, the producer's HTTP answer -> the consumer announcing it as
 * visible. Sign-up and login are driven closed-loop (KDF-bound); refresh at a fixed rate, which is
 * what the latency target is about. The bare Kafka round trip is measured in the same run.
 */
export async function runE2e(target: BenchTarget, options: E2eOptions, log: (line: string) => void = console.log) {
  const api = createProducerApi(target.producerUrl);
  const results = createResults('e2e-latency');
  const ports = targetPorts(target);
  const measureFloor = async (when: string) => {
    const count = Math.max(20, Math.round(options.rate * options.seconds));
    const floorBar = createProgress(`bare Kafka at ${options.rate}/s (${when})`, count);
    const cpu = startCpuAccounting({ ports });
    const measured = await measureKafkaRoundTrip({ brokers: target.kafkaBrokers, count, ratePerSecond: options.rate, timeoutMs: options.timeoutMs, onProgress: floorBar.update }).finally(() => floorBar.stop());
    return { when, ...measured, cpu: cpu.stop() };
  };
  const floorBefore = options.floor ? await measureFloor('before') : undefined;
  const memory = sampleServiceMemory({ producer: target.producerUrl, consumer: target.consumerUrl }, { operatorToken: target.operatorToken });
  const watcher = await watchVisibility(target.consumerUrl, target.operatorToken);
  const tap = await startKafkaTap({ brokers: target.kafkaBrokers, topicPrefix: target.topicPrefix });
  let refreshCpu: CpuShare | undefined;
  let loadedFloor: { samples: number[]; undelivered: number } | undefined;
  const samples: Sample[] = [];
  const phaseTimes: Record<string, number> = {};
  const tag = runTag();
  const userIds: string[] = [];
  const tokens = new Map<number, string>();

  const record = (phase: string, key: string | undefined, answer: TimedAnswer<unknown>) => samples.push({ phase, key: key ?? '', status: answer.status, answeredAt: answer.at });
  const timed = async (phase: string, body: () => Promise<void>) => {
    const started = performance.now();
    await body();
    phaseTimes[phase] = (performance.now() - started) / 1000;
  };

  try {
    const signUpBar = createProgress('sign-up', options.users);
    await timed('sign-up', () =>
      runPool(options.users, options.concurrency, async (i) => {
        const answer = await api.signUp(`${tag}_${i}`);
        record('sign-up', answer.status === 201 ? answer.body.id : undefined, answer);
        if (answer.status === 201) userIds[i] = answer.body.id;
      }, signUpBar.update),
    );
    signUpBar.stop();

    if (options.loginAndRefresh) {
      const loginBar = createProgress('login', options.users);
      await timed('login', () =>
        runPool(options.users, options.concurrency, async (i) => {
          if (!userIds[i]) return;
          const answer = await api.login(`${tag}_${i}`);
          const ok = answer.status === 200;
          record('login', ok ? jtiOf(answer.body.accessToken) : undefined, answer);
          if (ok) tokens.set(i, answer.body.refreshToken);
        }, loginBar.update),
      );
      loginBar.stop();

      // Each user's refresh token works once, so a user is busy until its refresh answers.
      const free = [...tokens.keys()];
      const count = Math.round(options.rate * options.seconds);
      const refreshBar = createProgress(`refresh at ${options.rate}/s`, count);
      let skippedNoUser = 0;
      let outcome = { started: 0, skipped: 0 };
      const cpu = startCpuAccounting({ ports });
      // The same bare round trip as the floor, at a low rate, while the system is under the
      // refresh load: what any Kafka round trip suffers on this machine at that moment.
      const loadedFloorRun =
        options.floor && options.loadedFloorRate > 0
          ? measureKafkaRoundTrip({ brokers: target.kafkaBrokers, count: Math.max(10, Math.round(options.loadedFloorRate * Math.max(1, options.seconds - 2))), ratePerSecond: options.loadedFloorRate, timeoutMs: options.timeoutMs })
          : undefined;
      loadedFloorRun?.catch(() => {});
      await timed('refresh', async () => {
        outcome = await runAtRate({ ratePerSecond: options.rate, count, maxInFlight: Math.max(1, free.length) }, async () => {
          const user = free.shift();
          if (user === undefined) {
            skippedNoUser += 1;
            return;
          }
          const answer = await api.refresh(tokens.get(user)!);
          const ok = answer.status === 200;
          record('refresh', ok ? jtiOf(answer.body.accessToken) : undefined, answer as TimedAnswer<TokenPair>);
          if (ok) {
            tokens.set(user, answer.body.refreshToken);
            free.push(user);
          }
        }, refreshBar.update);
      });
      refreshCpu = cpu.stop();
      refreshBar.stop();
      loadedFloor = await loadedFloorRun;
      if (outcome.skipped + skippedNoUser > 0) log(`  note: ${outcome.skipped + skippedNoUser} refreshes not started (all users busy): the system fell behind ${options.rate}/s`);
    }

    await watcher.waitFor(samples.filter((sample) => sample.key).map((sample) => sample.key), options.timeoutMs);
  } finally {
    await watcher.close();
    await tap.close();
  }
  const peakRss = await memory.stop();
  const idleRss = memory.idle();

  const floorAfter = options.floor ? await measureFloor('after') : undefined;
  // The refresh's database writes alone (bare pg, the same statements), for the CPU budget.
  let barePgCpu: { cpu: CpuShare | undefined; writes: number } | undefined;
  if (options.floor && refreshCpu) {
    const cpu = startCpuAccounting({ ports });
    const bare = await measureBarePgRefresh({ databaseUrl: target.databaseUrl, concurrency: options.concurrency, seconds: 0, amount: Math.min(2000, Math.round(options.rate * options.seconds)) });
    barePgCpu = { cpu: cpu.stop(), writes: bare.latencies.length };
  }
  // The floor is measured before and after the system phases, on an idle system; a single stall
  // of the shared machine moves a p99 of 2,000 samples, so the ratio uses the lower of the two
  // (the harder figure to stay within 2× of).
  const floors = [floorBefore, floorAfter].filter((entry) => entry !== undefined).map((entry) => ({ ...entry, summary: summarize(entry.samples) }));
  const floor = floors.reduce<(typeof floors)[number] | undefined>((best, entry) => (!best || entry.summary.p99 < best.summary.p99 ? entry : best), undefined);

  // The stages of one sample, in ms after the HTTP answer: published by the relay (CreateTime,
  // 1 ms resolution; negative when the relay sent it before the answer reached the bench), read
  // by a bare consumer, pushed by the consumer service (the end-to-end latency).
  const since = (at: Map<string, number>) => (sample: Sample) => (sample.key && at.has(sample.key) ? at.get(sample.key)! - sample.answeredAt : Number.NaN);
  const publishedAfter = since(tap.publishedAt);
  const readAfter = since(tap.readAt);
  const latencyOf = since(watcher.seenAt);
  const loadedFloorSummary = loadedFloor ? summarize(loadedFloor.samples) : undefined;
  const phases: PhaseResult[] = ['sign-up', 'login', 'refresh']
    .filter((phase) => phaseTimes[phase] !== undefined)
    .map((phase) => {
      const mine = samples.filter((sample) => sample.phase === phase);
      const ok = mine.filter((sample) => sample.key);
      const delivered = ok.map(latencyOf).filter((ms) => !Number.isNaN(ms));
      return { phase, requests: mine.length, failed: mine.length - ok.length, undelivered: ok.length - delivered.length, summary: summarize(delivered), perSecond: mine.length / phaseTimes[phase]! };
    });
  const floorSummary = floor?.summary;
  const refreshRequests = phases.find((phase) => phase.phase === 'refresh')?.requests ?? 0;
  const budget: CpuBudget | undefined =
    refreshCpu && floorBefore?.cpu && barePgCpu?.cpu
      ? cpuBudget({
          herald: { cpu: refreshCpu, events: refreshRequests },
          loadedFloorRecords: loadedFloor ? loadedFloor.samples.length + loadedFloor.undelivered : 0,
          bareKafka: { cpu: floorBefore.cpu, records: floorBefore.sent },
          barePg: { cpu: barePgCpu.cpu, writes: barePgCpu.writes },
        })
      : undefined;

  const csv = results.writeCsv('', ['phase', 'key', 'http_status', 'answered_ms', 'latency_ms', 'published_after_ms', 'bare_read_after_ms'], [
    ...samples.map((sample) => [sample.phase, sample.key, sample.status, sample.answeredAt, latencyOf(sample), publishedAfter(sample), readAfter(sample)]),
    ...floors.flatMap((entry) => entry.samples.map((ms, i) => [`bare-kafka-${entry.when}`, String(i), 0, Number.NaN, ms, Number.NaN, Number.NaN])),
    ...(loadedFloor?.samples ?? []).map((ms, i) => ['bare-kafka-under-load', String(i), 0, Number.NaN, ms, Number.NaN, Number.NaN]),
  ]);
  const plot = results.writeFile('.svg', latencyPlotSvg('HTTP answer -> visible in the consumer, vs the bare Kafka round trip', [
    ...phases.map((phase) => ({ name: phase.phase, samples: samples.filter((sample) => sample.phase === phase.phase).map(latencyOf).filter((ms) => !Number.isNaN(ms)) })),
    ...floors.map((entry) => ({ name: `bare Kafka round trip (${entry.when})`, samples: entry.samples })),
    ...(loadedFloor ? [{ name: 'bare Kafka round trip (under load)', samples: loadedFloor.samples }] : []),
  ]));

  const refresh = phases.find((phase) => phase.phase === 'refresh');
  const p99Ratio = ratio(refresh?.summary.p99 ?? Number.NaN, floorSummary?.p99 ?? Number.NaN);
  const verdicts: Verdict[] = [
    { what: `refresh events p99 vs bare Kafka p99 (at ${fixed(refresh?.perSecond ?? Number.NaN, 0)}/s)`, measured: `${fixed(p99Ratio, 2)}×`, target: '≤ 2×', ok: Number.isFinite(p99Ratio) ? p99Ratio <= 2 : undefined },
    { what: 'refresh events p99', measured: `${fixed(refresh?.summary.p99 ?? Number.NaN)} ms`, target: '≤ 50 ms', ok: refresh ? refresh.summary.p99 <= 50 : undefined },
    ...(budget ? [{ what: 'refresh CPU beyond the bare parts (pg writes + kafkajs round trip)', measured: `${fixed(budget.overhead, 2)}× (${fixed(budget.heraldTotal, 2)} / ${fixed(budget.bare.total, 2)} ms)`, target: '≤ 1×', ok: Number.isFinite(budget.overhead) ? budget.overhead <= 1 : undefined }] : []),
    ...Object.entries(peakRss).map(([service, mb]) => ({ what: `${service} peak RSS (idle before the run)`, measured: `${fixed(mb, 0)} MB (${fixed(idleRss[service] ?? Number.NaN, 0)})`, target: '≤ 150 MB', ok: Number.isFinite(mb) ? mb <= 150 : undefined })),
  ];

  log('\nEnd-to-end: producer HTTP answer -> event visible in the consumer (graphql-ws subscription)');
  log(latencyTable([
    ...phases.map((phase) => ({ name: phase.phase, summary: phase.summary, extra: { 'req/s': fixed(phase.perSecond, 0), 'non-2xx': String(phase.failed), undelivered: String(phase.undelivered), 'p99 / floor': `${fixed(ratio(phase.summary.p99, floorSummary?.p99 ?? Number.NaN), 2)}×` } })),
    ...floors.map((entry) => ({ name: `bare Kafka round trip, ${entry.when}${entry === floor ? ' *' : ''}`, summary: entry.summary, extra: { 'req/s': fixed(options.rate, 0), undelivered: String(entry.undelivered) } })),
    ...(loadedFloor && loadedFloorSummary ? [{ name: 'bare Kafka round trip, under load', summary: loadedFloorSummary, extra: { 'req/s': fixed(options.loadedFloorRate, 0), undelivered: String(loadedFloor.undelivered) } }] : []),
  ]));
  log('Stages after the HTTP answer (p50 / p90 / p99 ms): published by the relay -> read by a bare consumer -> pushed by the consumer service');
  for (const phase of phases) {
    const mine = samples.filter((sample) => sample.phase === phase.phase);
    const stage = (of: (sample: Sample) => number) => {
      const summary = summarize(mine.map(of).filter((ms) => !Number.isNaN(ms)));
      return `${fixed(summary.p50)} / ${fixed(summary.p90)} / ${fixed(summary.p99)}`;
    };
    log(`  ${phase.phase}: ${stage(publishedAfter)} -> ${stage(readAfter)} -> ${stage(latencyOf)}`);
  }
  if (refreshCpu) log(`  refresh phase ${describeCpu(refreshCpu, phases.find((phase) => phase.phase === 'refresh')?.requests)}`);
  if (budget) log(budget.text);
  if (floor) log(`  * the floor the ratios use: the lower p99 of the two idle ones${loadedFloor ? '; "under load" ran during the refresh phase' : ''}`);
  log(verdictTable(verdicts));
  log(`  samples: ${csv}\n  plot:    ${plot}`);
  const untapped = samples.filter((sample) => sample.key && !tap.readAt.has(sample.key)).length;
  return { phases, untapped, refreshCpu, budget, loadedFloor: loadedFloorSummary, floor: floorSummary, floorUndelivered: floors.reduce((sum, entry) => sum + entry.undelivered, 0), peakRss, idleRss, verdicts, csv, plot, subscriptionErrors: watcher.errors.length };
}
