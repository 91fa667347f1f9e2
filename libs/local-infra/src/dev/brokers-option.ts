import { parseArgs } from 'node:util';
import { InfraError } from '../infra-error';

/**
 * `--brokers 1|3` on the command line of `npm start` / `npm run infra` (after `--`): how many
 * Kafka nodes to start when none is given; `fallback` (KAFKA_NODES) without the option.
 */
export function brokersOption(argv: string[], fallback: number): number {
  let brokers: string | undefined;
  try {
    brokers = parseArgs({ args: argv, options: { brokers: { type: 'string' } }, allowPositionals: false }).values.brokers;
  } catch {
    throw new InfraError('The only option is --brokers 1 or --brokers 3, for example: npm start -- --brokers 3');
  }
  if (brokers === undefined) return fallback;
  if (brokers !== '1' && brokers !== '3') throw new InfraError('--brokers must be 1 or 3, for example: npm start -- --brokers 3');
  return Number(brokers);
}
