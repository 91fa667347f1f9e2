import autocannon from 'autocannon';
import type { BenchTarget } from '../lib/bench-env';
import { createProducerApi, PASSWORD, runTag } from '../lib/producer-api';
import { fixed, ratio, summarize, type LatencySummary } from '../lib/stats';
import { runAtRate, runPool } from '../lib/worker-pool';

export const FLOOD_DEFAULTS = {
  /** Users whose logins are timed (each logs in a few times, well under LOGIN_LIMIT_PER_ACCOUNT). */
  users: 40,
  /** Their logins per second, each from an address of its own: real users, not a load test. */
  rate: 10,
  /** Seconds of timed logins, without the flood and then with it. */
  seconds: 8,
  /** Connections the flooding client keeps busy, all from one address, as fast as answers come. */
  floodConnections: 16,
};

export type FloodOptions = typeof FLOOD_DEFAULTS;

// One client (TEST-NET-2), guessing the passwords of a user who is not among the timed ones.
const FLOODER = '198.51.100.66';

export interface FloodResult {
  quiet: LatencySummary;
  flooded: LatencySummary;
  /** p50 with the flood over p50 without: the target is ≤ 1.5. */
  p50Ratio: number;
  flood: { requests: number; perSecond: number; statuses: Record<string, number> };
  failedLogins: number;
}

/**
 * Other users' login time with and without one client flooding wrong passwords at full speed.
 * The flood is stopped by the abuse limits before the password hash, so the p50 of real logins
 * should barely move; without them every guess waits in the same argon2 queue as real logins.
 */
export async function runFlood(target: BenchTarget, options: FloodOptions, log: (line: string) => void = console.log): Promise<FloodResult> {
  const api = createProducerApi(target.producerUrl);
  const tag = runTag();
  const usernames = Array.from({ length: options.users }, (_, i) => `${tag}_f${i}`);
  const victim = `${tag}_victim`;
  await runPool(usernames.length + 1, 4, async (i) => {
    const answer = await api.signUp(usernames[i] ?? victim);
    if (answer.status !== 201) throw new Error(`seeding: sign-up answered ${answer.status}`);
  });

  let failedLogins = 0;
  // Each timed login comes from an address of its own (createProducerApi), so only the flooder meets a limit.
  const timedLogins = async () => {
    const latencies: number[] = [];
    await runAtRate({ ratePerSecond: options.rate, count: options.rate * options.seconds, maxInFlight: 64 }, async (i) => {
      const started = performance.now();
      const answer = await api.login(usernames[i % usernames.length]!);
      latencies.push(answer.at - started);
      if (answer.status !== 200) failedLogins += 1;
    });
    return summarize(latencies);
  };

  log(`Timing ${options.rate} logins/s of ${options.users} users for ${options.seconds} s, without a flood...`);
  const quiet = await timedLogins();

  log(`...and again while one client (${FLOODER}) floods wrong passwords on ${options.floodConnections} connections`);
  // In a worker thread of its own, so the flood does not slow the event loop timing the logins.
  let floodDone: (result: autocannon.Result) => void = () => {};
  const floodFinished = new Promise<autocannon.Result>((resolveFlood) => (floodDone = resolveFlood));
  autocannon(
    {
      url: `${target.producerUrl}/auth/login`,
      method: 'POST',
      connections: options.floodConnections,
      duration: options.seconds + 2,
      workers: 1,
      headers: { 'content-type': 'application/json', 'x-forwarded-for': FLOODER },
      body: JSON.stringify({ username: victim, password: `not ${PASSWORD}` }),
    },
    (_error, result) => floodDone(result),
  );
  await new Promise((resolveWarm) => setTimeout(resolveWarm, 1000)); // the flood at full speed first
  const flooded = await timedLogins();
  const floodResult = await floodFinished;
  const statuses = Object.fromEntries(Object.entries(floodResult.statusCodeStats ?? {}).map(([status, { count = 0 }]) => [status, count]));

  const result: FloodResult = {
    quiet,
    flooded,
    p50Ratio: ratio(flooded.p50, quiet.p50),
    flood: { requests: floodResult.requests.total, perSecond: floodResult.requests.average, statuses },
    failedLogins,
  };
  log(`
Login p50 of other users (ms)   without flood ${fixed(quiet.p50)}   with flood ${fixed(flooded.p50)}   ratio ${fixed(result.p50Ratio, 2)}× (target ≤ 1.5×)
Login p90 of other users (ms)   without flood ${fixed(quiet.p90)}   with flood ${fixed(flooded.p90)}
Flood: ${result.flood.requests} requests, ${fixed(result.flood.perSecond, 0)}/s, answers ${JSON.stringify(statuses)}
Timed logins that did not succeed: ${failedLogins}`);
  return result;
}
