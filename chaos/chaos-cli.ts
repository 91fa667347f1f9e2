import { join } from 'node:path';
import { STATE_DIR } from '@herald/local-infra';
import { z } from 'zod';
import { resultNotes, resultsTable } from './report';
import { runChaos } from './run-chaos';
import { SCENARIOS, type ScenarioName } from './scenarios';

/** `npm run chaos -- --scenarios broker,consumer --events 10000 --rate 200 ...`, checked once. */
const optionsSchema = z.object({
  scenarios: z
    .string()
    .default(SCENARIOS.join(','))
    .transform((value) => value.split(',').map((name) => name.trim()))
    .pipe(z.array(z.enum(SCENARIOS, { error: `must be a comma list of ${SCENARIOS.join(', ')}` })).min(1)),
  events: z.coerce.number().int().min(100).default(10_000),
  rate: z.coerce.number().int().min(1).max(5_000).default(40),
  concurrency: z.coerce.number().int().min(1).max(256).default(16),
  users: z.coerce.number().int().min(4).max(2_000).default(100),
  'deadline-minutes': z.coerce.number().min(1).max(240).default(40),
});

export async function runChaosCli(args: Record<string, string | undefined>): Promise<number> {
  const parsed = optionsSchema.safeParse(args);
  if (!parsed.success) {
    console.error(`npm run chaos: ${parsed.error.issues.map((issue) => `--${String(issue.path[0] ?? '?')} ${issue.message}`).join('; ')}`);
    return 2;
  }
  const options = parsed.data;
  const started = Date.now();
  const stamp = new Date(started).toISOString().replace(/[:.]/g, '-');
  const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
  const dataDir = join(STATE_DIR, 'chaos', stamp);
  log(`Failure suite: ${options.scenarios.join(', ')}; ${options.events} writes each at ${options.rate}/s; deadline ${options['deadline-minutes']} min; data and logs in ${dataDir}`);
  const interrupt = new AbortController();
  for (const name of ['SIGINT', 'SIGTERM'] as const) process.once(name, () => interrupt.abort());
  const { results, skipped, problems } = await runChaos({
    signal: interrupt.signal,
    scenarios: options.scenarios as ScenarioName[],
    events: options.events,
    ratePerSecond: options.rate,
    concurrency: options.concurrency,
    users: options.users,
    follows: 3,
    deadlineMs: options['deadline-minutes'] * 60_000,
    dataDir,
    from: 'build',
    log,
  });
  console.log(`\nFailure suite, ${new Date(started).toISOString().slice(0, 10)}, ${((Date.now() - started) / 60_000).toFixed(1)} min:\n`);
  console.log(resultsTable(results));
  console.log('');
  for (const line of [...resultNotes(results), ...skipped, ...problems]) console.log(line);
  const failed = problems.length > 0 || skipped.length > 0 || results.some((result) => result.problems.length > 0);
  console.log(failed ? '\nSome invariants did not hold, or the run was cut short (above).' : '\nEvery invariant held.');
  return failed ? 1 : 0;
}
