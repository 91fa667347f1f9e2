import type { Logger } from '@herald/core';
import type { EventType } from '@herald/events';
import { defaultTracer, inProcessSpan } from '@herald/telemetry';
import type { Tracer } from '@opentelemetry/api';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { createCoalescedCommits, type CoalescedCommits } from './coalesced-commits';
import type { ConsumerMetrics } from './consumer-metrics';
import { eventDeserialiser } from './event-deserialiser';
import type { ClassifyFailure, EventByType, EventHandler, Located } from './event-handler';
import { originOfSource } from './failure-headers';
import type { FailureRouter } from './failure-router';
import { createSupervisedConsumer, type FetchSettings, type SupervisedConsumer, type Supervision } from './supervised-consumer';
import { tracedMessage } from './traced-message';

export type CommitMode = 'auto' | 'manual';

export interface BatchConsumerOptions<T extends EventType> {
  kafka: Kafka;
  groupId: string;
  sessionTimeoutMs: number;
  fetch?: FetchSettings;
  supervision: Supervision;
  topic: string;
  commitMode: CommitMode;
  /**
   * At most one offset commit per this many milliseconds (CONSUMER_COMMIT_INTERVAL_MS); 0 commits
   * after every chunk. In `auto` mode it is kafkajs' autoCommitInterval.
   */
  commitIntervalMs: number;
  /** Handles the topic's events, all of one type: the topic's deserialiser reads them first. */
  handler: EventHandler<T>;
  /** What a handler's error means: read the batch again, retry the record or dead-letter it. */
  classify: ClassifyFailure;
  failures: FailureRouter;
  metrics: ConsumerMetrics;
  logger: Logger;
  /** Messages per database transaction (and per heartbeat); DEFAULT_CHUNK unless given. */
  chunkSize?: number;
  /** Where the process spans come from (tests give one of their own). */
  tracer?: Tracer;
}

/** Messages per transaction: big enough to drain a backlog fast, small enough to heartbeat often. */
export const DEFAULT_CHUNK = 500;

/**
 * One kafkajs consumer (one group) that hands one topic's events to a handler (a projection into
 * a read model). It reads in batches and hands each chunk over at once, for one transaction; when the chunk fails, each message is written
 * alone, and one that still fails goes to the retry topic (the failure may pass) or to the
 * dead-letter queue (it never can), so the partition keeps moving. A record that is no event at
 * all is dead-lettered before the write; one of a newer version than this consumer knows waits on
 * the retry topic until a consumer that knows it reads it. A database outage is different: nothing is committed and
 * the batch is read again.
 *
 * Commit modes: `auto` lets kafkajs commit resolved offsets on its own schedule (at least once:
 * a crash may replay a few messages, which change nothing). `manual` commits offset + 1 itself,
 * only after the database transaction, so committed offsets never run ahead of the database.
 * With a commit interval, both commit at most once per interval instead of once per chunk (at low
 * rates, once per record): `auto` through kafkajs' autoCommitInterval (patches/README.md: the
 * patch that makes kafkajs honour it after a batch, on a quiet partition and on stop), `manual`
 * through coalesced-commits.ts. Either way a crash or a rebalance replays up to one interval of
 * records more, which the idempotent projections make harmless.
 */
