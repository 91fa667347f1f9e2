import type { ProducerSchemas } from '../../../producer/producer-http-client';
import { guarded } from '../../../http/to-graphql-error';
import type { MutationResolvers } from '../generated/resolvers-types';
import { asViewer } from './as-viewer';
import { OWN_USER } from './user-email';

/**
 * `updateProfile(input)`: the producer changes the viewer's profile and publishes user-updated;
 * the answer is the producer's (the read model follows once the event is projected). A null the
 * GraphQL input allows where the producer takes only a value (username, email, currentPassword)
 * goes on as it came, for the producer to refuse with its own message.
 */
export const updateProfile: MutationResolvers['updateProfile'] = (_, { input }, context) =>
  guarded(async () => ({ ...(await context.producerHttp.updateProfile(input as ProducerSchemas['ProfileChange'], await asViewer(context))), [OWN_USER]: true as const }));

/** `deleteAccount(currentPassword)`: the producer deletes the viewer's account; every read model follows once user-deleted is projected. */
export const deleteAccount: MutationResolvers['deleteAccount'] = (_, { currentPassword }, context) =>
  guarded(async () => {
    await context.producerHttp.deleteAccount({ currentPassword }, await asViewer(context));
    return true;
  });
