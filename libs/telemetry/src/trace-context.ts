import { TRACEPARENT } from '@herald/events';
import { isSpanContextValid, trace, TraceFlags, ROOT_CONTEXT, type Context, type SpanContext } from '@opentelemetry/api';

/** The span context a `traceparent` names (remote), or undefined when it is missing or malformed. */
export function spanContextOf(traceparent: string | undefined): SpanContext | undefined {
  const match = traceparent ? TRACEPARENT.exec(traceparent) : null;
  if (!match) return undefined;
  const spanContext: SpanContext = { traceId: match[1]!, spanId: match[2]!, traceFlags: Number.parseInt(match[3]!, 16) & TraceFlags.SAMPLED, isRemote: true };
  return isSpanContextValid(spanContext) ? spanContext : undefined;
}

/** A span context as a `traceparent` header value. */
export const traceparentOf = ({ traceId, spanId, traceFlags }: SpanContext): string => `00-${traceId}-${spanId}-${(traceFlags & 0xff).toString(16).padStart(2, '0')}`;

/** The active span as a `traceparent`, for a hop that carries it by hand (a NOTIFY); undefined when tracing is off. */
export function activeTraceparent(): string | undefined {
  const span = trace.getActiveSpan();
  return span?.isRecording() ? traceparentOf(span.spanContext()) : undefined;
}

/** A context whose parent is the span a `traceparent` names; the root context when it names none. */
export function contextOf(traceparent: string | undefined): Context {
  const spanContext = spanContextOf(traceparent);
  return spanContext ? trace.setSpanContext(ROOT_CONTEXT, spanContext) : ROOT_CONTEXT;
}
