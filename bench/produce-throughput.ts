// Producer throughput against the running system (`npm start`): bare kafkajs, then the outbox relay.
//   npm run bench:produce -- [--seconds=2] [--outboxRows=20000] [--relayBatch=500] [--matrix=1]
import { benchTarget } from './lib/bench-env';
import { numericOptions } from './lib/cli-options';
import { runMain } from './lib/main';
import { PRODUCE_DEFAULTS, runProduce } from './produce/run-produce';

runMain('bench:produce', async () => {
  await runProduce(benchTarget(), numericOptions(PRODUCE_DEFAULTS));
});
