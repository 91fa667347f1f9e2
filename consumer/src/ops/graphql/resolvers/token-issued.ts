import type { TokenView } from '../../../read-models/tokens-read-model';
import type { SubscriptionResolvers } from '../generated/resolvers-types';

/**
 * `tokenIssued` for operators: every user's logins and refreshes, for monitoring the flow (the
 * same events are on the `issued-token` topic they can read anyway). The public `tokenIssued`
 * carries the viewer's own only. Pushed by the live feed as it reads them (read-api/live-feed.ts).
 */
export const tokenIssued: SubscriptionResolvers['tokenIssued'] = {
  subscribe: (_, __, { pubsub }) => pubsub.subscribe('tokenIssued'),
  resolve: (token: TokenView) => token,
};
