// Time from the signUp mutation's answer to the user being in the read model, over the running
// system (`npm start`). Visibility is observed through the userCreated subscription, which the
// consumer pushes right after the read-model transaction commits; a sample is cross-checked with
// the `user(id)` query. Usage: npm run bench:signup -- [count=200] [concurrency=4]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const CONSUMER_URL = process.env.CONSUMER_URL ?? 'http://127.0.0.1:9000';
const count = Number(process.argv[2] ?? 200);
const concurrency = Number(process.argv[3] ?? 4);
const TIMEOUT_MS = 10_000;

async function gql(query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${CONSUMER_URL}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data?: any; errors?: Array<{ message: string }> };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function main() {
  const seen = new Map<string, number>();
  const client = createClient({ url: `${CONSUMER_URL.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, lazy: false });
  const unsubscribe = client.subscribe(
    { query: 'subscription { userCreated { id } }' },
    { next: (value) => seen.set((value.data as any).userCreated.id, performance.now()), error: (error) => console.error(error), complete: () => {} },
  );
  await new Promise((resolveWait) => setTimeout(resolveWait, 300));

  const run = Date.now().toString(36);
  const answered = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const result = await gql('mutation($input: SignUpInput!) { signUp(input: $input) { id } }', {
        input: { username: `bench_${run}_${i}`, email: `bench_${run}_${i}@example.com`, password: 'correct horse battery staple' },
      });
      if (result.errors) throw new Error(result.errors[0]!.message);
      answered.set(result.data.signUp.id, performance.now());
      if (i % 20 === 0) process.stdout.write(`\r${i + 1}/${count} signed up`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const deadline = performance.now() + TIMEOUT_MS;
  while ([...answered.keys()].some((id) => !seen.has(id)) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const elapsed = (performance.now() - started) / 1000;
  unsubscribe();
  await client.dispose();

  const samples = [...answered].map(([id, at]) => ({ id, ms: seen.has(id) ? seen.get(id)! - at : NaN }));
  const delivered = samples.filter((sample) => !Number.isNaN(sample.ms)).map((sample) => sample.ms).sort((a, b) => a - b);
  const check = samples.find((sample) => !Number.isNaN(sample.ms));
  if (check) {
    const { data } = await gql('query($id: ID!) { user(id: $id) { id } }', { id: check.id });
    if (data?.user?.id !== check.id) throw new Error('a user announced by the subscription is not in the users read model');
  }

  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const csv = join(dir, `signup-visibility-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`);
  writeFileSync(csv, `user_id,response_to_visible_ms\n${samples.map((s) => `${s.id},${Number.isNaN(s.ms) ? '' : s.ms.toFixed(2)}`).join('\n')}\n`);
  console.log(`\n\nsignUp response -> visible in users (${count} sign-ups, concurrency ${concurrency}, ${(count / elapsed).toFixed(0)} sign-ups/s)`);
  console.log(`  delivered ${delivered.length}/${count}, undelivered after ${TIMEOUT_MS / 1000}s: ${count - delivered.length}`);
  console.log(`  p50 ${percentile(delivered, 50).toFixed(1)} ms   p90 ${percentile(delivered, 90).toFixed(1)} ms   p99 ${percentile(delivered, 99).toFixed(1)} ms   max ${delivered.at(-1)?.toFixed(1)} ms`);
  console.log(`  (negative values: the event was visible before the mutation's answer reached the client)\n  samples: ${csv}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error(`Is the system up? Start it with \`npm start\` (consumer expected at ${CONSUMER_URL}).`);
  process.exit(1);
});
