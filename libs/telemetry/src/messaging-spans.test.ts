import { context, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { inProcessSpan, inSendSpan, startCreateSpan } from './messaging-spans';
import { inInternalSpan } from './spans';
import { traceparentOf } from './trace-context';

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
const tracer = provider.getTracer('test');

beforeAll(() => context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()));
afterAll(() => context.disable());
beforeEach(() => exporter.reset());

/** A message created in its own `create` span, as the outbox writes one. */
function created(key: string) {
  const span = startCreateSpan(tracer, { topic: 'new-user-created', key, eventId: `event-${key}` });
  span.end();
  return { span: span.spanContext(), message: { topic: 'new-user-created', key, eventId: `event-${key}`, traceparent: traceparentOf(span.spanContext()) } };
}

const finished = (name: string) => exporter.getFinishedSpans().find((span) => span.name === name)!;

describe('messaging spans (OpenTelemetry messaging conventions)', () => {
  it('a send of one message is a PRODUCER span under its creation context, and links to it', async () => {
    const { span: origin, message } = created('user-1');
    await inSendSpan(tracer, [message], async () => {});
    const send = finished('send new-user-created');
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(send.spanContext().traceId).toBe(origin.traceId);
    expect(send.parentSpanContext?.spanId).toBe(origin.spanId);
    expect(send.links.map((link) => link.context.spanId)).toEqual([origin.spanId]);
    expect(send.attributes).toEqual({
      'messaging.system': 'kafka',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'send',
      'messaging.destination.name': 'new-user-created',
      'messaging.kafka.message.key': 'user-1',
      'messaging.message.id': 'event-user-1',
    });
  });

  it('a send of a batch starts a trace of its own, linked to every message of the batch, and says how many', async () => {
    const batch = ['a', 'b', 'c'].map(created);
    await inSendSpan(tracer, batch.map(({ message }) => message), async () => {});
    const send = finished('send new-user-created');
    expect(send.parentSpanContext).toBeUndefined();
    expect(send.links.map((link) => link.context.spanId)).toEqual(batch.map(({ span }) => span.spanId));
    expect(send.attributes['messaging.batch.message_count']).toBe(3);
    expect(send.attributes['messaging.kafka.message.key']).toBeUndefined();
  });

  it('processing one record is a CONSUMER span under its creation context, and what it does nests beneath', async () => {
    const { span: origin, message } = created('user-2');
    await inProcessSpan(tracer, { topic: 'new-user-created', groupId: 'herald-consumer.users', partition: 3, messages: [{ ...message, offset: '41' }] }, () =>
      inInternalSpan(tracer, 'read-model write', {}, async () => {}),
    );
    const processing = finished('process new-user-created');
    expect(processing.kind).toBe(SpanKind.CONSUMER);
    expect(processing.parentSpanContext?.spanId).toBe(origin.spanId);
    expect(processing.attributes).toMatchObject({ 'messaging.consumer.group.name': 'herald-consumer.users', 'messaging.destination.partition.id': '3', 'messaging.kafka.offset': 41 });
    expect(finished('read-model write').parentSpanContext?.spanId).toBe(processing.spanContext().spanId);
  });

  it('a record without a valid traceparent is processed in a new trace, without links', async () => {
    await inProcessSpan(tracer, { topic: 't', groupId: 'g', partition: 0, messages: [{ topic: 't', traceparent: '00-not-a-trace-01' }] }, async () => {});
    const processing = finished('process t');
    expect(processing.parentSpanContext).toBeUndefined();
    expect(processing.links).toEqual([]);
  });

  it('a failure marks the span with the error class only: an error message may quote data', async () => {
    const failing = inSendSpan(tracer, [created('user-3').message], async () => {
      throw new TypeError('duplicate key (email)=(ada@example.com)');
    });
    await expect(failing).rejects.toThrow(TypeError);
    const send = finished('send new-user-created');
    expect(send.status.code).toBe(2);
    expect(send.attributes['error.type']).toBe('TypeError');
    expect(JSON.stringify([send.attributes, send.status, send.events])).not.toContain('ada@example.com');
  });

  it('without a tracer provider (tracing off) every span is a no-op and the work still runs', async () => {
    const off = trace.getTracer('off');
    await expect(inSendSpan(off, [{ topic: 't', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }], async () => 'sent')).resolves.toBe('sent');
    const span = startCreateSpan(off, { topic: 't' });
    expect(span.isRecording()).toBe(false);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
