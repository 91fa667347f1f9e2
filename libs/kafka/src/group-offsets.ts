import type { Admin } from 'kafkajs';

// A group's progress through a topic, for tests, benches and tools that wait for a group to catch up.

/** Committed offset per partition of a group (null: none yet). */
export async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<Map<number, number | null>> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map((offsets?.partitions ?? []).map(({ partition, offset }) => [partition, offset === '-1' ? null : Number(offset)]));
}

export async function endOffsets(admin: Admin, topic: string): Promise<Map<number, number>> {
  return new Map((await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => [partition, Number(high)]));
}

/** Records of the topic the group has not committed yet, over all partitions. */
export async function uncommitted(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [ends, committed] = await Promise.all([endOffsets(admin, topic), committedOffsets(admin, groupId, topic)]);
  let lag = 0;
  for (const [partition, end] of ends) lag += end - (committed.get(partition) ?? 0);
  return lag;
}
