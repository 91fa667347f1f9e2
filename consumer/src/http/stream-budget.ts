import type { RequestHandler } from 'express';
import type { IncomingMessage } from 'node:http';

export interface StreamLimits {
  /** Open graphql-ws sockets plus SSE streams of one client address on this task. */
  perClient: number;
  /** All of them on this task. */
  total: number;
}

export type StreamBudget = ReturnType<typeof createStreamBudget>;

/**
 * Long-lived GraphQL connections (graphql-ws sockets, SSE subscription streams) each hold memory
 * and a share of every push for as long as the client keeps them. One budget counts both, per
 * client address and per task: a client that opens thousands is refused before they cost
 * anything, and the task cannot be filled by everyone together. The counts are per task, as the
 * connections are; behind the load balancer one client gets at most `perClient` on each task.
 */
export function createStreamBudget({ limits, clientIp }: { limits: StreamLimits; clientIp: (req: IncomingMessage) => string }) {
  const open = new Map<string, number>();
  let total = 0;

  /** Takes one stream for the request's client; returns its release (idempotent), or undefined when over a limit. */
  const take = (req: IncomingMessage): (() => void) | undefined => {
    const client = clientIp(req);
    const mine = open.get(client) ?? 0;
    if (mine >= limits.perClient || total >= limits.total) return undefined;
    open.set(client, mine + 1);
    total += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      total -= 1;
      const left = (open.get(client) ?? 1) - 1;
      if (left > 0) open.set(client, left);
      else open.delete(client);
    };
  };

  const refusal = { error: { code: 'TOO_MANY_STREAMS', message: 'Too many open subscription streams from this client; close some and try again' } };

  /** For HTTP: a request asking for an event stream (GraphQL over SSE) takes one, or gets a 429. */
  const sseMiddleware: RequestHandler = (req, res, next) => {
    if (!req.headers.accept?.includes('text/event-stream')) return next();
    const release = take(req);
    if (!release) return void res.status(429).set('retry-after', '5').json(refusal);
    // The stream ends with the response, not with the connection (which keep-alive may reuse).
    res.once('close', release);
    next();
  };

  return { take, sseMiddleware, openStreams: () => total, refusal };
}
