import type { Logger } from '@herald/core';

/** The next offset to read on a partition, as Kafka commits it (the last written offset + 1). */
export interface PartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

export interface CoalescedCommitsOptions {
  /** At most one commit per this many milliseconds; more than 0 (0 means commit inline, without this module). */
  intervalMs: number;
  /** Sends one OffsetCommit (kafkajs' `consumer.commitOffsets`). */
  commit: (offsets: PartitionOffset[]) => Promise<void>;
  logger: Logger;
}

export interface CoalescedCommits {
  /** The records up to `nextOffset` - 1 of this partition are in the database: their offset may be committed. */
  databaseCommitted(topic: string, partition: number, nextOffset: string): void;
  /** The group's new assignment (kafkajs' GROUP_JOIN): pending offsets of other partitions are dropped, the rest committed. */
  assigned(assignment: Record<string, number[]>): void;
  /** Commits what is pending now, after any commit in flight (before the consumer stops). */
  flush(): Promise<void>;
  /** Forgets everything and commits nothing more (the kafkajs consumer is gone). */
  close(): void;
  /** What waits to be committed (for tests and logs). */
  pending(): PartitionOffset[];
}

const keyOf = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/** After a refused commit, the next try waits at least this long (or for the next join), not to log one warning per interval while kafkajs restarts. */
const RETRY_AFTER_FAILURE_MS = 1000;

/**
 * Manual offset commits, coalesced: the newest database-committed offset of each partition is
 * committed at most once per interval, by a timer, so a quiet stream is committed within about
 * the interval after its last record, and `flush` commits the rest before a stop.
 *
 * An offset reaches this module only after its records' database transaction has committed,
 * so the committed offsets still never run ahead of the database; they may trail it by up to
 * the interval. What a crash, a rebalance or a failed commit leaves uncommitted is read again
 * by whoever owns the partition next, and the projections are idempotent (keyed on the event),
 * so a replayed record changes nothing. That is why a failed commit is only logged: it never
 * reaches kafkajs, so it cannot crash the consumer. A commit whose retries outlast a rebalance
 * fails instead of landing in the new generation (patches/README.md, "commit generation"): landed,
 * it could take back the offset the partition's new owner had committed since. What it held is
 * kept for the partitions still assigned after the join, and committed then.
 */
export function createCoalescedCommits({ intervalMs, commit, logger }: CoalescedCommitsOptions): CoalescedCommits {
  const waiting = new Map<string, { topic: string; partition: number; offset: bigint }>();
  let assignment: Set<string> | undefined;
  let lastCommitAt = Number.NEGATIVE_INFINITY;
  let retryAt = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let closed = false;

  const owned = (topic: string, partition: number) => !assignment || assignment.has(keyOf(topic, partition));

  function remember(topic: string, partition: number, offset: bigint) {
    const key = keyOf(topic, partition);
    const known = waiting.get(key);
    if (!known || known.offset < offset) waiting.set(key, { topic, partition, offset });
  }

  function schedule() {
    if (closed || timer || inFlight || waiting.size === 0) return;
    // The first record after a quiet spell is committed at once; the ones behind it wait for the interval.
    const delay = Math.max(0, lastCommitAt + intervalMs - Date.now(), retryAt - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      void commitNow().then(schedule);
    }, delay);
  }

  function commitNow(): Promise<void> {
    const offsets = [...waiting.values()];
    waiting.clear();
    lastCommitAt = Date.now();
    inFlight = commit(offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset: offset.toString() })))
      .catch((error: unknown) => {
        // Kept for the next attempt unless a newer offset came meanwhile or the partition moved away.
        for (const { topic, partition, offset } of offsets) if (owned(topic, partition)) remember(topic, partition, offset);
        retryAt = Date.now() + Math.max(intervalMs, RETRY_AFTER_FAILURE_MS);
        logger.warn({ err: error, partitions: offsets.length }, 'offset commit failed; tried again after the interval (records after the last commit are replayed if the partition moves, which changes nothing)');
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  return {
    databaseCommitted(topic, partition, nextOffset) {
      if (closed || !owned(topic, partition)) return;
      remember(topic, partition, BigInt(nextOffset));
      schedule();
    },
    assigned(next) {
      assignment = new Set(Object.entries(next).flatMap(([topic, partitions]) => partitions.map((partition) => keyOf(topic, partition))));
      for (const [key, { topic, partition }] of waiting) {
        if (!owned(topic, partition)) {
          waiting.delete(key);
          logger.debug({ topic, partition }, 'partition no longer assigned: its pending offset is dropped (the new owner replays from the last commit)');
        }
      }
      // A new generation: what a rebalance refused may be committed now, not after the wait.
      retryAt = Number.NEGATIVE_INFINITY;
      clearTimeout(timer);
      timer = undefined;
      schedule();
    },
    async flush() {
      clearTimeout(timer);
      timer = undefined;
      await inFlight;
      if (!closed && waiting.size > 0) await commitNow();
      schedule(); // what failed to commit goes on waiting for its timer
    },
    close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      waiting.clear();
    },
    pending: () => [...waiting.values()].map(({ topic, partition, offset }) => ({ topic, partition, offset: offset.toString() })),
  };
}
