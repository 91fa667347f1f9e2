import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildEvent, HEADERS } from '@herald/events';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Client } from 'pg';
import type { BenchTarget } from '../lib/bench-env';
import { createProgress } from '../lib/progress';
import type { FeedApi, FeedUser } from './feed-api';

/**
 * One author with `followers` followers posts `posts` times; the feed rows the consumer writes per
 * second, from the first post's answer until every row is in. The followers are written straight
 * to `user-followed` as the producer would (they need no accounts: only the consumer's side is
 * measured); the author and the posts go through the producer.
 */
export async function measureFanOut(target: BenchTarget, api: FeedApi, author: FeedUser, { followers, posts, timeoutMs }: { followers: number; posts: number; timeoutMs: number }) {
  const kafka = new Kafka({ clientId: 'herald-bench-feed', brokers: target.kafkaBrokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const messages = Array.from({ length: followers }, () => {
      const event = buildEvent('user-followed', { followerId: randomUUID(), followeeId: author.id, revision: 1, at: new Date().toISOString() });
      return { key: event.payload.followerId, value: JSON.stringify(event), headers: { [HEADERS.eventType]: event.type, [HEADERS.eventId]: event.eventId } };
    });
    for (let i = 0; i < messages.length; i += 1000) await producer.send({ topic: `${target.topicPrefix}user-followed`, acks: -1, messages: messages.slice(i, i + 1000) });
  } finally {
    await producer.disconnect();
  }
  const deadline = Date.now() + timeoutMs;
  while ((await api.followersCount(author.id)) !== followers) {
    if (Date.now() > deadline) throw new Error(`the ${followers} follows were not projected in time`);
    await sleep(100);
  }

  const db = new Client({ connectionString: target.consumerDatabaseUrl });
  await db.connect();
  const progress = createProgress(`fan-out of ${posts} posts`, followers * posts);
  try {
    const rows = async () => Number((await db.query<{ count: string }>('SELECT count(*) FROM feed_entries WHERE author_id = $1', [author.id])).rows[0]!.count);
    const answers = await Promise.all(Array.from({ length: posts }, (_, i) => api.post(author, `Fan-out ${i}`)));
    const failed = answers.filter((answer) => answer.status !== 201).length;
    const firstAnswer = Math.min(...answers.map((answer) => answer.at));
    const expected = followers * (posts - failed);
    const rowsDeadline = Date.now() + timeoutMs;
    let written = 0;
    while ((written = await rows()) < expected && Date.now() < rowsDeadline) {
      progress.update(written);
      await sleep(20);
    }
    const seconds = (performance.now() - firstAnswer) / 1000;
    return { rows: written, expected, failed, seconds, rowsPerSecond: written / seconds };
  } finally {
    progress.stop();
    await db.end();
  }
}
