import type { GraphQLContext } from '../context';
import { badInput } from '../../../http/to-graphql-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function userId(id: string, name = 'id'): string {
  if (!UUID.test(id)) throw badInput(`${name} must be a UUID`);
  return id;
}

/** `user(id)`: one user of the read model, or null. */
export async function user(_: unknown, args: { id: string }, { users }: GraphQLContext) {
  return (await users.findById(userId(args.id))) ?? null;
}
