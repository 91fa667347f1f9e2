// `npm run kafka -- <tool> [args]`: the real Apache Kafka command-line tools against the local
// broker or cluster (or KAFKA_BROKERS), e.g. `npm run kafka -- consumer-groups --all-groups --describe`.
import { ConfigError } from '@herald/core';
import { InfraError, KAFKA_TOOLS, loadDevConfig, localKafkaBrokers, spawnKafkaTool } from '@herald/local-infra';

function usage(): never {
  console.error(
    `usage: npm run kafka -- <tool> [args]\n\ntools: ${Object.keys(KAFKA_TOOLS).join(', ')}\n\n` +
      'examples:\n  npm run kafka -- topics --describe\n  npm run kafka -- consumer-groups --all-groups --describe\n' +
      '  npm run kafka -- metadata-quorum describe --status\n' +
      '  npm run kafka -- console-consumer --topic new-user-created --from-beginning --formatter-property print.key=true --timeout-ms 5000\n\n' +
      '--bootstrap-server defaults to KAFKA_BROKERS, else every node of the running `npm start` (or\n' +
      '`npm run infra`), so any node that is up answers, else 127.0.0.1:KAFKA_PORT (9092).',
  );
  process.exit(2);
}

try {
  const [tool, ...args] = process.argv.slice(2);
  if (!tool || !KAFKA_TOOLS[tool]) usage();
  const config = loadDevConfig();
  const bootstrap = localKafkaBrokers(config);
  const withServer = args.includes('--bootstrap-server') || args.includes('--bootstrap-controller') ? args : ['--bootstrap-server', bootstrap, ...args];
  const child = spawnKafkaTool(tool, withServer, (line) => console.error(line));
  child.on('exit', (code) => process.exit(code ?? 1));
} catch (error) {
  // Errors the user can act on are said in a line; only a bug prints a stack.
  console.error(error instanceof InfraError || error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
