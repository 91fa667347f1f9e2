import { measureBarePg } from '../baselines/bare-pg';
import { refreshWrites } from '../baselines/bare-pg-writes';
import { startBareExpress } from '../baselines/bare-express';
import { startBareYoga } from '../baselines/bare-yoga';
import { measureKdf } from '../baselines/kdf';
import { requireOperatorToken, type BenchTarget } from '../lib/bench-env';
import { describeCpu, startCpuAccounting, type CpuShare } from '../lib/cpu-accounting';
import { targetPorts } from '../lib/system-pids';
import { latencyPlotSvg } from '../lib/latency-plot';
import { timedProgress } from '../lib/progress';
import { createResults } from '../lib/results';
import { peakRssVerdicts, sampleServiceMemory } from '../lib/service-memory';
import { fixed, ratio, summarize, type LatencySummary } from '../lib/stats';
import { latencyTable, verdictTable, type Verdict } from '../lib/summary-table';
import { endpoints, USERS_QUERY } from './endpoints';
import { runLoad, type LoadRequest, type LoadResult } from './load';
import { seedUsers } from './seed-users';

export const HTTP_DEFAULTS = {
  /** Seconds of load per endpoint and per ceiling. */
  seconds: 5,
  /** Connections (requests in flight) per endpoint; the ceilings use the same. */
  concurrency: 4,
  /** Requests per endpoint instead of a duration (0: use seconds); the smoke test uses it. */
  amount: 0,
};

export type HttpOptions = typeof HTTP_DEFAULTS;

export interface Measured {
  name: string;
  latencies: number[];
  perSecond: number;
  summary: LatencySummary;
  counts?: LoadResult['counts'];
  /** The ceiling this is compared with, and its throughput. */
  ceiling?: { name: string; perSecond: number };
  /** Where the machine's CPU went meanwhile: what bounds the figure. */
  cpu?: CpuShare;
}

/**
 * HTTP load per endpoint, each next to the ceiling it is bound by, measured right before it so
 * both see the same machine: the password KDF alone (sign-up, login, the signUp mutation), the
 * same writes as bare pg transactions (refresh), a bare express handler (GET /users/:id), a bare
 * graphql-yoga server (the users query).
 */
