import { GraphQLError } from 'graphql';
import type { GraphQLContext } from '../context';
import type { QueryResolvers, UserResolvers } from '../generated/resolvers-types';
import { guarded } from '../../../http/to-graphql-error';
import { userId } from './query-user';
import { pageSize } from './query-users';

/** Issued tokens are personal: only their owner, signed in, reads them. */
async function requireOwner(ownerId: string, { viewer }: GraphQLContext): Promise<void> {
  const viewerId = await guarded(() => viewer.requireId());
  if (viewerId !== ownerId) throw new GraphQLError('Only the user they were issued to can read these tokens', { extensions: { code: 'FORBIDDEN' } });
}

/** `tokens(userId, first)`: the tokens issued to the viewer, newest first. */
export const tokens: QueryResolvers['tokens'] = async (_, args, context) => {
  const owner = userId(args.userId, 'userId');
  const first = pageSize(args.first);
  await requireOwner(owner, context);
  return context.tokens.ofUser(owner, first);
};

/** `User.tokens(first)`: the viewer's own only. */
export const userTokens: UserResolvers['tokens'] = async (parent, args, context) => {
  const first = pageSize(args.first);
  await requireOwner(parent.id, context);
  return context.tokens.ofUser(parent.id, first);
};
