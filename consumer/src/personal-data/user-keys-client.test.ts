import { ProducerRejectedError, ProducerUnavailableError, type ProducerHttpClient } from '../producer/producer-http-client';
import { createUserKeysClient, UserKeysUnavailableError } from './user-keys-client';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const keyOf = (userId: string) => Buffer.alloc(32, Number(userId.slice(-3)) % 256);

/** The producer's endpoint as a function: every asked user has a key but the `erased` ones; each call is recorded. */
function fakeProducer(erased = new Set<string>(), delayMs = 0) {
  const calls: string[][] = [];
  const userKeys = async (userIds: string[]) => {
    calls.push(userIds);
    await new Promise((resolveDelay) => setTimeout(resolveDelay, delayMs));
    const keys = Object.fromEntries(userIds.filter((userId) => !erased.has(userId)).map((userId) => [userId, keyOf(userId).toString('base64url')]));
    return { keys };
  };
  return { calls, userKeys };
}

const settings = { token: 't'.repeat(32), cacheMs: 60_000, maxCached: 1000 };

describe('the user-keys client', () => {
  it('asks once per batch, at most 200 users a request, and not again while the keys are cached; an erased user has none', async () => {
    const producer = fakeProducer(new Set([id(3)]));
    const keys = createUserKeysClient({ producerHttp: producer, ...settings });
    const users = Array.from({ length: 450 }, (_, n) => id(n));
    const found = await keys.keysOf([...users, ...users]);
    expect(producer.calls.map((asked) => asked.length)).toEqual([200, 200, 50]);
    expect(found.size).toBe(449);
    expect(found.get(id(3))).toBeUndefined();
    expect(Buffer.from(found.get(id(7))!)).toEqual(keyOf(id(7)));

    await keys.keysOf([id(1), id(2)]);
    expect(producer.calls).toHaveLength(3);
    // The erased user is asked again (a key never comes back, but nothing is cached for it).
    await keys.keysOf([id(3)]);
    expect(producer.calls).toHaveLength(4);
  });

  it('makes two askers of the same users at once share one request (the live feed and the projector on one sign-up)', async () => {
    const producer = fakeProducer(new Set(), 20);
    const keys = createUserKeysClient({ producerHttp: producer, ...settings });
    const [first, second] = await Promise.all([keys.keysOf([id(1), id(2)]), keys.keysOf([id(2), id(3)])]);
    expect(producer.calls).toEqual([[id(1), id(2)], [id(3)]]);
    expect([...first.keys()]).toEqual([id(1), id(2)]);
    expect([...second.keys()]).toEqual([id(2), id(3)]);
  });

  it('forgets a deleted user\'s key, so the next ask goes to the producer, which has none', async () => {
    const erased = new Set<string>();
    const producer = fakeProducer(erased);
    const keys = createUserKeysClient({ producerHttp: producer, ...settings });
    expect((await keys.keysOf([id(5)])).size).toBe(1);
    erased.add(id(5));
    keys.forget(id(5));
    expect((await keys.keysOf([id(5)])).size).toBe(0);
  });

  it('turns an unreachable producer, a refused token and a missing token into UserKeysUnavailableError (the batch waits), naming no key', async () => {
    const failing = (error: Error) => ({ userKeys: (async () => Promise.reject(error)) as ProducerHttpClient['userKeys'] });
    const unreachable = createUserKeysClient({ producerHttp: failing(new ProducerUnavailableError('The producer at http://producer:9001 could not be reached')), ...settings });
    await expect(unreachable.keysOf([id(1)])).rejects.toThrow(UserKeysUnavailableError);
    const refused = createUserKeysClient({ producerHttp: failing(new ProducerRejectedError('FORBIDDEN', 403, 'The token is not valid for user keys')), ...settings });
    await expect(refused.keysOf([id(1)])).rejects.toThrow(/refused the request for user keys \(403 FORBIDDEN\): check USER_KEYS_TOKEN on both services/);
    const unset = createUserKeysClient({ producerHttp: fakeProducer(), ...settings, token: undefined });
    await expect(unset.keysOf([id(1)])).rejects.toThrow(/USER_KEYS_TOKEN is not set/);
    // A failed ask is not remembered: the next one asks again.
    const flaky = fakeProducer();
    let fail = true;
    const recovering = createUserKeysClient({ producerHttp: { userKeys: (userIds) => (fail ? Promise.reject(new ProducerUnavailableError('down')) : flaky.userKeys(userIds)) }, ...settings });
    await expect(recovering.keysOf([id(1)])).rejects.toThrow(UserKeysUnavailableError);
    fail = false;
    expect((await recovering.keysOf([id(1)])).size).toBe(1);
  });
});
