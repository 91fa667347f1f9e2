import type { ProducerSchemas } from '../../../producer/producer-http-client';
import { guarded } from '../../../http/to-graphql-error';
import type { GraphQLContext } from '../context';
import { asViewer } from './as-viewer';
import { OWN_USER, type ResolvedUser } from './user-email';

/**
 * `updateProfile(input)`: the producer changes the viewer's profile and publishes user-updated;
 * the answer is the producer's (the read model follows once the event is projected).
 */
export const updateProfile = (_: unknown, { input }: { input: ProducerSchemas['ProfileChange'] }, context: GraphQLContext): Promise<ResolvedUser> =>
  guarded(async () => ({ ...(await context.producerHttp.updateProfile(input, await asViewer(context))), [OWN_USER]: true as const }));

/** `deleteAccount(currentPassword)`: the producer deletes the viewer's account; every read model follows once user-deleted is projected. */
export const deleteAccount = (_: unknown, { currentPassword }: { currentPassword: string }, context: GraphQLContext) =>
  guarded(async () => {
    await context.producerHttp.deleteAccount({ currentPassword }, await asViewer(context));
    return true;
  });
