import type { OpsContext } from '../ops-context';

/**
 * `producerStatus`: whether the producer answers at the URL service discovery gave, and how
 * fast. Asked once per request whatever the aliases, and shared across requests briefly.
 */
export function producerStatus(_: unknown, __: unknown, context: OpsContext) {
  return context.producerStatusOnce();
}
