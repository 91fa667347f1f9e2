// What sealing personal data costs per event (`npm run bench:sealing -- [events]`): CPU time to
// build a sign-up event with its profile sealed (producer) and to open it (consumer), beside the
// bare floor measured in the same run: building and serialising the same event with the profile in
// plain text (what version 1 did). No services needed; the figure is a ratio, as the machine is shared.
import { randomBytes, randomUUID } from 'node:crypto';
import { buildEvent, seal, unseal, userProfileSchema } from '@herald/events';
import { fixed, ratio } from './lib/stats';
import { runMain } from './lib/main';

const [events = '20000'] = process.argv.slice(2);
const COUNT = Number(events);

const profile = { username: 'bench_user_0001', email: 'bench.user.0001@example.com', firstName: 'Bench', lastName: 'User' };

/** CPU microseconds per call of `work`, over COUNT calls after a warm-up of a tenth. */
async function cpuPerCall(work: (index: number) => Promise<unknown> | unknown): Promise<number> {
  for (let i = 0; i < COUNT / 10; i += 1) await work(i);
  const started = process.cpuUsage();
  for (let i = 0; i < COUNT; i += 1) await work(i);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / COUNT;
}

runMain('bench:sealing', async () => {
  const userIds = Array.from({ length: 1000 }, () => randomUUID());
  const keys = userIds.map(() => randomBytes(32));
  const createdAt = new Date().toISOString();

  // The floor: the plain profile in a JSON value, as version 1 wrote it (no schema in the way).
  const bare = await cpuPerCall((i) => JSON.stringify({ eventId: randomUUID(), type: 'new-user-created', version: 1, occurredAt: createdAt, payload: { userId: userIds[i % 1000], ...profile, createdAt } }));
  const sealedOnce: string[] = [];
  const sealing = await cpuPerCall((i) => {
    const userId = userIds[i % 1000]!;
    const event = buildEvent('new-user-created', { userId, profile: seal(userProfileSchema, profile, { userId, key: keys[i % 1000]! }), createdAt });
    if (sealedOnce.length < 1000) sealedOnce.push(event.payload.profile);
    return JSON.stringify(event);
  });
  const opening = await cpuPerCall((i) => unseal(userProfileSchema, sealedOnce[i % 1000]!, { userId: userIds[i % 1000]!, key: keys[i % 1000]! }));

  console.log(`${COUNT} events, CPU per event:`);
  console.log(`  bare (plain JSON, v1)         ${fixed(bare, 1)} µs`);
  console.log(`  build + seal (producer)       ${fixed(sealing, 1)} µs   ${fixed(ratio(sealing, bare), 1)}× bare`);
  console.log(`  open (consumer, key cached)   ${fixed(opening, 1)} µs   ${fixed(ratio(opening, bare), 1)}× bare`);
  console.log(`  sealed profile: ${sealedOnce[0]!.length} characters (the plain one: ${JSON.stringify(profile).length})`);
});
