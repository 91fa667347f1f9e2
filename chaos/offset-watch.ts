import { committedOffsets } from '@herald/kafka';
import type { Admin } from 'kafkajs';
import { PROJECTION_GROUPS } from './catch-up';

export interface OffsetWatch {
  /** Each time a group's committed offset went back since the last call, one line each. */
  takeFindings(): string[];
  stop(): Promise<void>;
}

/**
 * Polls the committed offsets of every projection group and notes each one that goes back. A
 * group's offset only moves forward when every commit names records its member has written: a
 * member that takes a partition over starts from the committed offset and commits from there. An
 * offset that goes back is a commit that landed out of turn (a member's commit for a partition
 * that had already moved on), which leaves records to be read again, and, on a partition that then
 * stays quiet, a lag that never returns to 0.
 */
export function watchCommittedOffsets(admin: Admin, intervalMs = 250): OffsetWatch {
  const last = new Map<string, number>();
  const wentBack: string[] = [];
  let stopped = false;

  async function poll(): Promise<void> {
    for (const { groupId, topic } of PROJECTION_GROUPS) {
      for (const [partition, now] of await committedOffsets(admin, groupId, topic)) {
        if (now === null) continue; // none committed yet: nothing to compare
        const key = `${groupId} ${topic}:${partition}`;
        const before = last.get(key);
        if (before !== undefined && now < before) wentBack.push(`${key} went back from ${before} to ${now} at ${new Date().toISOString()}`);
        last.set(key, now);
      }
    }
  }

  const running = (async () => {
    while (!stopped) {
      // A broker away or a coordinator moving fails a poll; the next one tries again.
      await poll().catch(() => {});
      await new Promise((resolveWait) => setTimeout(resolveWait, intervalMs));
    }
  })();

  return {
    takeFindings: () => wentBack.splice(0),
    async stop() {
      stopped = true;
      await running;
    },
  };
}
