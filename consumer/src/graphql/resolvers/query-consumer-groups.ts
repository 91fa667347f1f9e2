import type { GraphQLContext } from '../context';

/** `consumerGroups`: committed offset, end offset and lag per partition, for each group. */
export const consumerGroups = (_: unknown, __: unknown, { groupStatus }: GraphQLContext) => groupStatus();
