import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';

/**
 * The tracer Herald's own spans come from when none is given: the API's, which is a no-op until
 * a service starts the SDK (start-tracing.ts), and the SDK's once it has.
 */
export const defaultTracer = (): Tracer => trace.getTracer('herald');

/** What a failed span says: the error's code or class, never its message (which may quote data). */
export function recordFailure(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  const code = error instanceof Error ? ((error as { code?: unknown }).code ?? error.name) : typeof error;
  span.setAttribute('error.type', String(code));
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/** Runs `work` with `span` active (a child of `parent`), records a failure, and ends the span. */
export async function inSpan<T>(span: Span, parent: Context, work: () => Promise<T>): Promise<T> {
  try {
    return await context.with(trace.setSpan(parent, span), work);
  } catch (error) {
    recordFailure(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Runs `work` in an INTERNAL span, a child of `parent` (a context made from a carried `traceparent`: trace-context.ts · `contextOf`). */
export function inInternalSpanUnder<T>(tracer: Tracer, parent: Context, name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  return inSpan(tracer.startSpan(name, { kind: SpanKind.INTERNAL, attributes }, parent), parent, work);
}

/** Runs `work` in an INTERNAL span, a child of the active context. */
export function inInternalSpan<T>(tracer: Tracer, name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  const parent = context.active();
  return inSpan(tracer.startSpan(name, { kind: SpanKind.INTERNAL, attributes }, parent), parent, work);
}
