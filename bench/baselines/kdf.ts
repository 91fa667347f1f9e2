import argon2 from 'argon2';
import { loadConfig } from '@herald/producer/tools';
import { PASSWORD } from '../lib/producer-api';

// The producer's argon2id parameters: its config's defaults, read from its own config so the
// baseline follows them. The two addresses only satisfy the parse; nothing connects.
const { memoryCost, timeCost, parallelism } = loadConfig({ DATABASE_URL: 'postgres://bench@127.0.0.1/unused', KAFKA_BROKERS: '127.0.0.1:9092' }).argon2;

/** The producer's argon2id parameters, from its own config defaults. */
export const PRODUCER_ARGON2 = { type: argon2.argon2id, memoryCost, timeCost, parallelism } as const;

/**
 * The ceiling of sign-up and login: argon2id alone, at the producer's parameters, `concurrency`
 * at once (as many as the HTTP load keeps), for `seconds` or `amount` operations. `verify`: each
 * operation checks the password against a stored hash (what a login does) instead of hashing it
 * (a sign-up); both cost about the same, one hash made before the measurement.
 */
export async function measureKdf({ concurrency, seconds, amount, verify = false }: { concurrency: number; seconds: number; amount?: number; verify?: boolean }) {
  const stored = verify ? await argon2.hash(PASSWORD, PRODUCER_ARGON2) : '';
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const more = () => (amount ? latencies.length < amount : performance.now() < deadline);
  const worker = async () => {
    while (more()) {
      const begin = performance.now();
      if (verify) await argon2.verify(stored, PASSWORD);
      else await argon2.hash(PASSWORD, PRODUCER_ARGON2);
      latencies.push(performance.now() - begin);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, perSecond: latencies.length / ((performance.now() - started) / 1000) };
}
