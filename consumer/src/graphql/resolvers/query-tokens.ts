import type { UserView } from '../../read-models/users-read-model';
import type { GraphQLContext } from '../context';
import { userId } from './query-user';
import { pageSize } from './query-users';

/** `tokens(userId, first)`: the tokens issued to a user, newest first. */
export async function tokens(_: unknown, args: { userId: string; first?: number | null }, context: GraphQLContext) {
  return context.tokens.ofUser(userId(args.userId, 'userId'), pageSize(args.first));
}

/** `User.tokens(first)`. */
export async function userTokens(parent: UserView, args: { first?: number | null }, context: GraphQLContext) {
  return context.tokens.ofUser(parent.id, pageSize(args.first));
}
