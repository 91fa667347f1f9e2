import type { Logger } from '@herald/core';
import type { Admin } from 'kafkajs';

export interface EnsureTopicsOptions {
  admin: Admin;
  topics: string[];
  partitions: number;
  replicationFactor: number;
  logger: Logger;
}

/**
 * Creates the topics that do not exist yet and leaves existing ones alone (their partition count
 * is never changed here: growing it would move keys to other partitions). Safe to run from
 * several service instances at once.
 */
export async function ensureTopics({ admin, topics, partitions, replicationFactor, logger }: EnsureTopicsOptions): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !existing.has(topic));
  if (missing.length > 0) {
    // createTopics answers false (not an error) when another instance created them first. Its own
    // leader wait can fail on a metadata answer that is merely early, so we wait below instead.
    const created = await admin.createTopics({
      waitForLeaders: false,
      topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor })),
    });
    if (created) logger.info({ topics: missing, partitions, replicationFactor }, 'created Kafka topics');
  }
  // A topic just created (here or by another instance) may not have leaders yet; using it now fails.
  await waitForLeaders(admin, topics);
  return missing;
}

/**
 * Waits until every partition has a leader that serves it. Metadata names a leader a moment
 * before that broker answers for the partition ("not the leader" to a ListOffsets), so the
 * offsets are asked for too.
 */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      const led = metadata.every((topic) => topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0));
      if (led) {
        await Promise.all(topics.map((topic) => admin.fetchTopicOffsets(topic)));
        return;
      }
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topics have no leaders after ${timeoutMs} ms: ${topics.join(', ')}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
}
