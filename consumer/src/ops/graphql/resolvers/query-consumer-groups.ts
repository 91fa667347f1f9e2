import type { OpsContext } from '../ops-context';

/** `consumerGroups`: committed offset, end offset and lag per partition, for each group. */
export function consumerGroups(_: unknown, __: unknown, context: OpsContext) {
  return context.groupStatus();
}
