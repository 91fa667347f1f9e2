import type { Logger } from '@herald/core';
import { ACKS_ALL } from '@herald/kafka';
import type { IHeaders, KafkaMessage, Producer } from 'kafkajs';
import type { ConsumerMetrics } from '../http/metrics';
import { FAILURE_HEADERS, originOf } from './failure-headers';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Exponential backoff: base, 2×base, 4×base, … capped, with up to 20% jitter so retries spread. */
export function backoffMs(attempt: number, { baseDelayMs, maxDelayMs }: RetryPolicy, random = Math.random): number {
  const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return Math.round(delay * (1 + 0.2 * random()));
}

export type FailureRouter = ReturnType<typeof createFailureRouter>;

/**
 * Moves messages that could not be handled off their partition, so it keeps moving: to the retry
 * topic while attempts remain and the failure may pass, else to the dead-letter queue. Sends are
 * awaited: if Kafka refuses, the caller does not commit and the message is read again.
 */
export function createFailureRouter({
  producer,
  topics,
  policy,
  metrics,
  logger,
}: {
  producer: Producer;
  topics: { retry: string; deadLetter: string };
  policy: RetryPolicy;
  metrics: ConsumerMetrics;
  logger: Logger;
}) {
  const describe = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 1000);

  async function send(topic: string, message: KafkaMessage, headers: IHeaders) {
    await producer.send({ topic, acks: ACKS_ALL, messages: [{ key: message.key, value: message.value, headers: { ...message.headers, ...headers } }] });
  }

  return {
    async deadLetter(source: { topic: string; partition: number }, message: KafkaMessage, error: unknown): Promise<void> {
      const origin = originOf(source.topic, source.partition, message);
      await send(topics.deadLetter, message, {
        [FAILURE_HEADERS.originalTopic]: origin.topic,
        [FAILURE_HEADERS.originalPartition]: String(origin.partition),
        [FAILURE_HEADERS.originalOffset]: origin.offset,
        [FAILURE_HEADERS.attempt]: String(origin.attempt),
        [FAILURE_HEADERS.error]: describe(error),
        [FAILURE_HEADERS.errorType]: error instanceof Error ? error.name : 'Error',
        [FAILURE_HEADERS.failedAt]: new Date().toISOString(),
      });
      metrics.deadLettered.inc({ topic: origin.topic });
      logger.warn({ topic: origin.topic, partition: origin.partition, offset: origin.offset, attempt: origin.attempt, error: describe(error) }, 'message dead-lettered');
    },

    /** Retries a transiently failed message later, or dead-letters it when attempts are used up. */
    async retryOrDeadLetter(source: { topic: string; partition: number }, message: KafkaMessage, error: unknown, transient: boolean): Promise<void> {
      const origin = originOf(source.topic, source.partition, message);
      const attempt = origin.attempt + 1;
      if (!transient || attempt > policy.maxAttempts) return this.deadLetter(source, message, error);
      const notBefore = Date.now() + backoffMs(attempt, policy);
      await send(topics.retry, message, {
        [FAILURE_HEADERS.originalTopic]: origin.topic,
        [FAILURE_HEADERS.originalPartition]: String(origin.partition),
        [FAILURE_HEADERS.originalOffset]: origin.offset,
        [FAILURE_HEADERS.attempt]: String(attempt),
        [FAILURE_HEADERS.notBefore]: String(notBefore),
        [FAILURE_HEADERS.error]: describe(error),
        [FAILURE_HEADERS.errorType]: error instanceof Error ? error.name : 'Error',
      });
      metrics.retried.inc({ topic: origin.topic });
      logger.info({ topic: origin.topic, offset: origin.offset, attempt, notBefore: new Date(notBefore).toISOString(), error: describe(error) }, 'message sent to retry');
    },
  };
}
