// Other users' login time while one client floods wrong passwords, against the running system (`npm start`):
//   npm run bench:flood -- [--users=40] [--rate=10] [--seconds=8] [--floodConnections=16]
import { benchTarget } from './lib/bench-env';
import { numericOptions } from './lib/cli-options';
import { runMain } from './lib/main';
import { FLOOD_DEFAULTS, runFlood } from './http/run-flood';

runMain('bench:flood', async () => {
  await runFlood(benchTarget(), numericOptions(FLOOD_DEFAULTS));
});
