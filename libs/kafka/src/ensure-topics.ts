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
  if (missing.length === 0) return [];
  // createTopics answers false (not an error) when another instance created them first.
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor })),
  });
  logger.info({ topics: missing, partitions, replicationFactor }, 'created Kafka topics');
  return missing;
}
