import type { FeedChange } from '../../feed-listener';
import { filter, map, pipe } from 'graphql-yoga';
import type { TokenView } from '../../../read-models/tokens-read-model';
import type { UserView } from '../../../read-models/users-read-model';
import type { PostView } from '../../../read-models/posts-read-model';
import type { SubscriptionResolvers } from '../generated/resolvers-types';
import { guarded } from '../../../http/to-graphql-error';
import { whileSessionLasts } from './while-session-lasts';

// Pushed by the live feed (read-api/live-feed.ts) as it reads each event from Kafka, which may be
// before the projection consumers have written it: a subscriber can hear of a user or a token a
// moment before a query finds it in the read model.

/** `userCreated`: anyone; the User type resolves public fields only (e-mail is the owner's). */
export const userCreated: SubscriptionResolvers['userCreated'] = {
  subscribe: (_, __, { pubsub }) => pubsub.subscribe('userCreated'),
  resolve: (user: UserView) => user,
};

/**
 * `tokenIssued`: the viewer's own logins and refreshes, so a bearer token is required (an HTTP
 * header over SSE, connectionParams over graphql-ws). Nobody hears another user's here; operators
 * hear every one on their own endpoint (ops/resolvers/token-issued.ts).
 */
export const tokenIssued: SubscriptionResolvers['tokenIssued'] = {
  subscribe: (_, __, context) =>
    guarded(() => whileSessionLasts(context, (viewerId) => pipe(context.pubsub.subscribe('tokenIssued'), filter((token: TokenView) => token.userId === viewerId)))),
  resolve: (token: TokenView) => token,
};

/**
 * `feedItemAdded`: posts as they land in the viewer's own feed (bearer token required; nobody,
 * operators included, hears another user's feed). Pushed after the fan-out commits, on every
 * task (read-api/feed-listener.ts), so a `feed` query made on hearing it finds the post.
 */
export const feedItemAdded: SubscriptionResolvers['feedItemAdded'] = {
  subscribe: (_, __, context) => guarded(() => whileSessionLasts(context, (viewerId) => only('added', context.feedListener.subscribe(viewerId)))),
  resolve: (post: PostView) => post,
};

/** `feedItemRemoved`: the ids of posts their authors deleted, from the viewer's own feed (the same rules). */
export const feedItemRemoved: SubscriptionResolvers['feedItemRemoved'] = {
  subscribe: (_, __, context) => guarded(() => whileSessionLasts(context, (viewerId) => only('removed', context.feedListener.subscribe(viewerId)))),
  resolve: (postId: string) => postId,
};

/** One kind of a feed's changes, for as long as the subscriber stays (a Repeater, so ending it ends the LISTEN's). */
const only = <K extends 'added' | 'removed'>(kind: K, changes: AsyncIterable<FeedChange>) =>
  pipe(
    changes,
    filter((change: FeedChange) => change[kind] !== undefined),
    map((change: FeedChange) => change[kind] as NonNullable<FeedChange[K]>),
  );
