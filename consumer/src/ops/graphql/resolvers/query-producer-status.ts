import type { QueryResolvers } from '../generated/resolvers-types';

/**
 * `producerStatus`: whether the producer answers at the URL service discovery gave, and how
 * fast. Asked once per request whatever the aliases, and shared across requests briefly.
 */
export const producerStatus: QueryResolvers['producerStatus'] = (_, __, context) => context.producerStatusOnce();
