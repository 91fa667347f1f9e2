// The feed benches against the running system (`npm start`; raise POST_LIMIT_PER_USER for the post load):
//   npm run bench:feed -- [--users=50] [--follows=10] [--posts=100] [--concurrency=20] [--pollMs=10]
//     [--fanOutFollowers=10000] [--fanOutPosts=20] [--loadConnections=50] [--loadSeconds=30] [--floorConnections=300] [--floorSeconds=60]
import { benchTarget } from './lib/bench-env';
import { numericOptions } from './lib/cli-options';
import { runMain } from './lib/main';
import { FEED_DEFAULTS, runFeed } from './feed/run-feed';

runMain('bench:feed', async () => {
  await runFeed(benchTarget(), numericOptions(FEED_DEFAULTS));
});
