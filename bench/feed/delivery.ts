import { setTimeout as sleep } from 'node:timers/promises';
import { createProgress } from '../lib/progress';
import { runPool } from '../lib/worker-pool';
import type { FeedApi, FeedUser } from './feed-api';

export interface DeliveryOptions {
  follows: number;
  posts: number;
  concurrency: number;
  pollMs: number;
  timeoutMs: number;
}

/** Follows of the Go feed app's scenario: each user follows `follows` others, picked at random. */
export async function followRandomly(api: FeedApi, users: FeedUser[], follows: number): Promise<number[][]> {
  const followersOf: number[][] = users.map(() => []);
  const pairs: Array<[number, number]> = [];
  for (let follower = 0; follower < users.length; follower += 1) {
    const others = users.map((_, i) => i).filter((i) => i !== follower);
    for (let k = 0; k < Math.min(follows, others.length); k += 1) {
      const [followee] = others.splice(Math.floor(Math.random() * others.length), 1);
      pairs.push([follower, followee!]);
      followersOf[followee!]!.push(follower);
    }
  }
  await runPool(pairs.length, 8, async (i) => {
    const [follower, followee] = pairs[i]!;
    const answer = await api.follow(users[follower]!, users[followee]!.id);
    if (answer.status !== 201) throw new Error(`follow answered ${answer.status}`);
  });
  const deadline = Date.now() + 60_000;
  for (const [i, user] of users.entries()) {
    while ((await api.followersCount(user.id)) !== followersOf[i]!.length) {
      if (Date.now() > deadline) throw new Error('the follows were not projected within 60 s');
      await sleep(100);
    }
  }
  return followersOf;
}

/**
 * `posts` posts by random authors at `concurrency`, and the latency from each post's HTTP answer
 * until it is in each follower's feed, as `observe` sees it (a push, or a poll). Returns one
 * sample per (post, follower), and how many never arrived within the timeout.
 */
export async function measureDelivery(
  api: FeedApi,
  users: FeedUser[],
  followersOf: number[][],
  options: DeliveryOptions,
  what: string,
  observe: (onSeen: (viewer: number, postId: string, at: number) => void) => { stop: () => Promise<unknown> },
): Promise<{ samples: number[]; undelivered: number; failed: number }> {
  const seen = new Map<string, number>();
  const watcher = observe((viewer, postId, at) => {
    const key = `${viewer}|${postId}`;
    if (!seen.has(key)) seen.set(key, at);
  });
  const answered: Array<{ postId: string; author: number; at: number }> = [];
  let failed = 0;
  const progress = createProgress(what, options.posts);
  try {
    await runPool(options.posts, options.concurrency, async (i) => {
      const author = Math.floor(Math.random() * users.length);
      const answer = await api.post(users[author]!, `Delivery ${i}`);
      if (answer.status === 201) answered.push({ postId: answer.body.id as string, author, at: answer.at });
      else failed += 1;
    }, (done) => progress.update(done));
  } finally {
    progress.stop();
  }
  const expected = answered.flatMap(({ postId, author, at }) => followersOf[author]!.map((viewer) => ({ key: `${viewer}|${postId}`, at })));
  const deadline = Date.now() + options.timeoutMs;
  while (expected.some(({ key }) => !seen.has(key)) && Date.now() < deadline) await sleep(20);
  await watcher.stop();
  const samples = expected.flatMap(({ key, at }) => (seen.has(key) ? [seen.get(key)! - at] : []));
  return { samples, undelivered: expected.length - samples.length, failed };
}

/** Every user's feed read every `pollMs` ms, as the Go feed app's bench does. */
export function pollFeeds(api: FeedApi, users: FeedUser[], pollMs: number) {
  return (onSeen: (viewer: number, postId: string, at: number) => void) => {
    let running = true;
    const loops = users.map(async (user, viewer) => {
      while (running) {
        const ids = await api.feedIds(user, 100).catch(() => []);
        const at = performance.now();
        for (const id of ids) onSeen(viewer, id, at);
        await sleep(pollMs);
      }
    });
    return {
      stop: async () => {
        running = false;
        await Promise.all(loops);
      },
    };
  };
}

/**
 * `feedItemAdded` on one graphql-ws socket per user, opened once and kept for every phase (a
 * subscription is live only once the server has it; a warm-up phase makes sure of that).
 */
export function livePushes(api: FeedApi, users: FeedUser[]) {
  let current: ((viewer: number, postId: string, at: number) => void) | undefined;
  const sockets = api.subscribe(users, (viewer, postId, at) => current?.(viewer, postId, at));
  return {
    observe: (onSeen: (viewer: number, postId: string, at: number) => void) => {
      current = onSeen;
      return { stop: async () => (current = undefined) };
    },
    close: () => sockets.close(),
  };
}
