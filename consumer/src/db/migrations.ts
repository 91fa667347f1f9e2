import type { Migration } from '@herald/db';
import { readModels } from './migrations/0001-read-models';
import { feed } from './migrations/0002-feed';
import { endedSessions } from './migrations/0003-ended-sessions';
import { userRevision } from './migrations/0004-user-revision';
import { deletedPosts } from './migrations/0005-deleted-posts';
import { deletedUsers } from './migrations/0006-deleted-users';

/** The consumer's schema history, in order. */
export const MIGRATIONS: Migration[] = [readModels, feed, endedSessions, userRevision, deletedPosts, deletedUsers];

// Any constant works; it only has to be the same in every consumer instance.
export const MIGRATION_LOCK_KEY = 0x434f_4e53;
