import { committedOffsets, decodeMemberAssignment, endOffsets, type KafkaAdmin } from '@herald/kafka';
import { PROJECTION_GROUPS } from './catch-up';

/**
 * What each projection group is doing now, for a run that did not catch up: the group's state and
 * members (who holds which partitions), and per partition its leader and in-sync replicas, the
 * committed and end offsets. Enough to tell a group that lost a member, a partition nobody was
 * assigned, a member that fetches but never commits, and a partition without a leader apart.
 */
export async function describeProjectionGroups(admin: KafkaAdmin): Promise<string[]> {
  const lines: string[] = [];
  const { groups } = await admin.describeGroups(PROJECTION_GROUPS.map(({ groupId }) => groupId));
  for (const { groupId, topic } of PROJECTION_GROUPS) {
    const group = groups.find((candidate) => candidate.groupId === groupId);
    const owner = new Map<number, string>();
    for (const member of group?.members ?? []) {
      const assigned = decodeMemberAssignment(member.memberAssignment).find((entry) => entry.topic === topic);
      for (const partition of assigned?.partitions ?? []) owner.set(partition, `${member.clientHost} ${member.memberId.slice(-8)}`);
    }
    lines.push(`${groupId}: ${group?.state ?? 'unknown'}, ${group?.members.length ?? 0} members`);
    const [committed, ends] = await Promise.all([committedOffsets(admin, groupId, topic), endOffsets(admin, topic)]);
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const metadata = new Map((topics[0]?.partitions ?? []).map((partition) => [partition.partitionId, partition]));
    for (const [partition, offset] of committed) {
      const end = ends.get(partition) ?? 0;
      const { leader, isr } = metadata.get(partition) ?? { leader: '?', isr: [] };
      const mark = end > (offset ?? 0) ? '  <- behind' : '';
      lines.push(`  ${topic}:${partition} committed ${offset ?? 'none'} end ${end} leader ${leader} isr [${isr.join(',')}] member ${owner.get(partition) ?? 'none'}${mark}`);
    }
  }
  return lines;
}
