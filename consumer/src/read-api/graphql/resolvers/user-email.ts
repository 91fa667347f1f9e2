import type { UserView } from '../../../read-models/users-read-model';
import type { GraphQLContext } from '../context';
import { guarded } from '../../../http/to-graphql-error';

/** Marks a user the caller has just given (signUp's answer): its e-mail is the caller's own input. */
export const OWN_USER = Symbol('the caller is this user');

/** A user as resolvers hand it on; marked when the caller is that user. */
export type ResolvedUser = UserView & { [OWN_USER]?: true };

/** `User.email`: personal, so null unless the viewer is that user. */
export async function userEmail(parent: ResolvedUser, _: unknown, { viewer }: GraphQLContext): Promise<string | null> {
  if (parent[OWN_USER]) return parent.email;
  return (await guarded(() => viewer.id())) === parent.id ? parent.email : null;
}
