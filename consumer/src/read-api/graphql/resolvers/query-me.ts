import { NotFoundError } from '@herald/core';
import type { QueryResolvers } from '../generated/resolvers-types';
import { guarded } from '../../../http/to-graphql-error';

/** `me`: the user of the bearer token, verified with the producer's public keys. */
export const me: QueryResolvers['me'] = (_, __, { viewer, users }) =>
  guarded(async () => {
    const user = await users.findById(await viewer.requireId());
    // A token can arrive before its user's event has been projected (they travel separately).
    if (!user) throw new NotFoundError('The user of this token is not in the read model yet; try again shortly');
    return user;
  });
