// `npm run dlq -- list` and `npm run dlq -- replay <partition>:<offset> ...`: the dead-letter queue
// for operators, against KAFKA_BROKERS (the local broker by default), with the same Kafka settings
// (TLS, SASL, KAFKA_TOPIC_PREFIX) as the services. docs/operations.md, "Replay the dead-letter queue".
import { ConfigError, createLogger, parseEnv, readEnv } from '@herald/core';
import { sourceTopics, topicNames } from '@herald/events';
import { checkKafkaEnv, createKafka, kafkaEnvShape, toKafkaConfig } from '@herald/kafka';
import { z } from 'zod';
import { createDeadLetterQueue, type DeadLetter } from '@herald/consumer/tools';

const USAGE = `usage:
  npm run dlq -- list                          every record in the dead-letter queue, one a line
  npm run dlq -- replay <partition>:<offset>...  send those records back to the topic they came from
  npm run dlq -- replay --all                  all of them (fix the cause first)`;

const line = (letter: DeadLetter) =>
  [
    `${letter.at.partition}:${letter.at.offset}`,
    letter.origin ? `from ${letter.origin.topic}/${letter.origin.partition}/${letter.origin.offset}` : 'from ?',
    `attempt ${letter.attempt ?? '?'}`,
    letter.failedAt ?? '',
    letter.valueDropped ? 'value left out (replay reads the original)' : `${letter.valueBytes} bytes`,
    `${letter.errorType ?? 'Error'}: ${letter.error ?? ''}`,
  ].join('  ');

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  if (command !== 'list' && command !== 'replay') {
    console.error(USAGE);
    return 2;
  }
  const env = parseEnv(z.object(kafkaEnvShape).superRefine(checkKafkaEnv), readEnv());
  const config = toKafkaConfig(env, 'herald-dlq-tool');
  const topics = topicNames(config.topicPrefix);
  const kafka = createKafka({ config, logger: createLogger({ name: 'dlq', level: 'error' }) });
  const queue = createDeadLetterQueue({ kafka, topics: { deadLetter: topics.deadLetter, sources: sourceTopics(topics) } });

  if (command === 'list') {
    const letters = await queue.list();
    for (const letter of letters) console.log(line(letter));
    console.log(`${letters.length} record(s) in ${topics.deadLetter}`);
    return 0;
  }
  const selection = args.includes('--all') ? (await queue.list()).map((letter) => letter.at) : args.map((arg) => /^(\d+):(\d+)$/.exec(arg));
  if (selection.length === 0 || selection.some((at) => at === null)) {
    console.error(`replay takes <partition>:<offset> values (from \`npm run dlq -- list\`) or --all\n\n${USAGE}`);
    return 2;
  }
  const chosen = selection.map((at) => (Array.isArray(at) ? { partition: Number(at[1]), offset: at[2]! } : at!));
  const { replayed, skipped } = await queue.replay(chosen);
  for (const done of replayed) console.log(`replayed ${done.partition}:${done.offset} to ${done.to}`);
  for (const skip of skipped) console.log(`skipped ${skip.partition}:${skip.offset}: ${skip.reason}`);
  console.log(`${replayed.length} replayed, ${skipped.length} skipped`);
  return skipped.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
