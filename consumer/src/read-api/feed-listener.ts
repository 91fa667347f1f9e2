import type { Logger } from '@herald/core';
import { createNotificationListener } from '@herald/db';
import { contextOf, defaultTracer, inInternalSpanUnder } from '@herald/telemetry';
import type { Tracer } from '@opentelemetry/api';
import { Repeater, SlidingBuffer } from 'graphql-yoga';
import type { ClientConfig } from 'pg';
import type { FeedReadModel } from '../read-models/feed-read-model';
import { FEED_CHANNEL, type FeedNotice, type PostView, type PostsReadModel } from '../read-models/posts-read-model';

/** A change of a viewer's feed: a post added, or the id of a post its author deleted. */
export type FeedChange = { added: PostView; removed?: undefined } | { removed: string; added?: undefined };

// Posts held for a subscriber that reads slower than they come; beyond it the oldest are dropped.
const BUFFERED_PER_SUBSCRIBER = 100;

export type FeedListener = ReturnType<typeof createFeedListener>;

/**
 * A PostgreSQL LISTEN that feeds `feedItemAdded` and `feedItemRemoved`. Unlike `userCreated` and `tokenIssued`, which the live feed pushes as it
 * reads Kafka, a feed item is pushed only once it is in the viewer's feed: the fan-out's
 * transaction sends a NOTIFY (post id, author, fanned out or not) that PostgreSQL delivers when it
 * commits, to every consumer task listening, whichever task projected the post. So a subscriber
 * behind the load balancer on another task hears it too, and a `feed` query made on hearing it
 * finds the post. Each task asks the read model which of its own subscribers have the post in
 * their feed (one query per post, and only when it has subscribers), and pushes to those alone.
 * A follow's backfill pushes nothing: those posts are older than the follow. While the listening
 * connection is being re-made, pushes are missed; the feed itself misses nothing. A push is a span
 * continuing the trace the NOTIFY names (the projection's), so a post's trace ends with it.
 */
export function createFeedListener({
  connection,
  feed,
  posts,
  logger,
  tracer = defaultTracer(),
}: {
  connection: ClientConfig;
  feed: FeedReadModel;
  posts: PostsReadModel;
  logger: Logger;
  tracer?: Tracer;
}) {
  const subscribers = new Map<string, Set<(change: FeedChange) => void>>();

  async function deliver(payload: string | undefined): Promise<void> {
    if (subscribers.size === 0 || !payload) return;
    try {
      const notice = JSON.parse(payload) as FeedNotice;
      // A removal goes to the author's followers among the subscribers (the feed entries are gone).
      const recipients = await feed.recipients(notice, [...subscribers.keys()]);
      if (recipients.length === 0) return;
      const subscription = notice.removed ? 'feedItemRemoved' : 'feedItemAdded';
      await inInternalSpanUnder(tracer, contextOf(notice.traceparent ?? undefined), `push ${subscription}`, { 'herald.subscription': subscription }, async () => {
        let change: FeedChange;
        if (notice.removed) change = { removed: notice.postId };
        else {
          const post = await posts.findById(notice.postId);
          if (!post) return;
          change = { added: post };
        }
        for (const viewerId of recipients) for (const push of subscribers.get(viewerId) ?? []) push(change);
      });
    } catch (error) {
      logger.warn({ err: error }, 'a feed push was dropped');
    }
  }

  const listener = createNotificationListener({ connection, channel: FEED_CHANNEL, onNotify: (payload) => void deliver(payload), logger });

  return {
    start: () => listener.start(),
    stop: () => listener.stop(),
    /** The posts added to this viewer's feed, and removed from it, from now on, until the subscriber leaves. */
    subscribe(viewerId: string): AsyncIterable<FeedChange> {
      return new Repeater<FeedChange>(async (push, stop) => {
        const pushes = subscribers.get(viewerId) ?? new Set();
        subscribers.set(viewerId, pushes);
        const pushOne = (change: FeedChange) => void push(change);
        pushes.add(pushOne);
        await stop;
        pushes.delete(pushOne);
        if (pushes.size === 0) subscribers.delete(viewerId);
      }, new SlidingBuffer(BUFFERED_PER_SUBSCRIBER));
    },
  };
}
