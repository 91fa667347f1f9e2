import { createPasswordHasher, type Kdf } from './password-hasher';

/** A stand-in KDF whose calls finish when the test says, counting how many run at once. */
function gatedKdf() {
  let running = 0;
  let most = 0;
  const gates: Array<() => void> = [];
  const run = <T>(value: T) =>
    new Promise<T>((resolveRun) => {
      running += 1;
      most = Math.max(most, running);
      gates.push(() => {
        running -= 1;
        resolveRun(value);
      });
    });
  const kdf = { hash: (password: string) => run(`hashed:${password}`), verify: (hash: string, password: string) => run(hash === `hashed:${password}`) } as unknown as Kdf;
  return { kdf, running: () => running, most: () => most, releaseAll: () => gates.splice(0).forEach((open) => open()) };
}

const params = { memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 };

describe('password hasher', () => {
  it('runs at most maxConcurrent hashes and verifications at once; the rest wait their turn', async () => {
    const gate = gatedKdf();
    const creating = createPasswordHasher({ ...params, maxConcurrent: 2 }, gate.kdf);
    gate.releaseAll(); // the decoy hash made at creation
    const hasher = await creating;

    const calls = [hasher.hash('a'), hasher.hash('b'), hasher.verify('hashed:c', 'c'), hasher.verify(undefined, 'd'), hasher.hash('e')];
    await new Promise((resolveTick) => setImmediate(resolveTick));
    expect(gate.running()).toBe(2);
    while (gate.running() > 0) {
      gate.releaseAll();
      await new Promise((resolveTick) => setImmediate(resolveTick));
    }
    await expect(Promise.all(calls)).resolves.toEqual(['hashed:a', 'hashed:b', true, false, 'hashed:e']);
    expect(gate.most()).toBe(2);
  });
});
