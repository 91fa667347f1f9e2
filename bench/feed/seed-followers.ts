import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildEvent, HEADERS } from '@herald/events';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Client } from 'pg';
import type { BenchTarget } from '../lib/bench-env';

/**
 * Gives each of `followees` `perFollowee` followers, written straight to `user-followed` as the
 * producer would (the followers need no accounts: only the consumer's side reads them), and
 * waits until the consumer has projected every follow.
 */
export async function seedFollowers(target: BenchTarget, followees: string[], perFollowee: number, timeoutMs: number): Promise<void> {
  if (perFollowee === 0 || followees.length === 0) return;
  const kafka = new Kafka({ clientId: 'herald-bench-feed', brokers: target.kafkaBrokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const messages = followees.flatMap((followeeId) =>
      Array.from({ length: perFollowee }, () => {
        const event = buildEvent('user-followed', { followerId: randomUUID(), followeeId, revision: 1, at: new Date().toISOString() });
        return { key: event.payload.followerId, value: JSON.stringify(event), headers: { [HEADERS.eventType]: event.type, [HEADERS.eventId]: event.eventId } };
      }),
    );
    for (let i = 0; i < messages.length; i += 1000) await producer.send({ topic: `${target.topicPrefix}user-followed`, acks: -1, messages: messages.slice(i, i + 1000) });
  } finally {
    await producer.disconnect();
  }
  const total = followees.length * perFollowee;
  const projected = await waitForCount({ databaseUrl: target.consumerDatabaseUrl, sql: 'SELECT count(*) FROM follows WHERE followee_id = ANY($1::uuid[]) AND active', values: [followees], wanted: total, timeoutMs });
  if (projected < total) throw new Error(`${projected} of the ${total} follows were projected in time`);
}

/** Polls a count in a database every 100 ms until it reaches `wanted` or the time is up; answers the last count. */
export async function waitForCount({ databaseUrl, sql, values, wanted, timeoutMs }: { databaseUrl: string; sql: string; values: unknown[]; wanted: number; timeoutMs: number }): Promise<number> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const count = Number((await db.query<{ count: string }>(sql, values)).rows[0]!.count);
      if (count >= wanted || Date.now() > deadline) return count;
      await sleep(100);
    }
  } finally {
    await db.end();
  }
}
