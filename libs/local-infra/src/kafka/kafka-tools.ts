import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TOOLS_LOG4J } from './kafka-broker';
import { ensureKafkaJars } from './kafka-install';

/** Apache Kafka's command-line tools by the names of their shell scripts (kafka-<name>.sh). */
export const KAFKA_TOOLS: Record<string, string> = {
  topics: 'org.apache.kafka.tools.TopicCommand',
  'consumer-groups': 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
  'console-consumer': 'org.apache.kafka.tools.consumer.ConsoleConsumer',
  'console-producer': 'org.apache.kafka.tools.ConsoleProducer',
  'get-offsets': 'org.apache.kafka.tools.GetOffsetShell',
  configs: 'kafka.admin.ConfigCommand',
  'metadata-quorum': 'org.apache.kafka.tools.MetadataQuorumCommand',
  'log-dirs': 'org.apache.kafka.tools.LogDirsCommand',
};

const javaArgs = (tool: string, args: string[], log?: (line: string) => void) => {
  const mainClass = KAFKA_TOOLS[tool];
  if (!mainClass) throw new RangeError(`no Kafka tool "${tool}"; the tools are ${Object.keys(KAFKA_TOOLS).join(', ')}`);
  return [`-Dlog4j2.configurationFile=${TOOLS_LOG4J}`, '-cp', join(ensureKafkaJars(log), '*'), mainClass, ...args];
};

/** Runs a Kafka tool with the terminal as its input and output (`npm run kafka`). */
export const spawnKafkaTool = (tool: string, args: string[], log?: (line: string) => void) => spawn('java', javaArgs(tool, args, log), { stdio: 'inherit' });

/** Runs a Kafka tool to its end and returns what it printed (tests, runbooks). */
export const runKafkaTool = (tool: string, args: string[]) => spawnSync('java', javaArgs(tool, args), { encoding: 'utf8' });
