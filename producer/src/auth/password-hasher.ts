import argon2 from 'argon2';
import { Semaphore } from 'async-mutex';

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
  /** Hashes (or verifications) running at once; the rest queue. */
  maxConcurrent: number;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** True when `password` matches `hash`; with no hash, spends the same time and answers false. */
  verify(hash: string | undefined, password: string): Promise<boolean>;
}

/**
 * argon2id (memory-hard; OWASP's first choice). The parameters are stored in each hash, so
 * raising them later keeps old hashes verifiable.
 */
/** The part of the argon2 package the hasher uses (a test passes its own). */
export type Kdf = Pick<typeof argon2, 'hash' | 'verify'>;

export async function createPasswordHasher({ maxConcurrent, ...params }: Argon2Params, kdf: Kdf = argon2): Promise<PasswordHasher> {
  const options = { type: argon2.argon2id as 2, ...params };
  // Each hash holds memoryCost KiB and a core for its whole run: a cap bounds the memory, and
  // queueing the rest costs no throughput once the cores are busy.
  const slots = new Semaphore(maxConcurrent);
  // Verified against when the user does not exist, so "no such user" and "wrong password" take
  // the same time and cannot be told apart.
  const decoy = await kdf.hash('decoy password, never matches', options);
  return {
    hash: (password) => slots.runExclusive(() => kdf.hash(password, options)),
    async verify(hash, password) {
      const ok = await slots.runExclusive(() => kdf.verify(hash ?? decoy, password));
      return ok && hash !== undefined;
    },
  };
}
