import type { UserView } from '../../../read-models/users-read-model';
import type { UserResolvers } from '../generated/resolvers-types';
import { guarded } from '../../../http/to-graphql-error';

/** Marks a user the caller has just given (signUp's answer): its e-mail is the caller's own input. */
export const OWN_USER = Symbol('the caller is this user');

/** A user as resolvers hand it on (the User type's mapper); marked when the caller is that user. */
export type ResolvedUser = UserView & { [OWN_USER]?: true };

/** `User.email`: personal, so null unless the viewer is that user. */
export const userEmail: UserResolvers['email'] = async (parent, _, { viewer }) => {
  if (parent[OWN_USER]) return parent.email;
  return (await guarded(() => viewer.id())) === parent.id ? parent.email : null;
};
