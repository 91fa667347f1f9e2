// Scaling out against the running system (`npm start`): a second consumer and producer process
// join and leave while refreshes flow (issue 13, item 4):
//   npm run bench:scale -- [--users=40] [--concurrency=8] [--seconds=10] [--rate=50] [--windowSeconds=15]
import { benchTarget } from './lib/bench-env';
import { numericOptions } from './lib/cli-options';
import { runMain } from './lib/main';
import { join } from 'node:path';
import { builtServiceScaler } from './scale/extra-services';
import { runScale, SCALE_DEFAULTS } from './scale/run-scale';

runMain('bench:scale', async () => {
  const target = benchTarget();
  const logDir = join(__dirname, 'results', 'scale-out-logs');
  console.log(`The extra processes log to ${logDir}`);
  await runScale(target, builtServiceScaler(target, logDir), numericOptions(SCALE_DEFAULTS));
});
