import argon2 from 'argon2';
import { loadConfig } from '@herald/producer/tools';

// The producer's defaults (the benches run against a plain `npm start`); the URL only satisfies the parser.
const { memoryCost, timeCost, parallelism } = loadConfig({ DATABASE_URL: 'postgres://bench@127.0.0.1/unused' }).argon2;

/** The producer's argon2id parameters, from its own config defaults. */
export const PRODUCER_ARGON2 = { type: argon2.argon2id, memoryCost, timeCost, parallelism } as const;

/**
 * The ceiling of sign-up and login: argon2id alone, at the producer's parameters, `concurrency`
 * hashes in flight (as many as the HTTP load keeps), for `seconds` or `amount` hashes. Verify
 * costs the same as hash, so one figure bounds both.
 */
export async function measureKdf({ concurrency, seconds, amount }: { concurrency: number; seconds: number; amount?: number }) {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const more = () => (amount ? latencies.length < amount : performance.now() < deadline);
  const worker = async () => {
    while (more()) {
      const begin = performance.now();
      await argon2.hash('correct horse battery staple', PRODUCER_ARGON2);
      latencies.push(performance.now() - begin);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, perSecond: latencies.length / ((performance.now() - started) / 1000) };
}
