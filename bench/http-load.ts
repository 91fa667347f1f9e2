// HTTP load per endpoint, each next to its ceiling, against the running system (`npm start`):
//   npm run bench:http -- [--seconds=5] [--concurrency=4]
import { benchTarget } from './lib/bench-env';
import { numericOptions } from './lib/cli-options';
import { runMain } from './lib/main';
import { HTTP_DEFAULTS, runHttp } from './http/run-http';

runMain('bench:http', async () => {
  await runHttp(benchTarget(), numericOptions(HTTP_DEFAULTS));
});
