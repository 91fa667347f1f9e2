import { buildEvent, MAX_SESSIONS_PER_EVENT, type SessionEnded } from '@herald/events';

// The one place each auth event's payload is built: the live write paths (token-issuer.ts,
// sessions.ts) and the rebuild (republish-tokens.ts, republish-ended-sessions.ts) call these, so a
// republished event is the event the write would publish now.

/** An access token as the producer records it beside its refresh token (never the token itself). */
export interface AccessTokenRecord {
  jti: string;
  userId: string;
  reason: 'login' | 'refresh';
  issuedAt: Date;
  expiresAt: Date;
}

export const issuedTokenEvent = ({ jti, userId, reason, issuedAt, expiresAt }: AccessTokenRecord) =>
  buildEvent('issued-token', { jti, userId, reason, issuedAt: issuedAt.toISOString(), expiresAt: expiresAt.toISOString() });

/** Sessions of one user that ended together, for one reason. */
export interface SessionEnding {
  userId: string;
  sessionIds: string[];
  reason: SessionEnded['payload']['reason'];
  endedAt: Date;
}

/** session-ended events for the sessions, as many as the per-event limit makes them. */
export function sessionEndedEvents({ userId, sessionIds, reason, endedAt }: SessionEnding): SessionEnded[] {
  const events: SessionEnded[] = [];
  for (let start = 0; start < sessionIds.length; start += MAX_SESSIONS_PER_EVENT) {
    events.push(buildEvent('session-ended', { userId, sessionIds: sessionIds.slice(start, start + MAX_SESSIONS_PER_EVENT), reason, endedAt: endedAt.toISOString() }));
  }
  return events;
}
