import { buildEvent } from '@herald/events';

// The one place a follow change's payload is built: the live write path (follows.ts) and the
// rebuild (republish-follows.ts) call it, so a republished event is the event the write would
// publish now. Users' and posts' events, which carry sealed personal data, are built in
// personal-data/sealed-events.ts.

/** A pair's state at its revision: user-followed when it is followed, else user-unfollowed. */
export interface FollowChange {
  followerId: string;
  followeeId: string;
  active: boolean;
  revision: number;
  changedAt: Date;
}

export const followChangeEvent = ({ followerId, followeeId, active, revision, changedAt }: FollowChange) =>
  buildEvent(active ? 'user-followed' : 'user-unfollowed', { followerId, followeeId, revision, at: changedAt.toISOString() });
