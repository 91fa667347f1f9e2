import type { QueryResolvers } from '../generated/resolvers-types';

/** `consumerGroups`: committed offset, end offset and lag per partition, for each group. */
export const consumerGroups: QueryResolvers['consumerGroups'] = (_, __, context) => context.groupStatus();
