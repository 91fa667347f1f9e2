import { backoffMs, type Logger } from '@herald/core';
import { HEADERS, isTraceparent, NewerVersionError, type HeraldEvent } from '@herald/events';
import { ACKS_ALL } from '../create-producer';
import type { IHeaders, KafkaMessage, Message, Producer } from 'kafkajs';
import type { ConsumerMetrics } from './consumer-metrics';
import { FAILURE_HEADERS, headerValue, copyableHeaders, type Origin } from './failure-headers';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** When the next attempt is due: exponential backoff with up to 20% jitter, so retries of many messages spread. */
export const retryDelayMs = (attempt: number, { baseDelayMs, maxDelayMs }: RetryPolicy, random = Math.random) =>
  backoffMs({ attempt, baseMs: baseDelayMs, maxMs: maxDelayMs, jitter: 0.2, random });

/** Keys are user ids; a longer one is not Herald's, and a copy leaves it out rather than grow. */
const MAX_KEY_BYTES = 1024;
const MAX_ERROR_CHARS = 1000;

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_CHARS);
const errorType = (error: unknown) => (error instanceof Error ? error.name : 'Error').slice(0, 100);

/** Kafka refuses a record (or its batch) as larger than the topic or broker allows. */
function isTooLarge(error: unknown): boolean {
  for (let cause = error as { type?: unknown; cause?: unknown } | undefined; cause; cause = cause.cause as typeof cause) {
    if (cause.type === 'MESSAGE_TOO_LARGE' || cause.type === 'RECORD_LIST_TOO_LARGE') return true;
  }
  return false;
}

const byteLength = (value: Buffer | string | null | undefined) => (value == null ? 0 : Buffer.byteLength(value));

export type FailureRouter = ReturnType<typeof createFailureRouter>;

/**
 * Moves messages that could not be handled off their partition, so it keeps moving: to the retry
 * topic while attempts remain and the failure may pass, else to the dead-letter queue. Sends are
 * awaited: if Kafka is away, the caller does not commit and the message is read again.
 *
 * A copy always fits: when Kafka refuses a dead-letter copy as too large (the original was close to
 * the limit, and the failure headers tip it over), a small record without the value and the
 * original headers is sent instead; its headers still point at the original's topic, partition and
 * offset, where the value can be read while the topic retains it.
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
  const send = (topic: string, message: Message) => producer.send({ topic, acks: ACKS_ALL, messages: [message] });
  const key = (message: KafkaMessage) => (byteLength(message.key) <= MAX_KEY_BYTES ? message.key : null);
  const locationHeaders = (origin: Origin, attempt: number): IHeaders => ({
    [FAILURE_HEADERS.originalTopic]: origin.topic,
    [FAILURE_HEADERS.originalPartition]: String(origin.partition),
    [FAILURE_HEADERS.originalOffset]: origin.offset,
    [FAILURE_HEADERS.attempt]: String(attempt),
  });

  async function deadLetter(origin: Origin, message: KafkaMessage, error: unknown): Promise<void> {
    const failure = {
      ...locationHeaders(origin, origin.attempt),
      [FAILURE_HEADERS.error]: describe(error),
      [FAILURE_HEADERS.errorType]: errorType(error),
      [FAILURE_HEADERS.failedAt]: new Date().toISOString(),
    };
    try {
      await send(topics.deadLetter, { key: key(message), value: message.value, headers: { ...copyableHeaders(message.headers), ...failure } });
    } catch (sendError) {
      if (!isTooLarge(sendError)) throw sendError;
      const dropped = `value of ${byteLength(message.value)} bytes and the original headers left out: too large for ${topics.deadLetter}`;
      await send(topics.deadLetter, { key: key(message), value: null, headers: { ...failure, [FAILURE_HEADERS.valueDropped]: dropped } });
    }
    metrics.deadLettered.inc({ topic: origin.topic });
    logger.warn({ topic: origin.topic, partition: origin.partition, offset: origin.offset, attempt: origin.attempt, error: describe(error) }, 'message dead-lettered');
  }

  /**
   * Tries a message again later, or dead-letters it when its attempts are used up. The retry copy
   * carries the event as parsed (re-serialised, so padding around a valid event is not carried
   * along) and only Herald's own headers, rebuilt from the event.
   */
  async function retry(origin: Origin, message: KafkaMessage, event: HeraldEvent, error: unknown): Promise<void> {
    const attempt = origin.attempt + 1;
    if (attempt > policy.maxAttempts) return deadLetter(origin, message, error);
    const notBefore = Date.now() + retryDelayMs(attempt, policy);
    const traceparent = headerValue(message.headers, HEADERS.traceparent);
    const headers = {
      [HEADERS.eventType]: event.type,
      [HEADERS.eventId]: event.eventId,
      ...(traceparent && isTraceparent(traceparent) ? { [HEADERS.traceparent]: traceparent } : {}),
      ...locationHeaders(origin, attempt),
      [FAILURE_HEADERS.notBefore]: String(notBefore),
      [FAILURE_HEADERS.error]: describe(error),
      [FAILURE_HEADERS.errorType]: errorType(error),
    };
    try {
      await send(topics.retry, { key: key(message), value: JSON.stringify(event), headers });
    } catch (sendError) {
      if (!isTooLarge(sendError)) throw sendError;
      return deadLetter(origin, message, error);
    }
    metrics.retried.inc({ topic: origin.topic });
    logger.info({ topic: origin.topic, offset: origin.offset, attempt, notBefore: new Date(notBefore).toISOString(), error: describe(error) }, 'message sent to retry');
  }

  /**
   * Keeps a message that this consumer cannot read yet (a newer event version) on the retry topic
   * until a consumer that can reads it: never dead-lettered, retried at the longest backoff once
   * its attempts are used up (the attempt count stays at the maximum). The copy carries the value
   * as it came, since it cannot be parsed here; one too large for the retry topic is dead-lettered
   * (without its value), to be replayed once the consumers know the version.
   */
  async function wait(origin: Origin, message: KafkaMessage, error: unknown): Promise<void> {
    const attempt = Math.min(origin.attempt + 1, policy.maxAttempts);
    const notBefore = Date.now() + retryDelayMs(attempt, policy);
    const headers = {
      ...copyableHeaders(message.headers),
      ...locationHeaders(origin, attempt),
      [FAILURE_HEADERS.notBefore]: String(notBefore),
      [FAILURE_HEADERS.error]: describe(error),
      [FAILURE_HEADERS.errorType]: errorType(error),
    };
    try {
      await send(topics.retry, { key: key(message), value: message.value, headers });
    } catch (sendError) {
      if (!isTooLarge(sendError)) throw sendError;
      return deadLetter(origin, message, error);
    }
    metrics.retried.inc({ topic: origin.topic });
    logger.info({ topic: origin.topic, offset: origin.offset, attempt, error: describe(error) }, 'message waits for a newer consumer');
  }

  /** A record that failed before it became an event: it waits when it is of a newer version, else it is dead-lettered. */
  const unreadable = (origin: Origin, message: KafkaMessage, error: unknown) => (error instanceof NewerVersionError ? wait(origin, message, error) : deadLetter(origin, message, error));

  return { deadLetter, retry, wait, unreadable };
}