export function createBatchConsumer<T extends EventType>(options: BatchConsumerOptions<T>): SupervisedConsumer {
  const { topic, groupId, commitMode, commitIntervalMs, handler, classify, failures, metrics, logger, chunkSize = DEFAULT_CHUNK, tracer = defaultTracer() } = options;
  const deserialise = eventDeserialiser(handler.eventType);
  /** The coalesced manual commits of the kafkajs consumer now running (each restart gets its own). */
  let coalesced: CoalescedCommits | undefined;
  let stopping = false;
  const inFlight = new Set<Promise<void>>();

  async function applyOne(partition: number, message: KafkaMessage, record: Located<EventByType<T>>): Promise<void> {
    try {
      const inserted = await handler.handle([record]);
      metrics.processed.inc({ topic });
      metrics.redelivered.inc({ topic }, 1 - inserted);
    } catch (error) {
      const kind = classify(error);
      if (kind === 'unavailable') throw error;
      metrics.failed.inc({ topic });
      const origin = originOfSource(topic, partition, message);
      if (kind === 'retriable') await failures.retry(origin, message, record.event, error);
      else await failures.deadLetter(origin, message, error);
    }
  }

  /**
   * Applies a chunk in one transaction; on failure, each message alone. Every record sent on to
   * the retry or dead-letter topic is a round trip to the broker, so the group is told it is alive
   * between them (kafkajs sends a heartbeat only once its interval has passed): a chunk of
   * hundreds of poison records must not outlast the session and cost the partitions.
   */
  async function project(partition: number, chunk: KafkaMessage[], heartbeat: () => Promise<void>): Promise<void> {
    const parsed: Array<{ message: KafkaMessage; record: Located<EventByType<T>> }> = [];
    for (const message of chunk) {
      try {
        parsed.push({ message, record: { event: deserialise(message), partition, offset: message.offset } });
      } catch (error) {
        await failures.unreadable(originOfSource(topic, partition, message), message, error);
        await heartbeat();
      }
    }
    if (parsed.length === 0) return;
    try {
      const inserted = await handler.handle(parsed.map((entry) => entry.record));
      metrics.processed.inc({ topic }, parsed.length);
      metrics.redelivered.inc({ topic }, parsed.length - inserted);
    } catch (error) {
      if (classify(error) === 'unavailable') throw error; // the database is away: read the batch again later
      for (const { message, record } of parsed) {
        await applyOne(partition, message, record);
        await heartbeat();
      }
    }
  }

  const eachBatch = (consumer: Consumer, commits: CoalescedCommits | undefined) =>
    async function ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload) {
      for (let start = 0; start < batch.messages.length; start += chunkSize) {
        if (!isRunning() || isStale() || stopping) return;
        const chunk = batch.messages.slice(start, start + chunkSize);
        // One `process` span per chunk (one transaction), linked to each record's creation context;
        // a chunk of one record is its child (libs/telemetry/src/messaging-spans.ts).
        const messages = chunk.map((message) => tracedMessage(topic, message));
        await inProcessSpan(tracer, { topic, groupId, partition: batch.partition, messages }, () => project(batch.partition, chunk, heartbeat));
        const last = chunk[chunk.length - 1]!.offset;
        const next = (BigInt(last) + 1n).toString();
        resolveOffset(last);
        if (commitMode === 'auto') await commitOffsetsIfNecessary();
        else if (commits) commits.databaseCommitted(topic, batch.partition, next);
        else await consumer.commitOffsets([{ topic, partition: batch.partition, offset: next }]);
        await heartbeat();
      }
    };

  /** Counts the batches being projected, so that a stop can wait for them before its last commit. */
  const tracked = (handler: (payload: EachBatchPayload) => Promise<void>) => (payload: EachBatchPayload) => {
    const running = handler(payload);
    const settled = running.then(
      () => {},
      () => {},
    );
    inFlight.add(settled);
    void settled.finally(() => inFlight.delete(settled));
    return running;
  };

  /**
   * Coalesced commits for one kafkajs consumer: pruned at each join, dropped when kafkajs gives it
   * up (the supervisor builds a new one) or it is stopped. Not on kafkajs' STOP event: kafkajs
   * stops a consumer it then restarts itself with the same run configuration, and so with these
   * commits, whose pending offsets are committed after the join if the partitions are still ours.
   */
  function coalesce(consumer: Consumer): CoalescedCommits {
    const commits = createCoalescedCommits({ intervalMs: commitIntervalMs, commit: (offsets) => consumer.commitOffsets(offsets), logger });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => commits.assigned(payload.memberAssignment));
    consumer.on(consumer.events.CRASH, ({ payload }) => !payload.restart && commits.close());
    return commits;
  }

  const supervised = createSupervisedConsumer({
    ...options,
    topics: [topic],
    fromBeginning: true,
    runConfig: (consumer) => {
      coalesced = commitMode === 'manual' && commitIntervalMs > 0 ? coalesce(consumer) : undefined;
      return {
        autoCommit: commitMode === 'auto',
        autoCommitInterval: commitMode === 'auto' && commitIntervalMs > 0 ? commitIntervalMs : null,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 4,
        eachBatch: tracked(eachBatch(consumer, coalesced)),
      };
    },
  });
  return {
    ...supervised,
    async start() {
      stopping = false;
      await supervised.start();
      logger.info({ groupId: options.groupId, topic, commitMode, commitIntervalMs }, 'batch consumer running');
    },
    /**
     * The chunks under way finish (no new one starts), what they wrote is committed, then the
     * consumer leaves its group: a clean stop replays nothing. In `auto` mode kafkajs commits the
     * resolved offsets itself while stopping (the patch).
     */
    async stop() {
      stopping = true;
      await Promise.all(inFlight);
      await coalesced?.flush();
      await supervised.stop();
      coalesced?.close();
    },
  };
}
