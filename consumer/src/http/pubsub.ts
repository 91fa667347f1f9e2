import type { PubSub } from 'graphql-yoga';
import type { FlowTick } from '../ops/console/flow-meter';
import type { TokenView } from '../read-models/tokens-read-model';
import type { UserView } from '../read-models/users-read-model';

/**
 * The process's subscriptions' channels: the live feed publishes users, tokens (for both
 * endpoints: the public one filters tokens to the viewer's own) and ended sessions, the console's
 * flow meter its ticks.
 */
export type HeraldPubSub = PubSub<{ userCreated: [UserView]; tokenIssued: [TokenView]; sessionEnded: [EndedSessions]; consoleFlow: [FlowTick] }>;

/** Sessions of a user that ended (session-ended): the viewer's subscriptions of those sessions end. */
export interface EndedSessions {
  userId: string;
  sessionIds: string[];
}
