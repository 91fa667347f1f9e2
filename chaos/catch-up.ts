import { topicNames } from '@herald/events';
import type { Admin } from 'kafkajs';
import { Client } from 'pg';
import { GROUP_PREFIX } from './chaos-system';

/** The consumer's projection groups (the per-process live-feed groups are not projections) and their topics. */
export const PROJECTION_GROUPS = (() => {
  const topics = topicNames();
  return [
    { groupId: `${GROUP_PREFIX}.users`, topic: topics.newUserCreated },
    { groupId: `${GROUP_PREFIX}.user-updates`, topic: topics.userUpdated },
    { groupId: `${GROUP_PREFIX}.user-deletions`, topic: topics.userDeleted },
    { groupId: `${GROUP_PREFIX}.tokens`, topic: topics.issuedToken },
    { groupId: `${GROUP_PREFIX}.posts`, topic: topics.postCreated },
    { groupId: `${GROUP_PREFIX}.post-deletions`, topic: topics.postDeleted },
    { groupId: `${GROUP_PREFIX}.follows`, topic: topics.userFollowed },
    { groupId: `${GROUP_PREFIX}.unfollows`, topic: topics.userUnfollowed },
    { groupId: `${GROUP_PREFIX}.sessions`, topic: topics.sessionEnded },
    { groupId: `${GROUP_PREFIX}.retry`, topic: topics.retry },
  ];
})();

type Offsets = Map<string, number>;

/** Every partition's end offset, per group (`group/topic:partition`). */
async function endOffsets(admin: Admin): Promise<Offsets> {
  const ends: Offsets = new Map();
  for (const { groupId, topic } of PROJECTION_GROUPS) for (const { partition, high } of await admin.fetchTopicOffsets(topic)) ends.set(`${groupId}/${topic}:${partition}`, Number(high));
  return ends;
}

/** How far each group has yet to commit up to `targets`: the total, and every partition still behind (`group topic:partition committed/target`). */
async function behind(admin: Admin, targets: Offsets): Promise<{ lag: number; partitions: string[] }> {
  let lag = 0;
  const partitions: string[] = [];
  for (const { groupId, topic } of PROJECTION_GROUPS) {
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    for (const { partition, offset } of committed?.partitions ?? []) {
      const target = targets.get(`${groupId}/${topic}:${partition}`) ?? 0;
      const short = target - Math.max(0, Number(offset));
      if (short <= 0) continue;
      lag += short;
      partitions.push(`${groupId} ${topic}:${partition} ${offset}/${target}`);
    }
  }
  return { lag, partitions };
}

const sleep = (ms: number) => new Promise((resolveWait) => setTimeout(resolveWait, ms));

/** Outbox rows up to `upToId` not yet published (null when the producer's database does not answer). */
async function unsent(databaseUrl: string, upToId: number | null): Promise<number | null> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    const sql = 'SELECT count(*) AS n FROM outbox_events WHERE sent_at IS NULL AND ($1::bigint IS NULL OR id <= $1)';
    return Number((await client.query<{ n: string }>(sql, [upToId])).rows[0]!.n);
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The newest outbox row's id now: what "written before this moment" means for the relay. */
export async function newestOutboxId(databaseUrl: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      return Number((await client.query<{ n: string | null }>('SELECT max(id) AS n FROM outbox_events')).rows[0]!.n ?? 0);
    } catch {
      await sleep(250);
    } finally {
      await client.end().catch(() => {});
    }
  }
  throw new Error(`the producer's database did not answer within ${timeoutMs / 1000} s`);
}

/**
 * Waits until everything written up to a moment is projected: the relay has published every
 * outbox row up to `upToOutboxId` (null: every row), and then every projection group has committed
 * up to the end offsets of that instant, so lag is 0 for all of it. Resolves with the milliseconds
 * since `since`; rejects after `timeoutMs`, naming what was still behind.
 */
export async function waitForCatchUp({ admin, producerDatabaseUrl, upToOutboxId, since, timeoutMs }: { admin: Admin; producerDatabaseUrl: string; upToOutboxId: number | null; since: number; timeoutMs: number }): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let targets: Offsets | undefined;
  let last = 'the outbox';
  while (Date.now() < deadline) {
    try {
      if (!targets) {
        const left = await unsent(producerDatabaseUrl, upToOutboxId);
        last = `the outbox (${left ?? 'database not answering'} rows unsent)`;
        if (left === 0) targets = await endOffsets(admin);
      }
      if (targets) {
        const { lag, partitions } = await behind(admin, targets);
        last = `the consumer groups (lag ${lag}: ${partitions.join(', ')})`;
        if (lag === 0) return Date.now() - since;
      }
    } catch (error) {
      last = `${last}; Kafka: ${String(error)}`;
    }
    await sleep(250);
  }
  throw new Error(`not caught up within ${Math.round(timeoutMs / 1000)} s: still waiting for ${last}`);
}
