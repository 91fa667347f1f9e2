// `npm run kafka -- <tool> [args]`: the real Apache Kafka command-line tools against the local
// broker (or KAFKA_BROKERS), e.g. `npm run kafka -- consumer-groups --all-groups --describe`.
import { spawn } from 'node:child_process';
import { ConfigError } from '@herald/core';
import { join } from 'node:path';
import { loadDevConfig } from '../lib/dev-config';
import { InfraError } from '../lib/infra-error';
import { TOOLS_LOG4J } from './kafka-broker';
import { ensureKafkaJars } from './kafka-install';

const TOOLS: Record<string, string> = {
  topics: 'org.apache.kafka.tools.TopicCommand',
  'consumer-groups': 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
  'console-consumer': 'org.apache.kafka.tools.consumer.ConsoleConsumer',
  'console-producer': 'org.apache.kafka.tools.ConsoleProducer',
  'get-offsets': 'org.apache.kafka.tools.GetOffsetShell',
  configs: 'kafka.admin.ConfigCommand',
  'metadata-quorum': 'org.apache.kafka.tools.MetadataQuorumCommand',
  'log-dirs': 'org.apache.kafka.tools.LogDirsCommand',
};

function usage(): never {
  console.error(
    `usage: npm run kafka -- <tool> [args]\n\ntools: ${Object.keys(TOOLS).join(', ')}\n\n` +
      'examples:\n  npm run kafka -- topics --describe\n  npm run kafka -- consumer-groups --all-groups --describe\n' +
      '  npm run kafka -- console-consumer --topic new-user-created --from-beginning --formatter-property print.key=true --timeout-ms 5000\n\n' +
      '--bootstrap-server defaults to KAFKA_BROKERS, else 127.0.0.1:KAFKA_PORT (9092).',
  );
  process.exit(2);
}

try {
  const [tool, ...args] = process.argv.slice(2);
  const mainClass = tool ? TOOLS[tool] : undefined;
  if (!mainClass) usage();
  const config = loadDevConfig();
  const bootstrap = config.KAFKA_BROKERS ?? `127.0.0.1:${config.KAFKA_PORT}`;
  const withServer = args.includes('--bootstrap-server') ? args : ['--bootstrap-server', bootstrap, ...args];
  const libs = ensureKafkaJars((line) => console.error(line));
  const child = spawn('java', [`-Dlog4j2.configurationFile=${TOOLS_LOG4J}`, '-cp', join(libs, '*'), mainClass, ...withServer], {
    stdio: 'inherit',
  });
  child.on('exit', (code) => process.exit(code ?? 1));
} catch (error) {
  // Errors the user can act on are said in a line; only a bug prints a stack.
  console.error(error instanceof InfraError || error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
