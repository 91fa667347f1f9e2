/** What a call got: the final answer, and whether an earlier attempt may have reached the server. */
export interface Answer<T> {
  status: number;
  body: T;
  /** True when an attempt before this one had no answer (or a 5xx): it may have been committed. */
  retried: boolean;
}

export interface RestClient {
  call<T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, bearer?: string): Promise<Answer<T>>;
  /** Attempts sent again after a failure (no answer, a 5xx or a 429), over every call so far. */
  retries(): number;
}

/** A request that got no usable answer for as long as a client waits. */
export class GaveUpError extends Error {
  constructor(what: string, cause: string) {
    super(`${what}: no answer after retrying for the client's patience (${cause})`);
    this.name = 'GaveUpError';
  }
}

/**
 * The producer's REST API as a patient real client calls it: a request with no answer (connection
 * refused or reset, no answer within `timeoutMs`), a 5xx or a 429 is sent again after a backoff
 * (100 ms doubling to 2 s) until `patienceMs` have passed. Anything else is the answer.
 */
export function createRestClient(baseUrl: string, { timeoutMs = 10_000, patienceMs = 180_000 }: { timeoutMs?: number; patienceMs?: number } = {}): RestClient {
  let retries = 0;
  return {
    retries: () => retries,
    async call<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, bearer?: string): Promise<Answer<T>> {
      const giveUpAt = Date.now() + patienceMs;
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) };
      let retried = false;
      for (let attempt = 0; ; attempt += 1) {
        let failure: string;
        try {
          const response = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
          const parsed = (await response.json().catch(() => ({}))) as T;
          if (response.status < 500 && response.status !== 429) return { status: response.status, body: parsed, retried };
          failure = `HTTP ${response.status}`;
        } catch (error) {
          failure = error instanceof Error ? `${error.name}: ${String((error.cause as Error | undefined)?.message ?? error.message)}` : String(error);
        }
        if (Date.now() >= giveUpAt) throw new GaveUpError(`${method} ${path}`, failure);
        retried = true;
        retries += 1;
        await new Promise((resolveWait) => setTimeout(resolveWait, Math.min(2_000, 100 * 2 ** Math.min(attempt, 5))));
      }
    },
  };
}
