import { buildEvent, postContentSchema, seal, userProfileSchema, type NewUserCreated, type PostCreated, type UserUpdated } from '@herald/events';
import type { PostView } from '../feed/posts';

/** A user as the producer's tables hold it, in the events' terms. */
export interface UserState {
  userId: string;
  username: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * The events that carry personal data, built one way for the write paths and for republishing:
 * the personal fields sealed under the user's key (@herald/events sealed.ts). A user at revision 1
 * is a sign-up (new-user-created); any later revision a user-updated with the whole profile.
 */
export function userEvent(user: UserState, key: Uint8Array): NewUserCreated | UserUpdated {
  const { userId, username, email, firstName, lastName, revision, createdAt, updatedAt } = user;
  const profile = seal(userProfileSchema, { username, email, firstName, lastName }, { userId, key });
  return revision === 1 ? buildEvent('new-user-created', { userId, profile, createdAt }) : buildEvent('user-updated', { userId, revision, profile, createdAt, updatedAt });
}

export function postCreatedEvent(post: PostView, key: Uint8Array): PostCreated {
  const { id: postId, authorId, title, body, createdAt } = post;
  const content = seal(postContentSchema, { title, body }, { userId: authorId, key });
  return buildEvent('post-created', { postId, authorId, content, createdAt });
}
