import type { GraphQLContext } from '../context';
import { requireOperator } from '../require-operator';

/**
 * `producerStatus` (operators): whether the producer answers at the URL service discovery gave,
 * and how fast. Asked once per request whatever the aliases, and shared across requests briefly.
 */
export function producerStatus(_: unknown, __: unknown, context: GraphQLContext) {
  requireOperator(context);
  return context.producerStatusOnce();
}
