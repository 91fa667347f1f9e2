import type { MutationResolvers } from '../generated/resolvers-types';
import { guarded } from '../../../http/to-graphql-error';
import { asViewer } from './as-viewer';
import { userId } from './query-user';

// The feed's writes go to the producer's REST API with the viewer's own access token (as-viewer.ts).

/** `createPost(input)`. */
export const createPost: MutationResolvers['createPost'] = (_, { input }, context) =>
  guarded(async () => context.producerHttp.createPost(input, await asViewer(context)));

/** `follow(followeeId)`. */
export const follow: MutationResolvers['follow'] = (_, args, context) => {
  const followeeId = userId(args.followeeId, 'followeeId');
  return guarded(async () => context.producerHttp.follow(followeeId, await asViewer(context)));
};

/** `unfollow(followeeId)`: true once the producer has it (whether or not there was a follow). */
export const unfollow: MutationResolvers['unfollow'] = (_, args, context) => {
  const followeeId = userId(args.followeeId, 'followeeId');
  return guarded(async () => {
    await context.producerHttp.unfollow(followeeId, await asViewer(context));
    return true;
  });
};

/** `deletePost(id)`: true once the producer has deleted the viewer's own post (403 for another's). */
export const deletePost: MutationResolvers['deletePost'] = (_, args, context) => {
  const postId = userId(args.id, 'id');
  return guarded(async () => {
    await context.producerHttp.deletePost(postId, await asViewer(context));
    return true;
  });
};
