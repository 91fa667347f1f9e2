import { Client } from 'pg';
import type { BenchTarget } from '../lib/bench-env';
import { describeCpu, startCpuAccounting, type CpuShare } from '../lib/cpu-accounting';
import { createProducerApi, jtiOf, runTag, type ProducerApi } from '../lib/producer-api';
import { createResults } from '../lib/results';
import { peakRssVerdicts, sampleServiceMemory } from '../lib/service-memory';
import { fixed, ratio, summarize } from '../lib/stats';
import { latencyTable, verdictTable, type Verdict } from '../lib/summary-table';
import { targetPorts } from '../lib/system-pids';
import { runAtRate, runPool } from '../lib/worker-pool';
import { largestGap } from './gaps';

export const SCALE_DEFAULTS = {
  /** Users signed up and logged in first; each refreshes one request at a time. */
  users: 40,
  /** Refreshes in flight in the throughput phases (closed loop). */
  concurrency: 8,
  /** Seconds of each throughput phase (1 × 1, then 2 × 2). */
  seconds: 10,
  /** Refreshes per second while a consumer joins or leaves. */
  rate: 50,
  /** Seconds of each join / leave window; the change comes a third of the way in. */
  windowSeconds: 15,
  /** How long, after the last answer, an event may take to be projected. */
  timeoutMs: 30_000,
};

export type ScaleOptions = typeof SCALE_DEFAULTS;

/** One more service process, as ECS adds a task. */
export interface ExtraService {
  url: string;
  /** A clean stop (SIGTERM), as ECS stops a task: a consumer leaves its groups. */
  stop(): Promise<void>;
}

/** Starts extra processes on the system under test (the CLI: built services; the smoke test: its own system's). */
export interface Scaler {
  addConsumer(): Promise<ExtraService>;
  addProducer(): Promise<ExtraService>;
}

interface Refresh {
  phase: string;
  jti: string;
  /** Wall-clock ms when the answer arrived (the read model's projected_at is wall-clock too). */
  answeredAt: number;
}

/**
 * Scaling out as ECS does it (issue 13, item 4): against the running system, throughput and
 * answer -> projected latency of POST /auth/refresh with 1 producer and 1 consumer process, then
 * with a second of each (the producers behind one URL list, round robin; the consumer joining the
 * same groups), and the rebalance pause when the second consumer joins and when it leaves: the
 * largest gap between two projected events while refreshes keep coming, against the largest gap
 * before the change. Every event must be projected exactly once.
 */
