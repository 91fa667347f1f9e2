import type { QueryResolvers } from '../generated/resolvers-types';
import { badInput } from '../../../http/to-graphql-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function userId(id: string, name = 'id'): string {
  if (!UUID.test(id)) throw badInput(`${name} must be a UUID`);
  return id;
}

/** `user(id)`: one user of the read model, or null. */
export const user: QueryResolvers['user'] = async (_, args, { users }) => (await users.findById(userId(args.id))) ?? null;
