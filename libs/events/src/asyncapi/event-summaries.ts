import type { EventType } from '../schemas';

/**
 * One line per event type for the AsyncAPI contract, where the schemas' doc comments cannot reach.
 * Typed by EventType, so a new event does not compile until it is described here.
 */
export const EVENT_SUMMARIES: Record<EventType, string> = {
  'new-user-created': 'A user signed up; the profile travels sealed under the user\'s key.',
  'user-updated': 'A user\'s whole profile after a change, at the user\'s revision (the highest wins).',
  'user-deleted': 'A user deleted their account; the id stays as a tombstone that nothing older undoes.',
  'issued-token': 'An access token was issued (login or refresh): its id, never the token.',
  'post-created': 'A user wrote a post; title and body travel sealed under the author\'s key.',
  'post-deleted': 'An author deleted a post; a tombstone, so a post projected later is never shown.',
  'user-followed': 'A user followed another; the pair\'s revision orders it against an unfollow.',
  'user-unfollowed': 'A user unfollowed another; the pair\'s revision orders it against a follow.',
  'session-ended': 'Sessions of one user ended; from then on their access tokens are refused.',
};
