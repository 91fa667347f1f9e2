import { createActions, emptyAcknowledged, type Acknowledged, type Session } from './load';
import type { RestClient } from './rest-client';

/** Runs `work` over `items`, `concurrency` at a time. */
async function eachLimited<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

/**
 * The users the load acts as, before any fault: `users` sign-ups and their logins (two argon2
 * hashes each, so a few hundred at most), and each following `follows` others. Their follows come
 * before every post, so each post's feed entries are exactly its author's followers.
 */
export async function setUpSessions(client: RestClient, { users, follows, tag }: { users: number; follows: number; tag: string }): Promise<{ sessions: Session[]; acknowledged: Acknowledged; failed: Record<string, number> }> {
  const acknowledged = emptyAcknowledged();
  const failed: Record<string, number> = {};
  const actions = createActions(client, acknowledged, failed);
  const sessions: Session[] = [];
  const names = Array.from({ length: users }, (_, i) => `${tag}s${i}`);
  // Two at a time: the producer hashes two passwords at once (ARGON2_MAX_CONCURRENT).
  await eachLimited(names, 2, async (username) => {
    if (!(await actions.signUp(username))) return;
    const session = await actions.login(username);
    if (session) sessions.push(session);
  });
  const pairs = sessions.flatMap((session, i) => Array.from({ length: Math.min(follows, sessions.length - 1) }, (_, k) => [session, sessions[(i + 1 + k) % sessions.length]!] as const));
  await eachLimited(pairs, 8, ([follower, followee]) => actions.follow(follower, followee.userId));
  if (Object.keys(failed).length > 0) throw new Error(`setting up the load's users failed: ${JSON.stringify(failed)}`);
  return { sessions, acknowledged, failed };
}
