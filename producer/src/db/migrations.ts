import type { Migration } from '@herald/db';
import { initialSchema } from './migrations/0001-initial-schema';
import { rateLimits } from './migrations/0002-rate-limits';
import { feed } from './migrations/0003-feed';
import { sessions } from './migrations/0004-sessions';
import { userRevision } from './migrations/0005-user-revision';
import { userKeys } from './migrations/0006-user-keys';
import { rebuildSources } from './migrations/0007-rebuild-sources';

/** The producer's schema history, in order. */
export const MIGRATIONS: Migration[] = [initialSchema, rateLimits, feed, sessions, userRevision, userKeys, rebuildSources];

// Any constant works; it only has to be the same in every producer instance.
export const MIGRATION_LOCK_KEY = 0x4e52_4c44;
