import { AppError } from '@herald/core';
import { LRUCache } from 'lru-cache';
import { ProducerRejectedError, ProducerUnavailableError, type ProducerHttpClient } from '../producer/producer-http-client';

/** Keys asked for in one request (the producer's limit, personal-data/user-keys-routes.ts there). */
const KEYS_PER_REQUEST = 200;

/**
 * Users' data keys could not be had: the producer is away, or refuses this service's token (a
 * setting to fix, not a record to give up on). Projection waits and reads the batch again.
 */
export class UserKeysUnavailableError extends AppError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('USER_KEYS_UNAVAILABLE', 503, message, true, options);
  }
}

export interface UserKeys {
  /** The keys of those of `userIds` who exist; a deleted user's key is gone, so absent. */
  keysOf(userIds: string[]): Promise<Map<string, Uint8Array>>;
  /** Drops a key from the cache (its user was deleted). */
  forget(userId: string): void;
}

/**
 * The producer's user-keys endpoint (POST /internal/user-keys, USER_KEYS_TOKEN as bearer), with
 * the keys kept in memory for a while: a batch of a thousand events of a few hundred users is one
 * request, the next batch of the same users none, and two askers of one user at once one request.
 * Keys live only in this cache, never in a log or an error message.
 */
export function createUserKeysClient({ producerHttp, token, cacheMs, maxCached }: { producerHttp: Pick<ProducerHttpClient, 'userKeys'>; token: string | undefined; cacheMs: number; maxCached: number }): UserKeys {
  const cache = new LRUCache<string, Uint8Array>({ max: maxCached, ttl: cacheMs });

  async function fetchKeys(userIds: string[]): Promise<Record<string, string>> {
    if (!token) throw new UserKeysUnavailableError('USER_KEYS_TOKEN is not set: set it to the producer\'s value so personal data can be opened');
    try {
      return (await producerHttp.userKeys(userIds, { authorization: `Bearer ${token}` })).keys;
    } catch (error) {
      if (error instanceof ProducerUnavailableError) throw new UserKeysUnavailableError(error.message, { cause: error });
      if (error instanceof ProducerRejectedError) throw new UserKeysUnavailableError(`The producer refused the request for user keys (${error.status} ${error.code}): check USER_KEYS_TOKEN on both services`);
      throw error;
    }
  }

  /** Keys being asked for now: a second asker of the same user (the live feed and the projector, on one sign-up) waits for the same answer. */
  const inFlight = new Map<string, Promise<Uint8Array | undefined>>();

  function ask(userIds: string[]): void {
    const answer = fetchKeys(userIds);
    for (const userId of userIds) {
      const key = answer.then((keys) => {
        const encoded = keys[userId];
        if (encoded === undefined) return undefined;
        const decoded = Buffer.from(encoded, 'base64url');
        cache.set(userId, decoded);
        return decoded;
      });
      inFlight.set(userId, key);
      void key.catch(() => {}).finally(() => inFlight.delete(userId));
    }
  }

  return {
    async keysOf(userIds) {
      const pending = new Map<string, Promise<Uint8Array | undefined>>();
      const found = new Map<string, Uint8Array>();
      const missing: string[] = [];
      for (const userId of new Set(userIds)) {
        const key = cache.get(userId);
        const asked = inFlight.get(userId);
        if (key) found.set(userId, key);
        else if (asked) pending.set(userId, asked);
        else missing.push(userId);
      }
      for (let start = 0; start < missing.length; start += KEYS_PER_REQUEST) ask(missing.slice(start, start + KEYS_PER_REQUEST));
      for (const userId of missing) pending.set(userId, inFlight.get(userId)!);
      for (const [userId, asked] of pending) {
        const key = await asked;
        if (key) found.set(userId, key);
      }
      return found;
    },
    forget: (userId) => void cache.delete(userId),
  };
}
