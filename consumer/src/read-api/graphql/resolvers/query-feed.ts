import { decodeCursor, encodeCursor } from '../../../read-models/users-read-model';
import type { QueryResolvers } from '../generated/resolvers-types';
import { badInput, guarded } from '../../../http/to-graphql-error';
import { pageSize } from './query-users';

/**
 * `feed(first, after)`: the viewer's own feed, newest first, with cursors over (createdAt,
 * postId). There is no argument naming whose feed: it is always the token's user's.
 */
export const feed: QueryResolvers['feed'] = async (_, args, context) => {
  const first = pageSize(args.first);
  const after = args.after ? decodeCursor(args.after) : undefined;
  if (args.after && !after) throw badInput('after is not a cursor returned by this API');
  const viewerId = await guarded(() => context.viewer.requireId());
  const { posts, hasNextPage } = await context.feed.page(viewerId, { first, after });
  const edges = posts.map((node) => ({ cursor: encodeCursor(node), node }));
  return { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
};
