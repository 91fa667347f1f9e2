import type { Client } from 'pg';
import { byKey, diffRows, type Difference } from './differences';

interface FollowRow {
  follower_id: string;
  followee_id: string;
  active: boolean;
  revision: number;
}

const SQL = 'SELECT follower_id, followee_id, active, revision FROM follows';
const pair = (row: FollowRow) => `${row.follower_id}->${row.followee_id}`;

/**
 * Follows: every pair the producer keeps (an unfollowed pair stays, inactive) at the same revision
 * and state, so the active pairs, and with them the follower and following counts, are the same.
 */
export async function compareFollows(source: Client, readModels: Client): Promise<Difference[]> {
  return diffRows({
    what: 'follow',
    expected: byKey((await source.query<FollowRow>(SQL)).rows, pair),
    actual: byKey((await readModels.query<FollowRow>(SQL)).rows, pair),
    fields: [
      { name: 'active', value: (row) => row.active },
      { name: 'revision', value: (row) => Number(row.revision) },
    ],
  });
}
