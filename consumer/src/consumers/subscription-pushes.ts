import type { Logger } from '@herald/core';
import { createNotificationListener, type NotificationListener } from '@herald/db';
import type { ClientConfig } from 'pg';
import type { HeraldPubSub } from '../graphql/context';
import { SUBSCRIPTION_CHANNEL, type SubscriptionNotice } from '../read-models/subscription-notices';

/**
 * Feeds `userCreated` and `tokenIssued`. The users and tokens projections announce each row they
 * newly insert with a NOTIFY in the INSERT's own statement (read-models/subscription-notices.ts),
 * which PostgreSQL delivers at its commit to every consumer task listening, whichever task
 * projected the event; this publishes each notice to the task's GraphQL pubsub, so a subscriber
 * behind the load balancer on any task hears it, and a query made on hearing it finds the row.
 * The resolvers decide who hears what (subscriptions.ts), as they did for the live feed before.
 *
 * Failures: with PostgreSQL down nothing is projected and nothing is pushed (the projection reads
 * the batch again later, and pushes when it writes). An event that fails transiently and is
 * projected later by the retry consumer pushes then. A redelivered event inserts nothing and
 * pushes nothing. While the listening connection is being re-made, pushes are missed; the read
 * models miss nothing.
 */
export function createSubscriptionPushes({ connection, pubsub, logger }: { connection: ClientConfig; pubsub: HeraldPubSub; logger: Logger }): NotificationListener {
  const publish = (payload: string | undefined) => {
    if (!payload) return;
    try {
      const notice = JSON.parse(payload) as SubscriptionNotice;
      if (notice.subscription === 'userCreated') pubsub.publish('userCreated', notice.view);
      else if (notice.subscription === 'tokenIssued') pubsub.publish('tokenIssued', notice.view);
    } catch (error) {
      logger.warn({ err: error }, 'a subscription push was dropped');
    }
  };
  return createNotificationListener({ connection, channel: SUBSCRIPTION_CHANNEL, onNotify: publish, logger });
}
