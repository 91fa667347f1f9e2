import { AppError } from '@herald/core';

/** The producer could not be reached, timed out, or failed (5xx). Retrying later may work. */
export class ProducerUnavailableError extends AppError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('PRODUCER_UNAVAILABLE', 503, message, true, options);
  }
}

/** The producer refused the request (4xx); its code and message are passed on to the client. */
export class ProducerRejectedError extends AppError {
  constructor(code: string, status: number, message: string, details?: Array<{ path: string; message: string }>) {
    super(code, status, message, false, { details });
  }
}

export interface ProducerAnswer<T> {
  status: number;
  body: T;
  roundTripMs: number;
}

export type ProducerHttpClient = ReturnType<typeof createProducerHttpClient>;

/** The client a call is made for: its address, as the consumer's trusted proxies report it. */
export interface OnBehalfOf {
  clientIp?: string | undefined;
}

/** A signed-in client: its access token goes along as it came (`Bearer …`), and the producer checks it. */
export interface AsUser extends OnBehalfOf {
  authorization: string;
}

/**
 * The producer's REST API, found by service discovery (the URL comes from config). Every call has
 * a timeout; a 4xx becomes a ProducerRejectedError with the producer's own error code, anything
 * else that is not a success a ProducerUnavailableError that names the URL.
 */
export function createProducerHttpClient({ baseUrl, timeoutMs }: { baseUrl: string; timeoutMs: number }) {
  async function call<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ProducerAnswer<T>> {
    const started = performance.now();
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? `did not answer within ${timeoutMs} ms` : 'could not be reached';
      throw new ProducerUnavailableError(`The producer at ${baseUrl} ${reason}`, { cause: error });
    }
    const text = await response.text();
    const roundTripMs = performance.now() - started;
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      throw new ProducerUnavailableError(`The producer at ${baseUrl} answered ${response.status} with a body that is not JSON`);
    }
    if (response.status >= 500) throw new ProducerUnavailableError(`The producer at ${baseUrl} failed (${response.status})`);
    if (response.status >= 400) {
      const error = (parsed as { error?: { code?: string; message?: string; details?: Array<{ path: string; message: string }> } })?.error;
      throw new ProducerRejectedError(error?.code ?? 'BAD_REQUEST', response.status, error?.message ?? `Producer answered ${response.status}`, error?.details);
    }
    return { status: response.status, body: parsed as T, roundTripMs };
  }

  // The producer limits sign-ups and logins per client address; it trusts this header from the
  // consumer (a private peer), so every client is counted as itself, not all as the consumer.
  const forwardedFor = ({ clientIp }: OnBehalfOf): Record<string, string> => (clientIp ? { 'x-forwarded-for': clientIp } : {});

  const userHeaders = (asUser: AsUser): Record<string, string> => ({ ...forwardedFor(asUser), authorization: asUser.authorization });

  return {
    baseUrl,
    call,
    signUp: async <T>(input: unknown, onBehalfOf: OnBehalfOf = {}) => (await call<T>('POST', '/users', input, forwardedFor(onBehalfOf))).body,
    login: async <T>(input: unknown, onBehalfOf: OnBehalfOf = {}) => (await call<T>('POST', '/auth/login', input, forwardedFor(onBehalfOf))).body,
    refresh: async <T>(input: unknown, onBehalfOf: OnBehalfOf = {}) => (await call<T>('POST', '/auth/refresh', input, forwardedFor(onBehalfOf))).body,
    ping: () => call<Record<string, unknown>>('GET', '/ping'),
    createPost: async <T>(input: unknown, asUser: AsUser) => (await call<T>('POST', '/posts', input, userHeaders(asUser))).body,
    deletePost: async (postId: string, asUser: AsUser) => {
      await call('DELETE', `/posts/${encodeURIComponent(postId)}`, undefined, userHeaders(asUser));
    },
    follow: async <T>(followeeId: string, asUser: AsUser) => (await call<T>('POST', '/follows', { followeeId }, userHeaders(asUser))).body,
    unfollow: async (followeeId: string, asUser: AsUser) => {
      await call('DELETE', `/follows/${encodeURIComponent(followeeId)}`, undefined, userHeaders(asUser));
    },
    deleteAccount: async (input: unknown, asUser: AsUser) => {
      await call('DELETE', '/users/me', input, userHeaders(asUser));
    },
    updateProfile: async <T>(input: unknown, asUser: AsUser) => (await call<T>('PATCH', '/users/me', input, userHeaders(asUser))).body,
    logout: async (asUser: AsUser) => (await call<{ endedSessions: number }>('POST', '/auth/logout', undefined, userHeaders(asUser))).body,
    logoutEverywhere: async (asUser: AsUser) => (await call<{ endedSessions: number }>('POST', '/auth/logout-all', undefined, userHeaders(asUser))).body,
    changePassword: async (input: unknown, asUser: AsUser) => (await call<{ endedSessions: number }>('POST', '/auth/password', input, userHeaders(asUser))).body,
  };
}
