import { decodeCursor, encodeCursor } from '../../../read-models/users-read-model';
import type { QueryResolvers } from '../generated/resolvers-types';
import { badInput } from '../../../http/to-graphql-error';

export const MAX_PAGE = 100;

/** A page size, 20 when null: the generated types say a defaulted argument is set, but a client may send `first: null`. */
export function pageSize(first: number | null | undefined, name = 'first'): number {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) throw badInput(`${name} must be between 1 and ${MAX_PAGE}`);
  return size;
}

/** `users(first, after)`: a page of users, oldest first, with Relay-style cursors. */
export const users: QueryResolvers['users'] = async (_, args, { users: readModel }) => {
  const first = pageSize(args.first);
  const after = args.after ? decodeCursor(args.after) : undefined;
  if (args.after && !after) throw badInput('after is not a cursor returned by this API');
  const [{ users: page, hasNextPage }, totalCount] = await Promise.all([readModel.page({ first, after }), readModel.count()]);
  const edges = page.map((node) => ({ cursor: encodeCursor(node), node }));
  return { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }, totalCount };
};
