import type { GraphQLContext } from '../context';
import { requireOperator } from '../require-operator';

/** `consumerGroups` (operators): committed offset, end offset and lag per partition, for each group. */
export function consumerGroups(_: unknown, __: unknown, context: GraphQLContext) {
  requireOperator(context);
  return context.groupStatus();
}
