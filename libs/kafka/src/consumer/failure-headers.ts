import type { IHeaders, KafkaMessage } from 'kafkajs';

/** Headers the consumer adds when it moves a message to the retry topic or the dead-letter queue. */
export const FAILURE_HEADERS = {
  originalTopic: 'x-original-topic',
  originalPartition: 'x-original-partition',
  originalOffset: 'x-original-offset',
  attempt: 'x-attempt',
  notBefore: 'x-not-before',
  error: 'x-error',
  errorType: 'x-error-type',
  failedAt: 'x-failed-at',
  /** Set on a dead-letter copy that had to leave out the value (and the original headers) to fit. */
  valueDropped: 'x-value-dropped',
} as const;

const OURS = new Set<string>(Object.values(FAILURE_HEADERS));

/** Where a failed message first came from, and how many retries it has had. */
export interface Origin {
  topic: string;
  partition: number;
  offset: string;
  attempt: number;
}

/** The one value of a header; undefined when it is missing or given more than once (a forgery). */
export function headerValue(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers && Object.hasOwn(headers, name) ? headers[name] : undefined;
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.length === 1 ? value[0]?.toString() : undefined;
  return value.toString();
}

const isBytes = (value: unknown): value is Buffer | string => typeof value === 'string' || Buffer.isBuffer(value);

/**
 * A message's headers as a copy may carry them: without the failure headers (only the consumer
 * itself says where a copy came from), and only values that are bytes. kafkajs gathers headers
 * into a plain object, so a header named like an Object method (`toString`, given once) arrives
 * as `[function, value]`, and sending that function back would crash the consumer.
 */
export function copyableHeaders(headers: IHeaders | undefined): IHeaders {
  const copy: IHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (OURS.has(name)) continue;
    const values = (Array.isArray(value) ? value : [value]).filter(isBytes);
    // Defined, not assigned: a header named `__proto__` would otherwise replace the copy's
    // prototype (a Buffer's, where `length` is a getter, so a later `length` header threw and
    // crashed the consumer: found by the property run, seed 398335711).
    if (values.length > 0) Object.defineProperty(copy, name, { value: values.length === 1 ? values[0] : values, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/**
 * The origin of a record read from a topic the producer writes. Failure headers on it were not
 * written by this consumer and are ignored: the record is where it is, on its first attempt.
 */
export const originOfSource = (topic: string, partition: number, message: KafkaMessage): Origin => ({ topic, partition, offset: message.offset, attempt: 0 });

export interface RetryLimits {
  /** The topics whose messages may be retried (the projections' topics). */
  sourceTopics: string[];
  maxAttempts: number;
  maxDelayMs: number;
  now: number;
}

/** How far ahead of this task's clock another task's not-before time may be (clock skew). */
const CLOCK_SKEW_MS = 5000;

const DIGITS = /^(0|[1-9][0-9]*)$/;
const integerIn = (value: string | undefined, min: number, max: number) => (value !== undefined && DIGITS.test(value) && Number(value) >= min && Number(value) <= max ? Number(value) : undefined);

export type RetryHeaders = { ok: true; origin: Origin; notBefore: number } | { ok: false; reason: string };

/**
 * The headers of a record on the retry topic, trusted only when each one parses and is in range:
 * a known source topic, a partition and offset that can exist, an attempt from 1 to the maximum,
 * and a not-before time no later than the longest backoff from now. Anything else did not come
 * from this consumer, and the reason names the header (never its value).
 */
export function readRetryHeaders(message: KafkaMessage, { sourceTopics, maxAttempts, maxDelayMs, now }: RetryLimits): RetryHeaders {
  const read = (name: string) => headerValue(message.headers, name);
  const topic = read(FAILURE_HEADERS.originalTopic);
  if (topic === undefined || !sourceTopics.includes(topic)) return { ok: false, reason: `${FAILURE_HEADERS.originalTopic} must name one of the consumed topics` };
  const partition = integerIn(read(FAILURE_HEADERS.originalPartition), 0, 2 ** 31 - 1);
  if (partition === undefined) return { ok: false, reason: `${FAILURE_HEADERS.originalPartition} must be a partition number` };
  const offset = read(FAILURE_HEADERS.originalOffset);
  if (offset === undefined || !DIGITS.test(offset) || BigInt(offset) >= 2n ** 63n) return { ok: false, reason: `${FAILURE_HEADERS.originalOffset} must be an offset` };
  const attempt = integerIn(read(FAILURE_HEADERS.attempt), 1, maxAttempts);
  if (attempt === undefined) return { ok: false, reason: `${FAILURE_HEADERS.attempt} must be an integer from 1 to ${maxAttempts}` };
  const notBefore = integerIn(read(FAILURE_HEADERS.notBefore), 0, now + Math.ceil(maxDelayMs * 1.2) + CLOCK_SKEW_MS);
  if (notBefore === undefined) return { ok: false, reason: `${FAILURE_HEADERS.notBefore} must be a time (ms) within the longest backoff from now` };
  return { ok: true, origin: { topic, partition, offset, attempt }, notBefore };
}
