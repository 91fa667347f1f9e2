import { GraphQLError } from 'graphql';
import type { UserView } from '../../../read-models/users-read-model';
import type { GraphQLContext } from '../context';
import { guarded } from '../../../http/to-graphql-error';
import { userId } from './query-user';
import { pageSize } from './query-users';

/** Issued tokens are personal: only their owner, signed in, reads them. */
async function requireOwner(ownerId: string, { viewer }: GraphQLContext): Promise<void> {
  const viewerId = await guarded(() => viewer.requireId());
  if (viewerId !== ownerId) throw new GraphQLError('Only the user they were issued to can read these tokens', { extensions: { code: 'FORBIDDEN' } });
}

/** `tokens(userId, first)`: the tokens issued to the viewer, newest first. */
export async function tokens(_: unknown, args: { userId: string; first?: number | null }, context: GraphQLContext) {
  const owner = userId(args.userId, 'userId');
  const first = pageSize(args.first);
  await requireOwner(owner, context);
  return context.tokens.ofUser(owner, first);
}

/** `User.tokens(first)`: the viewer's own only. */
export async function userTokens(parent: UserView, args: { first?: number | null }, context: GraphQLContext) {
  const first = pageSize(args.first);
  await requireOwner(parent.id, context);
  return context.tokens.ofUser(parent.id, first);
}
