import { SpanKind, ROOT_CONTEXT, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { inSpan } from './spans';
import { contextOf, spanContextOf } from './trace-context';

// Kafka spans after OpenTelemetry's messaging semantic conventions. Attributes name where a
// message went and its key (a user id); never its value, which carries personal data.

/** One Kafka message as its spans see it. */
export interface TracedMessage {
  topic: string;
  /** The record key: an entity id (a user id), never personal data. */
  key?: string;
  /** The event's id (`messaging.message.id`). */
  eventId?: string;
  /** The creation context the record carries (its `traceparent` header). */
  traceparent?: string;
  offset?: string;
}

const operation = (type: 'create' | 'send' | 'process', topics: string[]): Attributes => ({
  'messaging.system': 'kafka',
  'messaging.operation.type': type,
  'messaging.operation.name': type,
  ...(topics.length === 1 ? { 'messaging.destination.name': topics[0] } : {}),
});

const single = ({ key, eventId, offset }: TracedMessage): Attributes => ({
  ...(key !== undefined ? { 'messaging.kafka.message.key': key } : {}),
  ...(eventId !== undefined ? { 'messaging.message.id': eventId } : {}),
  ...(offset !== undefined ? { 'messaging.kafka.offset': Number(offset) } : {}),
});

const spanName = (type: string, topics: string[]) => (topics.length === 1 ? `${type} ${topics[0]}` : type);

/**
 * The span of a message's creation (`create <topic>`, PRODUCER): the outbox row, a child of the
 * active context (the request). Its context is what the record carries: the creation context the
 * relay's send and every consumer's processing refer to. Not ended: the caller ends it.
 */
export function startCreateSpan(tracer: Tracer, message: TracedMessage): Span {
  return tracer.startSpan(spanName('create', [message.topic]), { kind: SpanKind.PRODUCER, attributes: { ...operation('create', [message.topic]), ...single(message) } });
}

/**
 * The parent of a span over messages, as the messaging conventions allow: one message's creation
 * context (so a lone sign-up reads as one trace); none for several, since a span has one parent
 * and a batch many origins. Every message is linked besides (linkMessages).
 */
const parentOf = (messages: TracedMessage[]): Context => (messages.length === 1 ? contextOf(messages[0]!.traceparent) : ROOT_CONTEXT);

/** Links a span to each message's creation context; only when it records (off, nothing is parsed). */
function linkMessages(span: Span, messages: TracedMessage[]): void {
  if (!span.isRecording()) return;
  for (const message of messages) {
    const origin = spanContextOf(message.traceparent);
    if (origin) span.addLink({ context: origin });
  }
}

/**
 * Runs a send of messages (the relay's batch) in a `send <topic>` span, PRODUCER. The records keep
 * the creation context they were written with: nothing here touches their headers.
 */
export function inSendSpan<T>(tracer: Tracer, messages: TracedMessage[], send: () => Promise<T>): Promise<T> {
  const topics = [...new Set(messages.map((message) => message.topic))];
  const parent = parentOf(messages);
  const span = tracer.startSpan(
    spanName('send', topics),
    { kind: SpanKind.PRODUCER, attributes: { ...operation('send', topics), ...(messages.length === 1 ? single(messages[0]!) : { 'messaging.batch.message_count': messages.length }) } },
    parent,
  );
  linkMessages(span, messages);
  return inSpan(span, parent, send);
}

/**
 * Runs the processing of messages read from one partition (a projection's chunk, a live push) in a
 * `process <topic>` span, CONSUMER; what it does (a read-model write, a push) nests under it.
 */
export function inProcessSpan<T>(
  tracer: Tracer,
  { topic, groupId, partition, messages }: { topic: string; groupId: string; partition: number; messages: TracedMessage[] },
  process: () => Promise<T>,
): Promise<T> {
  const parent = parentOf(messages);
  const span = tracer.startSpan(
    spanName('process', [topic]),
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        ...operation('process', [topic]),
        'messaging.consumer.group.name': groupId,
        'messaging.destination.partition.id': String(partition),
        ...(messages.length === 1 ? single(messages[0]!) : { 'messaging.batch.message_count': messages.length }),
      },
    },
    parent,
  );
  linkMessages(span, messages);
  return inSpan(span, parent, process);
}