export async function runHttp(target: BenchTarget, options: HttpOptions, log: (line: string) => void = console.log) {
  const operatorToken = requireOperatorToken(target, 'bench:http', '/metrics, for each service\'s RSS');
  const { concurrency, seconds } = options;
  const amount = options.amount || undefined;
  const results = createResults('http-load');
  const measured: Measured[] = [];
  // Enough users that the login load stays under the per-account limit (LOGIN_LIMIT_PER_ACCOUNT).
  const seeded = await seedUsers(target.producerUrl, Math.max(2 * concurrency, 64), concurrency);
  const routes = endpoints(seeded);
  const memory = sampleServiceMemory({ producer: target.producerUrl, consumer: target.consumerUrl }, { operatorToken });

  const baseline = async (name: string, run: () => Promise<{ latencies: number[]; perSecond: number }>) => {
    const progress = timedProgress(name, seconds);
    const cpu = startCpuAccounting({ ports: targetPorts(target) });
    const { latencies, perSecond } = await run().finally(() => progress.stop());
    const entry = { name, latencies, perSecond, summary: summarize(latencies), cpu: cpu.stop() };
    measured.push(entry);
    return entry;
  };
  const load = async (name: string, url: string, request: LoadRequest, ceiling?: { name: string; perSecond: number }) => {
    const progress = timedProgress(name, seconds);
    const cpu = startCpuAccounting({ ports: targetPorts(target) });
    const result = await runLoad({ url, request, connections: concurrency, seconds, amount }).finally(() => progress.stop());
    measured.push({ name, latencies: result.latencies, perSecond: result.perSecond, summary: summarize(result.latencies), counts: result.counts, cpu: cpu.stop(), ...(ceiling ? { ceiling } : {}) });
  };

  const kdf = await baseline('ceiling: argon2id alone', () => measureKdf({ concurrency, seconds, amount }));
  await load('POST /users (sign-up)', target.producerUrl, routes.signUp, kdf);
  await load('POST /auth/login', target.producerUrl, routes.login, kdf);
  await load('signUp mutation (consumer)', target.consumerUrl, routes.signUpMutation, kdf);

  const pg = await baseline('ceiling: bare pg refresh writes', () => measureBarePg({ serverUrl: target.databaseUrl, writes: refreshWrites, concurrency, seconds, amount }));
  await load('POST /auth/refresh', target.producerUrl, routes.refresh, pg);

  const bareExpress = await startBareExpress();
  const express = await baseline('ceiling: bare express JSON', async () => {
    const result = await runLoad({ url: bareExpress.url, request: routes.getUser, connections: concurrency, seconds, amount });
    return result;
  }).finally(() => bareExpress.close());
  await load('GET /users/:id', target.producerUrl, routes.getUser, express);

  const bareYoga = await startBareYoga();
  const yoga = await baseline('ceiling: bare graphql-yoga', () => runLoad({ url: bareYoga.url, request: routes.usersQuery, connections: concurrency, seconds, amount })).finally(() => bareYoga.close());
  await load('users query (consumer)', target.consumerUrl, routes.usersQuery, yoga);
  const peakRss = await memory.stop();

  const byName = (prefix: string) => measured.find((entry) => entry.name.startsWith(prefix));
  const share = (name: string) => ratio(byName(name)?.perSecond ?? Number.NaN, byName(name)?.ceiling?.perSecond ?? Number.NaN);
  const atLeast = (what: string, name: string, wanted: number): Verdict => ({ what: `${what} / ceiling`, measured: `${fixed(share(name) * 100, 0)}%`, target: `≥ ${wanted * 100}%`, ok: Number.isFinite(share(name)) ? share(name) >= wanted : undefined });
  const p99Under = (what: string, name: string, ms: number): Verdict => {
    const p99 = byName(name)?.summary.p99 ?? Number.NaN;
    return { what: `${what} p99`, measured: `${fixed(p99)} ms`, target: `< ${ms} ms`, ok: Number.isFinite(p99) ? p99 < ms : undefined };
  };
  const verdicts: Verdict[] = [
    atLeast('sign-up', 'POST /users', 0.9),
    atLeast('login', 'POST /auth/login', 0.9),
    atLeast('refresh', 'POST /auth/refresh', 0.5),
    p99Under('refresh', 'POST /auth/refresh', 50),
    atLeast('users query', 'users query', 0.35),
    p99Under('users query', 'users query', 50),
    ...peakRssVerdicts(peakRss, 'under load'),
  ];

  const csv = results.writeCsv('', ['target', 'seq', 'latency_ms'], measured.flatMap((entry) => entry.latencies.map((ms, i) => [entry.name, i, ms])));
  const plot = results.writeFile('.svg', latencyPlotSvg(`HTTP latency per endpoint and ceiling (${concurrency} connections)`, measured.map((entry) => ({ name: entry.name, samples: entry.latencies }))));
  log(`\nHTTP load: ${concurrency} connections, ${amount ? `${amount} requests` : `${seconds} s`} per row (users query: ${USERS_QUERY.length} chars, first: 20)`);
  log(latencyTable(measured.map((entry) => ({
    name: entry.name,
    summary: entry.summary,
    extra: {
      'req/s': fixed(entry.perSecond, 0),
      '2xx/4xx/5xx/err': entry.counts ? `${entry.counts['2xx']}/${entry.counts['4xx']}/${entry.counts['5xx']}/${entry.counts.errors}` : '',
      'vs ceiling': entry.ceiling ? `${fixed(ratio(entry.perSecond, entry.ceiling.perSecond) * 100, 0)}%` : '',
    },
  }))));
  log('Where the CPU went (cores busy per process group; ms of CPU per request):');
  for (const entry of measured) log(`  ${entry.name}: ${describeCpu(entry.cpu, entry.latencies.length)}`);
  log(verdictTable(verdicts));
  log(`  samples: ${csv}\n  plot:    ${plot}`);
  return { measured, peakRss, verdicts, csv, plot };
}
