// `npm run chaos`: the failure suite (docs/reliability.md, "The failure suite"). A system of its
// own (three Kafka nodes, PostgreSQL, the producer, two consumer tasks), a stream of writes with
// one fault in the middle per scenario, and the invariants checked after each. Exits 1 when one
// does not hold or the deadline cut the run short.
import { parseArgs } from 'node:util';
import { buildServicesIfStale } from '@herald/local-infra';
import { runChaosCli } from '../chaos/chaos-cli';

const { values } = parseArgs({
  options: {
    scenarios: { type: 'string' },
    events: { type: 'string' },
    rate: { type: 'string' },
    concurrency: { type: 'string' },
    users: { type: 'string' },
    'deadline-minutes': { type: 'string' },
  },
  allowPositionals: false,
});

buildServicesIfStale((line) => console.log(line))
  .then(() => runChaosCli(values))
  .then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
