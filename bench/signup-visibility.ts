// The sign-up leg of the end-to-end bench alone (kept for `npm run bench:signup -- [count] [concurrency]`):
// signUp answered by the producer -> the user visible in the consumer's read model.
import { benchTarget } from './lib/bench-env';
import { runMain } from './lib/main';
import { E2E_DEFAULTS, runE2e } from './e2e/run-e2e';

const [count = '200', concurrency = '4'] = process.argv.slice(2);

runMain('bench:signup', async () => {
  await runE2e(benchTarget(), { ...E2E_DEFAULTS, users: Number(count), concurrency: Number(concurrency), loginAndRefresh: 0, floor: 1, rate: 100, seconds: 2 });
});
