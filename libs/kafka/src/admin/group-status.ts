import type { Admin } from 'kafkajs';

export interface PartitionStatus {
  topic: string;
  partition: number;
  committedOffset: string | null;
  endOffset: string;
  lag: number;
}

export interface GroupStatus {
  groupId: string;
  state: string;
  members: number;
  partitions: PartitionStatus[];
}

/**
 * Committed offset, end offset and lag of each partition of a topic, for one group. A partition
 * the group never committed counts its whole log as lag.
 */
export function toPartitionStatus(
  topic: string,
  ends: Array<{ partition: number; high: string; low: string }>,
  committed: Array<{ partition: number; offset: string }>,
): PartitionStatus[] {
  const committedByPartition = new Map(committed.map((p) => [p.partition, p.offset]));
  return ends
    .map(({ partition, high, low }) => {
      const offset = committedByPartition.get(partition);
      const known = offset !== undefined && offset !== '-1';
      return { topic, partition, committedOffset: known ? offset : null, endOffset: high, lag: Number(high) - Number(known ? offset : low) };
    })
    .sort((a, b) => a.partition - b.partition);
}

/**
 * What `kafka-consumer-groups --describe` shows, for each of the consumer's groups: committed
 * offset, end offset and lag per partition (toPartitionStatus).
 */
export function createGroupStatus({ admin, groups }: { admin: Admin; groups: Array<{ groupId: string; topic: string }> }) {
  return async function groupStatus(): Promise<GroupStatus[]> {
    const described = await admin.describeGroups(groups.map((group) => group.groupId));
    return Promise.all(
      groups.map(async ({ groupId, topic }) => {
        const [committed, ends] = await Promise.all([admin.fetchOffsets({ groupId, topics: [topic] }), admin.fetchTopicOffsets(topic)]);
        const description = described.groups.find((group) => group.groupId === groupId);
        return {
          groupId,
          state: description?.state ?? 'Unknown',
          members: description?.members.length ?? 0,
          partitions: toPartitionStatus(topic, ends, committed[0]?.partitions ?? []),
        };
      }),
    );
  };
}