export async function runScale(target: BenchTarget, scaler: Scaler, options: ScaleOptions, log: (line: string) => void = console.log) {
  const results = createResults('scale-out');
  const producers: ProducerApi[] = [createProducerApi(target.producerUrl)];
  const memory = sampleServiceMemory({ producer: target.producerUrl, consumer: target.consumerUrl }, { operatorToken: target.operatorToken });
  const extra: ExtraService[] = [];
  const refreshes: Refresh[] = [];
  const marks: Array<{ what: string; at: number }> = [];
  const cpu: Record<string, { share: CpuShare | undefined; requests: number; seconds: number }> = {};
  const tag = runTag();
  const tokens: string[] = [];

  let next = 0;
  const refreshOnce = async (phase: string, user: number) => {
    const api = producers[next++ % producers.length]!;
    const answer = await api.refresh(tokens[user]!);
    if (answer.status !== 200) throw new Error(`refresh answered ${answer.status} in phase ${phase}`);
    tokens[user] = answer.body.refreshToken;
    refreshes.push({ phase, jti: jtiOf(answer.body.accessToken), answeredAt: performance.timeOrigin + answer.at });
  };
  const ports = () => [...targetPorts(target), ...extra.map((service) => Number(new URL(service.url).port))];

  /** Closed loop: `concurrency` users refresh back to back for `seconds`. */
  const throughput = async (phase: string) => {
    const accounting = startCpuAccounting({ ports: ports() });
    const before = refreshes.length;
    const started = performance.now();
    const deadline = started + options.seconds * 1000;
    const free = tokens.map((_, user) => user);
    await Promise.all(Array.from({ length: Math.min(options.concurrency, tokens.length) }, async () => {
      while (performance.now() < deadline) {
        const user = free.shift()!; // as many users as lanes at least: one is always free
        await refreshOnce(phase, user);
        free.push(user);
      }
    }));
    cpu[phase] = { share: accounting.stop(), requests: refreshes.length - before, seconds: (performance.now() - started) / 1000 };
  };

  /** A steady stream at `rate`; `change` runs a third of the way in (a consumer joins or leaves). */
  const window = async (phase: string, change: () => Promise<void>) => {
    const free = tokens.map((_, user) => user);
    const count = Math.round(options.rate * options.windowSeconds);
    const changed = (async () => {
      await new Promise((resolveWait) => setTimeout(resolveWait, (options.windowSeconds * 1000) / 3));
      marks.push({ what: `${phase}: change`, at: Date.now() });
      await change();
      marks.push({ what: `${phase}: done`, at: Date.now() });
    })();
    await runAtRate({ ratePerSecond: options.rate, count, maxInFlight: free.length }, async () => {
      const user = free.shift();
      if (user === undefined) return;
      await refreshOnce(phase, user);
      free.push(user);
    });
    await changed;
  };

  let peakRss: Record<string, number>;
  try {
    const api = producers[0]!;
    await runPool(options.users, 4, async (i) => {
      const signUp = await api.signUp(`${tag}_${i}`);
      if (signUp.status !== 201) throw new Error(`sign-up answered ${signUp.status}`);
      const login = await api.login(`${tag}_${i}`);
      if (login.status !== 200) throw new Error(`login answered ${login.status}`);
      tokens.push(login.body.refreshToken);
    });

    await throughput('1 producer, 1 consumer');
    await window('consumer 2 joins', async () => {
      extra.push(await scaler.addConsumer());
      memory.add('consumer 2', extra[0]!.url);
      // Ready: every one of its groups joined, i.e. the rebalance is over.
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && (await fetch(`${extra[0]!.url}/ready`).then((response) => response.status, () => 0)) !== 200) await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    });
    const producer2 = await scaler.addProducer();
    extra.push(producer2);
    memory.add('producer 2', producer2.url);
    producers.push(createProducerApi(producer2.url));
    await throughput('2 producers, 2 consumers');
    await window('consumer 2 leaves', async () => {
      await extra[0]!.stop(); // SIGTERM: it leaves its groups, as ECS stops a task
    });
  } finally {
    for (const service of extra.reverse()) await service.stop().catch(() => {});
    peakRss = await memory.stop();
  }

  const projected = await waitProjected(target.consumerDatabaseUrl, refreshes.map((refresh) => refresh.jti), options.timeoutMs);
  const latencyOf = (refresh: Refresh) => (projected.has(refresh.jti) ? projected.get(refresh.jti)! - refresh.answeredAt : Number.NaN);
  const phases = [...new Set(refreshes.map((refresh) => refresh.phase))].map((phase) => {
    const mine = refreshes.filter((refresh) => refresh.phase === phase);
    const latencies = mine.map(latencyOf).filter((ms) => !Number.isNaN(ms));
    return { phase, requests: mine.length, unprojected: mine.length - latencies.length, summary: summarize(latencies), perSecond: cpu[phase] ? cpu[phase].requests / cpu[phase].seconds : Number.NaN };
  });
  const pauses = ['consumer 2 joins', 'consumer 2 leaves'].map((phase) => {
    const changeAt = marks.find((mark) => mark.what === `${phase}: change`)?.at ?? Number.NaN;
    const mine = refreshes.filter((refresh) => refresh.phase === phase && projected.has(refresh.jti));
    const times = mine.map((refresh) => projected.get(refresh.jti)!);
    // Answered before the change vs from it on: the worst wait an event had for its projection.
    const worst = (list: Refresh[]) => (list.length ? Math.max(...list.map(latencyOf)) : Number.NaN);
    return {
      phase,
      gapBefore: largestGap(times.filter((at) => at < changeAt)),
      gapAfter: largestGap(times.filter((at) => at >= changeAt)),
      worstBefore: worst(mine.filter((refresh) => refresh.answeredAt < changeAt)),
      worstAfter: worst(mine.filter((refresh) => refresh.answeredAt >= changeAt)),
      changeMs: (marks.find((mark) => mark.what === `${phase}: done`)?.at ?? Number.NaN) - changeAt,
    };
  });

  const one = phases.find((phase) => phase.phase === '1 producer, 1 consumer');
  const two = phases.find((phase) => phase.phase === '2 producers, 2 consumers');
  const lost = phases.reduce((sum, phase) => sum + phase.unprojected, 0);
  const verdicts: Verdict[] = [
    { what: 'events projected (every refresh of every phase)', measured: `${refreshes.length - lost} of ${refreshes.length}`, target: 'all', ok: lost === 0 },
    { what: 'throughput, 2 × 2 / 1 × 1', measured: `${fixed(ratio(two?.perSecond ?? Number.NaN, one?.perSecond ?? Number.NaN) * 100, 0)}%`, target: 'n/a (2 cores)', ok: undefined },
    ...peakRssVerdicts(peakRss, 'while scaling'),
  ];

  const csv = results.writeCsv('', ['phase', 'jti', 'answered_ms', 'projected_ms', 'latency_ms'], refreshes.map((refresh) => [refresh.phase, refresh.jti, refresh.answeredAt, projected.get(refresh.jti) ?? Number.NaN, latencyOf(refresh)]));
  log('\nScaling out: POST /auth/refresh answered -> projected in the read model (issued_tokens.projected_at)');
  log(latencyTable(phases.map((phase) => ({ name: phase.phase, summary: phase.summary, extra: { 'req/s': fixed(phase.perSecond, 0), unprojected: String(phase.unprojected) } }))));
  for (const [phase, entry] of Object.entries(cpu)) log(`  ${phase}: ${describeCpu(entry.share, entry.requests)}`);
  log('Rebalance pause (ms): the largest gap between two projected events, and the longest an event waited for its projection, before the change -> from it on');
  for (const pause of pauses) {
    log(`  ${pause.phase} (the change took ${fixed(pause.changeMs, 0)} ms): gap ${fixed(pause.gapBefore, 0)} -> ${fixed(pause.gapAfter, 0)}; longest wait ${fixed(pause.worstBefore, 0)} -> ${fixed(pause.worstAfter, 0)}`);
  }
  log(verdictTable(verdicts));
  log(`  samples: ${csv}`);
  return { phases, pauses, cpu, verdicts, csv, lost };
}

/** projected_at (wall-clock ms) of each jti, once all are in or the time is up. */
async function waitProjected(consumerDatabaseUrl: string, jtis: string[], timeoutMs: number): Promise<Map<string, number>> {
  const client = new Client({ connectionString: consumerDatabaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ jti: string; at: number }>('SELECT jti, extract(epoch FROM projected_at) * 1000 AS at FROM issued_tokens WHERE jti = ANY($1::uuid[])', [jtis]);
      if (rows.length >= jtis.length || Date.now() > deadline) return new Map(rows.map((row) => [row.jti, Number(row.at)]));
      await new Promise((resolveWait) => setTimeout(resolveWait, 250));
    }
  } finally {
    await client.end();
  }
}
