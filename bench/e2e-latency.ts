// End-to-end latency against the running system (`npm start`):
//   npm run bench:e2e -- [--users=100] [--concurrency=4] [--rate=200] [--seconds=10] [--timeoutMs=10000]
import { benchTarget } from './lib/bench-env';
import { numericOptions } from './lib/cli-options';
import { runMain } from './lib/main';
import { E2E_DEFAULTS, runE2e } from './e2e/run-e2e';

runMain('bench:e2e', async () => {
  await runE2e(benchTarget(), numericOptions(E2E_DEFAULTS));
});
