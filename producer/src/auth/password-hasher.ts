import argon2 from 'argon2';

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
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
export async function createPasswordHasher(params: Argon2Params): Promise<PasswordHasher> {
  const options = { type: argon2.argon2id as 2, ...params };
  // Verified against when the user does not exist, so "no such user" and "wrong password" take
  // the same time and cannot be told apart.
  const decoy = await argon2.hash('decoy password, never matches', options);
  return {
    hash: (password) => argon2.hash(password, options),
    async verify(hash, password) {
      const ok = await argon2.verify(hash ?? decoy, password);
      return ok && hash !== undefined;
    },
  };
}
