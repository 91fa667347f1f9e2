import { buildEvent } from '@herald/events';
import type { PublicUser, UpdatedUser } from './user-repository';

// The one place each user event's payload is built: the live write paths (sign-up.ts,
// update-profile.ts) and the rebuild (republish-users.ts) call these, so a republished event is
// the event the write would publish now, whatever that payload becomes.

/** new-user-created: a sign-up, revision 1 of the profile. */
export const newUserCreatedEvent = (user: PublicUser) =>
  buildEvent('new-user-created', { userId: user.id, username: user.username, email: user.email, firstName: user.firstName, lastName: user.lastName, createdAt: user.createdAt });

/** user-updated: the whole profile at its revision. */
export const userUpdatedEvent = (user: UpdatedUser) =>
  buildEvent('user-updated', {
    userId: user.id,
    revision: user.revision,
    username: user.username,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  });
