// How soon an ended session's access token is refused (`npm run bench:sessions -- [count] [concurrency]`):
// logout answered by the producer -> the same access token refused by the consumer's read API,
// which learns it from session-ended on Kafka. The producer refuses it from its own table at once
// (checked here for every sample). Beside it, in the same run, the bare floor: one record
// through Kafka (bare kafkajs producer -> consumer), so the figure reads as a ratio.
import { ratio, fixed, summarize } from './lib/stats';
import { benchTarget } from './lib/bench-env';
import { runMain } from './lib/main';
import { clientAddress, createProducerApi, runTag } from './lib/producer-api';
import { createResults } from './lib/results';
import { measureKafkaRoundTrip } from './baselines/kafka-round-trip';

const [count = '200', concurrency = '8'] = process.argv.slice(2);
const POLL_MS = 10;
const GIVE_UP_MS = 30_000;

const ME = JSON.stringify({ query: '{ me { id } }' });

/** What the read API answers `me` with this token: 'ok', 'refused' (UNAUTHENTICATED) or another failure. */
async function readApiVerdict(consumerUrl: string, accessToken: string): Promise<'ok' | 'refused' | 'other'> {
  const response = await fetch(`${consumerUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` }, body: ME });
  const body = (await response.json()) as { data?: { me?: { id?: string } }; errors?: Array<{ extensions?: { code?: string } }> };
  if (body.data?.me?.id) return 'ok';
  return body.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED' ? 'refused' : 'other';
}

runMain('bench:sessions', async () => {
  const target = benchTarget();
  const api = createProducerApi(target.producerUrl);
  const tag = runTag();
  const samples: number[] = [];
  const producerRefusedAtOnce: boolean[] = [];
  let failures = 0;

  let next = 0;
  const session = async (index: number) => {
    const username = `${tag}_${index}`;
    const signedUp = await api.signUp(username);
    if (signedUp.status !== 201) return void failures++;
    const login = await api.login(username);
    if (login.status !== 200) return void failures++;
    const { accessToken } = login.body;
    const bearer = { authorization: `Bearer ${accessToken}`, 'x-forwarded-for': clientAddress() };
    // The user must be in the read model and the token accepted first, or the refusal measures nothing.
    const acceptedBy = performance.now() + GIVE_UP_MS;
    while ((await readApiVerdict(target.consumerUrl, accessToken)) !== 'ok') {
      if (performance.now() > acceptedBy) return void failures++;
      await new Promise((resolveWait) => setTimeout(resolveWait, POLL_MS));
    }
    const logout = await fetch(`${target.producerUrl}/auth/logout`, { method: 'POST', headers: bearer });
    const loggedOutAt = performance.now();
    if (logout.status !== 200) return void failures++;
    producerRefusedAtOnce.push((await fetch(`${target.producerUrl}/users/${signedUp.body.id}`, { headers: bearer })).status === 401);
    while ((await readApiVerdict(target.consumerUrl, accessToken)) !== 'refused') {
      if (performance.now() - loggedOutAt > GIVE_UP_MS) return void failures++;
      await new Promise((resolveWait) => setTimeout(resolveWait, POLL_MS));
    }
    samples.push(performance.now() - loggedOutAt);
  };
  // `concurrency` users at a time, each through its whole session, until `count` sessions ended.
  await Promise.all(Array.from({ length: Number(concurrency) }, async () => {
    while (next < Number(count)) await session(next++);
  }));

  const floor = await measureKafkaRoundTrip({ brokers: target.kafkaBrokers, count: 200, ratePerSecond: 50 });
  const revocation = summarize(samples);
  const bare = summarize(floor.samples);
  const results = createResults('session-revocation');
  const csv = results.writeCsv('', ['sample', 'ms'], samples.map((ms, i) => [i, ms]));

  console.log(`\nsession revocation: logout answered -> the read API refuses the token (${revocation.count} sessions, ${failures} failed, polled every ${POLL_MS} ms)`);
  console.log(`  p50 ${fixed(revocation.p50)} ms  p90 ${fixed(revocation.p90)} ms  p99 ${fixed(revocation.p99)} ms  max ${fixed(revocation.max)} ms`);
  console.log(`  bare Kafka round trip in the same run: p50 ${fixed(bare.p50)} ms  p99 ${fixed(bare.p99)} ms`);
  console.log(`  ratio to the bare floor: p50 ${fixed(ratio(revocation.p50, bare.p50))}×  p99 ${fixed(ratio(revocation.p99, bare.p99))}×`);
  console.log(`  the producer refused the token at once: ${producerRefusedAtOnce.filter(Boolean).length} of ${producerRefusedAtOnce.length}`);
  console.log(`  samples: ${csv}`);
  if (failures > 0 || revocation.count === 0) process.exitCode = 1;
});
