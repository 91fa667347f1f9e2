import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

// The first key of two-key advisory locks: a space of its own, apart from the migration lock
// (a one-key lock) and any other use.
const AUTHOR_LOCK_SPACE = 0x4645_4544;

/**
 * Takes a transaction-scoped lock per author. A post's fan-out reads its author's follows, a
 * follow's backfill reads the followee's posts: without the lock, a post and a follow projected
 * at once (two topics, two consumers) would each miss the other's uncommitted row, and the feed
 * would lack the post. With it, the second waits for the first to commit, and its next statement
 * sees the first's row. Taken in key order, so two chunks never wait for each other in a cycle.
 */
export async function lockAuthors(sequelize: Sequelize, authorIds: string[], transaction: Transaction): Promise<void> {
  if (authorIds.length === 0) return;
  await sequelize.query(
    `SELECT pg_advisory_xact_lock(:space, k) FROM (
       SELECT DISTINCT hashtext(value) AS k FROM json_array_elements_text(:ids) ORDER BY k
     ) keys`,
    { replacements: { space: AUTHOR_LOCK_SPACE, ids: JSON.stringify(authorIds) }, type: QueryTypes.SELECT, transaction },
  );
}
