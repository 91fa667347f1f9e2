import { AppError } from '@herald/core';
import createClient from 'openapi-fetch';
import type { components, paths } from './producer-api';

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

/** The producer's own names for what it takes and answers (docs/contracts/openapi.json). */
export type ProducerSchemas = components['schemas'];

export type ProducerHttpClient = ReturnType<typeof createProducerHttpClient>;

/** The client a call is made for: its address, as the consumer's trusted proxies report it. */
export interface OnBehalfOf {
  clientIp?: string | undefined;
}

/** A signed-in client: its access token goes along as it came (`Bearer …`), and the producer checks it. */
export interface AsUser extends OnBehalfOf {
  authorization: string;
}

/** What openapi-fetch answers: the body of a success as `data`, of a refusal as `error`. */
interface Answer<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/**
 * The producer's REST API, found by service discovery (the URL comes from config), through a
 * client typed by the producer's OpenAPI document (producer-api.ts, generated): a route, body or
 * answer the document does not have does not compile. Every call has a timeout; a 4xx becomes a
 * ProducerRejectedError with the producer's own error code, anything else that is not a success
 * a ProducerUnavailableError that names the URL.
 */
export function createProducerHttpClient({ baseUrl, timeoutMs }: { baseUrl: string; timeoutMs: number }) {
  const client = createClient<paths>({ baseUrl });

  async function settle<D>(send: (signal: AbortSignal) => Promise<Answer<D>>): Promise<{ data: D; status: number; roundTripMs: number }> {
    const started = performance.now();
    const timeout = AbortSignal.timeout(timeoutMs);
    let answer: Answer<D>;
    try {
      answer = await send(timeout);
    } catch (error) {
      // openapi-fetch parses a success's body as JSON: a SyntaxError is a body that is not.
      if (error instanceof SyntaxError) throw new ProducerUnavailableError(`The producer at ${baseUrl} answered with a body that is not JSON`);
      // The signal itself, not the error's name: the Request openapi-fetch builds aborts with a plain AbortError.
      const reason = timeout.aborted ? `did not answer within ${timeoutMs} ms` : 'could not be reached';
      throw new ProducerUnavailableError(`The producer at ${baseUrl} ${reason}`, { cause: error });
    }
    const { status } = answer.response;
    if (status >= 500) throw new ProducerUnavailableError(`The producer at ${baseUrl} failed (${status})`);
    if (status >= 400) {
      const refusal = (answer.error as Partial<ProducerSchemas['Error']> | undefined)?.error;
      throw new ProducerRejectedError(refusal?.code ?? 'BAD_REQUEST', status, refusal?.message ?? `Producer answered ${status}`, refusal?.details);
    }
    return { data: answer.data as D, status, roundTripMs: performance.now() - started };
  }
  const body = async <D>(send: (signal: AbortSignal) => Promise<Answer<D>>) => (await settle(send)).data;

  // The producer limits sign-ups and logins per client address; it trusts this header from the
  // consumer (a private peer), so every client is counted as itself, not all as the consumer.
  const forwardedFor = ({ clientIp }: OnBehalfOf): Record<string, string> => (clientIp ? { 'x-forwarded-for': clientIp } : {});
  const asUser = (user: AsUser): Record<string, string> => ({ ...forwardedFor(user), authorization: user.authorization });

  return {
    baseUrl,
    signUp: (input: ProducerSchemas['SignUp'], onBehalfOf: OnBehalfOf = {}) => body((signal) => client.POST('/users', { body: input, headers: forwardedFor(onBehalfOf), signal })),
    login: (input: ProducerSchemas['Login'], onBehalfOf: OnBehalfOf = {}) => body((signal) => client.POST('/auth/login', { body: input, headers: forwardedFor(onBehalfOf), signal })),
    refresh: (input: ProducerSchemas['Refresh'], onBehalfOf: OnBehalfOf = {}) => body((signal) => client.POST('/auth/refresh', { body: input, headers: forwardedFor(onBehalfOf), signal })),
    ping: async () => {
      const { data, status, roundTripMs } = await settle((signal) => client.GET('/ping', { signal }));
      return { status, body: data, roundTripMs };
    },
    createPost: (input: ProducerSchemas['NewPost'], user: AsUser) => body((signal) => client.POST('/posts', { body: input, headers: asUser(user), signal })),
    deletePost: async (postId: string, user: AsUser) => {
      await settle((signal) => client.DELETE('/posts/{id}', { params: { path: { id: postId } }, headers: asUser(user), signal }));
    },
    follow: (followeeId: string, user: AsUser) => body((signal) => client.POST('/follows', { body: { followeeId }, headers: asUser(user), signal })),
    unfollow: async (followeeId: string, user: AsUser) => {
      await settle((signal) => client.DELETE('/follows/{followeeId}', { params: { path: { followeeId } }, headers: asUser(user), signal }));
    },
    deleteAccount: async (input: ProducerSchemas['AccountDeletion'], user: AsUser) => {
      await settle((signal) => client.DELETE('/users/me', { body: input, headers: asUser(user), signal }));
    },
    updateProfile: (input: ProducerSchemas['ProfileChange'], user: AsUser) => body((signal) => client.PATCH('/users/me', { body: input, headers: asUser(user), signal })),
    logout: (user: AsUser) => body((signal) => client.POST('/auth/logout', { headers: asUser(user), signal })),
    logoutEverywhere: (user: AsUser) => body((signal) => client.POST('/auth/logout-all', { headers: asUser(user), signal })),
    changePassword: (input: ProducerSchemas['PasswordChange'], user: AsUser) => body((signal) => client.POST('/auth/password', { body: input, headers: asUser(user), signal })),
    /** Users' data keys, with USER_KEYS_TOKEN (`authorization: Bearer …`). */
    userKeys: (userIds: string[], { authorization }: { authorization: string }) => body((signal) => client.POST('/internal/user-keys', { body: { userIds }, headers: { authorization }, signal })),
  };
}
