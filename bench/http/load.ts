import autocannon from 'autocannon';
import { clientAddress } from '../lib/producer-api';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  /** Builds each request's body (unique names, a fresh token); called once per request. */
  body?: () => string | undefined;
  /** Each request's path and headers of its own, when they vary (a user's id and token from a pool). */
  vary?: () => { path: string; headers?: Record<string, string> };
  /** Sees each answer (e.g. to keep the refresh token it returns). */
  onAnswer?: (status: number, body: string) => void;
}

export interface LoadResult {
  /** Per-request latency in ms, in completion order. */
  latencies: number[];
  statuses: number[];
  counts: { '2xx': number; '4xx': number; '5xx': number; errors: number };
  perSecond: number;
  seconds: number;
}

/**
 * Closed-loop HTTP load with autocannon: `connections` clients, each one request at a time, for
 * `seconds` (or `amount` requests). Every answer's latency and status is kept, not only
 * autocannon's histogram, so percentiles and the CSV come from the same samples.
 */
export async function runLoad({ url, request, connections, seconds, amount }: { url: string; request: LoadRequest; connections: number; seconds: number; amount?: number }): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: number[] = [];
  let finish: (error: unknown, result: autocannon.Result) => void = () => {};
  const finished = new Promise<autocannon.Result>((resolveRun, reject) => (finish = (error, result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolveRun(result))));
  // The callback form returns the instance, whose 'response' events carry every latency.
  const instance = autocannon({
    url,
    connections,
    pipelining: 1,
    ...(amount ? { amount } : { duration: seconds }),
    headers: { 'content-type': 'application/json' },
    timeout: 10,
    requests: [
      {
        method: request.method,
        path: request.path,
        // Every request from a client address of its own (see clientAddress).
        setupRequest: (raw) => {
          const varied = request.vary?.();
          return {
            ...raw,
            headers: { ...raw.headers, 'x-forwarded-for': clientAddress(), ...varied?.headers },
            ...(varied ? { path: varied.path } : {}),
            ...(request.body ? { body: request.body() } : {}),
          };
        },
        ...(request.onAnswer ? { onResponse: (status: number, body: string) => request.onAnswer!(status, body) } : {}),
      },
    ],
  }, (error, result) => finish(error, result));
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    statuses.push(statusCode);
  });
  const result = await finished;
  const within = (low: number) => statuses.filter((status) => status >= low && status < low + 100).length;
  return {
    latencies,
    statuses,
    counts: { '2xx': within(200), '4xx': within(400), '5xx': within(500), errors: result.errors + result.timeouts },
    perSecond: statuses.length / result.duration,
    seconds: result.duration,
  };
}
