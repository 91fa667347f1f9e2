import { AssignerProtocol } from 'kafkajs';

/**
 * The partitions a group member was assigned, from the assignment bytes `describeGroups` returns
 * (the consumer protocol's MemberAssignment), by topic, sorted. Empty for a format this client
 * does not read (another client's assignor).
 */
export function decodeMemberAssignment(buffer: Buffer): Array<{ topic: string; partitions: number[] }> {
  try {
    const decoded = AssignerProtocol.MemberAssignment.decode(buffer);
    return Object.entries(decoded?.assignment ?? {}).map(([topic, partitions]) => ({ topic, partitions: [...partitions].sort((a, b) => a - b) }));
  } catch {
    return [];
  }
}
