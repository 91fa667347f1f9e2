import type { MutationResolvers } from '../generated/resolvers-types';
import { guarded } from '../../../http/to-graphql-error';
import { asViewer } from './as-viewer';

// Sessions end at the producer, which owns them, with the viewer's own access token; the
// producer publishes session-ended, from which this service refuses the ended sessions' tokens.

/** `logout`: ends the session of the access token; answers how many sessions ended (1, or 0 if it had). */
export const logout: MutationResolvers['logout'] = (_, __, context) => guarded(async () => (await context.producerHttp.logout(await asViewer(context))).endedSessions);

/** `logoutEverywhere`: ends every session of the viewer, this one included. */
export const logoutEverywhere: MutationResolvers['logoutEverywhere'] = (_, __, context) =>
  guarded(async () => (await context.producerHttp.logoutEverywhere(await asViewer(context))).endedSessions);

/** `changePassword(currentPassword, newPassword)`: every other session of the viewer ends. */
export const changePassword: MutationResolvers['changePassword'] = (_, args, context) =>
  guarded(async () => (await context.producerHttp.changePassword({ currentPassword: args.currentPassword, newPassword: args.newPassword }, await asViewer(context))).endedSessions);
