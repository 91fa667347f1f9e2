import type { OpsContext } from '../ops-context';

/**
 * `tokenIssued` for operators: every user's logins and refreshes, for monitoring the flow (the
 * same events are on the `issued-token` topic they can read anyway). The public `tokenIssued`
 * carries the viewer's own only. Pushed by the live feed as it reads them (read-api/live-feed.ts).
 */
export const tokenIssued = {
  subscribe: (_: unknown, __: unknown, { pubsub }: OpsContext) => pubsub.subscribe('tokenIssued'),
  resolve: (token: unknown) => token,
};
