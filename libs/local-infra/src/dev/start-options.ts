import { parseArgs } from 'node:util';
import { InfraError } from '../infra-error';

export interface StartOptions {
  /** How many Kafka nodes to start when none is given (`--brokers 1|3`; KAFKA_NODES without it). */
  kafkaNodes: number;
  /** `--traces`: a local Zipkin too, with the services sending it their spans. */
  traces: boolean;
}

const USAGE = 'The options are --brokers 1 or --brokers 3, and --traces; for example: npm start -- --brokers 3 --traces';

/**
 * The options of `npm start` (after `--`); `npm run infra` takes `--brokers` alone (`traces: false`
 * refuses `--traces`). Refusals say what to type and never repeat what was typed.
 */
export function startOptions(argv: string[], fallbackNodes: number, { traces: tracesAllowed = true }: { traces?: boolean } = {}): StartOptions {
  const refusal = tracesAllowed ? USAGE : 'The only option is --brokers 1 or --brokers 3, for example: npm run infra -- --brokers 3';
  let values: { brokers?: string; traces?: boolean };
  try {
    values = parseArgs({ args: argv, options: { brokers: { type: 'string' }, traces: { type: 'boolean' } }, allowPositionals: false }).values;
  } catch {
    throw new InfraError(refusal);
  }
  if (values.traces && !tracesAllowed) throw new InfraError(refusal);
  const { brokers, traces = false } = values;
  if (brokers !== undefined && brokers !== '1' && brokers !== '3') throw new InfraError('--brokers must be 1 or 3, for example: npm start -- --brokers 3');
  return { kafkaNodes: brokers === undefined ? fallbackNodes : Number(brokers), traces };
}
