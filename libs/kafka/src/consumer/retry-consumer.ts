import type { Logger } from '@herald/core';
import { defaultTracer, inProcessSpan } from '@herald/telemetry';
import type { Tracer } from '@opentelemetry/api';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { ConsumerMetrics } from './consumer-metrics';
import { PoisonMessageError, readEventRecord } from './event-deserialiser';
import type { ClassifyFailure, EventHandler } from './event-handler';
import { originOfSource, readRetryHeaders, type Origin } from './failure-headers';
import type { FailureRouter, RetryPolicy } from './failure-router';
import { createSupervisedConsumer, type FetchSettings, type SupervisedConsumer, type Supervision } from './supervised-consumer';
import { tracedMessage } from './traced-message';

export interface RetryConsumerOptions {
  kafka: Kafka;
  groupId: string;
  sessionTimeoutMs: number;
  fetch?: FetchSettings;
  supervision: Supervision;
  retryTopic: string;
  /** The handler of each original topic. */
  handlers: Record<string, EventHandler>;
  classify: ClassifyFailure;
  policy: RetryPolicy;
  failures: FailureRouter;
  metrics: ConsumerMetrics;
  logger: Logger;
  /** Where the process spans come from (tests give one of their own). */
  tracer?: Tracer;
}

/**
 * Reads `side-topic-for-retry` and tries each message again once its not-before time has come.
 * A partition whose next message is not due yet is paused until it is (other partitions go on);
 * its offset is not resolved, so the message is read again on resume. A retry that fails again
 * goes back with the next attempt number, or to the dead-letter queue after the last. A record
 * whose retry headers this consumer did not write (they do not parse, or are out of range) is
 * dead-lettered with the reason, so it can neither pause a partition for long nor retry forever.
 * Offsets are committed by hand after each message is settled.
 */
export function createRetryConsumer(options: RetryConsumerOptions): SupervisedConsumer {
  const { groupId, retryTopic, handlers, classify, policy, failures, metrics, logger, tracer = defaultTracer() } = options;
  const sourceTopics = Object.keys(handlers);
  const timers = new Set<NodeJS.Timeout>();

  function pauseUntil(consumer: Consumer, partition: number, dueInMs: number) {
    consumer.pause([{ topic: retryTopic, partitions: [partition] }]);
    const timer = setTimeout(() => {
      timers.delete(timer);
      // The consumer may have crashed (and been replaced) meanwhile; a new one starts unpaused.
      if (supervised.current() !== consumer) return;
      try {
        consumer.resume([{ topic: retryTopic, partitions: [partition] }]);
      } catch (error) {
        logger.debug({ err: error, partition }, 'resume after a crash skipped');
      }
    }, dueInMs);
    timers.add(timer);
  }

  async function tryAgain(origin: Origin, message: KafkaMessage): Promise<void> {
    const handler = handlers[origin.topic]!;
    let event;
    try {
      event = readEventRecord(message, handler.eventType);
    } catch (error) {
      return failures.unreadable(origin, message, error);
    }
    try {
      await handler.handle([{ event, partition: origin.partition, offset: origin.offset }]);
      metrics.processed.inc({ topic: origin.topic });
      logger.info({ topic: origin.topic, offset: origin.offset, attempt: origin.attempt }, 'retry succeeded');
    } catch (error) {
      const kind = classify(error);
      if (kind === 'unavailable') throw error;
      metrics.failed.inc({ topic: origin.topic });
      if (kind === 'retriable') await failures.retry(origin, message, event, error);
      else await failures.deadLetter(origin, message, error);
    }
  }

  const eachBatch = (consumer: Consumer) =>
    async function ({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload) {
      for (const message of batch.messages) {
        if (!isRunning() || isStale()) return;
        const headers = readRetryHeaders(message, { sourceTopics, maxAttempts: policy.maxAttempts, maxDelayMs: policy.maxDelayMs, now: Date.now() });
        if (!headers.ok) {
          await failures.deadLetter(originOfSource(retryTopic, batch.partition, message), message, new PoisonMessageError(`retry headers not written by this consumer: ${headers.reason}`));
        } else {
          const dueInMs = headers.notBefore - Date.now();
          if (dueInMs > 0) {
            pauseUntil(consumer, batch.partition, dueInMs);
            return;
          }
          // A retry copy keeps the original's traceparent: the retry is processed in the sign-up's (or login's) trace.
          await inProcessSpan(tracer, { topic: retryTopic, groupId, partition: batch.partition, messages: [tracedMessage(retryTopic, message)] }, () => tryAgain(headers.origin, message));
        }
        resolveOffset(message.offset);
        await consumer.commitOffsets([{ topic: retryTopic, partition: batch.partition, offset: (BigInt(message.offset) + 1n).toString() }]);
        await heartbeat();
      }
    };

  const supervised = createSupervisedConsumer({
    ...options,
    topics: [retryTopic],
    fromBeginning: true,
    runConfig: (consumer) => ({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 8, eachBatch: eachBatch(consumer) }),
  });
  return {
    ...supervised,
    async start() {
      await supervised.start();
      logger.info({ groupId: options.groupId, topic: retryTopic }, 'retry consumer running');
    },
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await supervised.stop();
    },
  };
}
