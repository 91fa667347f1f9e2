import type { Sequelize } from 'sequelize';
import { createAccountDeletions } from './account-deletions';
import { createFeedReadModel } from './feed-read-model';
import { createFollowsReadModel } from './follows-read-model';
import { createPostsReadModel } from './posts-read-model';
import { createSessionsReadModel } from './sessions-read-model';
import { createTokensReadModel } from './tokens-read-model';
import { createUsersReadModel } from './users-read-model';

export type ReadModels = ReturnType<typeof createReadModels>;

/** The read models on the consumer's database: the projector writes them, the read API reads them. */
export function createReadModels({ sequelize, feed }: { sequelize: Sequelize; feed: { maxFollowers: number; backfillPosts: number } }) {
  return {
    users: createUsersReadModel({ sequelize }),
    tokens: createTokensReadModel({ sequelize }),
    posts: createPostsReadModel({ sequelize, fanOut: { maxFollowers: feed.maxFollowers } }),
    follows: createFollowsReadModel({ sequelize, backfill: { posts: feed.backfillPosts } }),
    feed: createFeedReadModel({ sequelize }),
    sessions: createSessionsReadModel({ sequelize }),
    deletions: createAccountDeletions({ sequelize }),
  };
}
