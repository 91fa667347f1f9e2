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
} as const;

export function headerValue(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value[0] : value)?.toString();
}

/** Where a message first came from: itself, or what the retry headers say. */
export function originOf(topic: string, partition: number, message: KafkaMessage) {
  return {
    topic: headerValue(message.headers, FAILURE_HEADERS.originalTopic) ?? topic,
    partition: Number(headerValue(message.headers, FAILURE_HEADERS.originalPartition) ?? partition),
    offset: headerValue(message.headers, FAILURE_HEADERS.originalOffset) ?? message.offset,
    attempt: Number(headerValue(message.headers, FAILURE_HEADERS.attempt) ?? 0),
  };
}
