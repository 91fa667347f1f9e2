// Every bench, one after the other, against the running system (`npm start`): `npm run bench`.
// Each keeps its defaults; run one alone (bench:e2e, bench:http, bench:produce, bench:feed) to change them.
import { benchTarget } from './lib/bench-env';
import { runMain } from './lib/main';
import { verdictTable } from './lib/summary-table';
import { E2E_DEFAULTS, runE2e } from './e2e/run-e2e';
import { HTTP_DEFAULTS, runHttp } from './http/run-http';
import { FEED_DEFAULTS, runFeed } from './feed/run-feed';
import { PRODUCE_DEFAULTS, runProduce } from './produce/run-produce';

runMain('bench', async () => {
  const target = benchTarget();
  console.log(`Herald benchmarks against producer ${target.producerUrl}, consumer ${target.consumerUrl}, Kafka ${target.kafkaBrokers.join(',')}`);
  const e2e = await runE2e(target, E2E_DEFAULTS);
  const http = await runHttp(target, HTTP_DEFAULTS);
  const produce = await runProduce(target, PRODUCE_DEFAULTS);
  const feed = await runFeed(target, FEED_DEFAULTS);
  console.log('\nAll targets, this run:');
  console.log(verdictTable([...e2e.verdicts, ...http.verdicts, ...produce.verdicts, ...feed.verdicts]));
});
