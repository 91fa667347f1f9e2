import { findDifferences } from '@herald/convergence';
import { sourceTopics, topicNames } from '@herald/events';
import { uncommitted } from '@herald/kafka';
import { eventually, queryNumber, request, testKafka, uniqueName } from '@herald/testing';
import fc from 'fast-check';
import { Partitioners, type Admin, type Message } from 'kafkajs';
import { groupsCaughtUp } from './support/caught-up';
import { startInProcessConsumer } from './support/in-process-consumer';
import { startSystem, type TestSystem } from './support/system';
import { startTopicRecorder, type RawRecord } from './support/topic-recorder';

// Convergence, proved on random histories: users sign up, change their profiles, follow and
// unfollow, post and delete posts, log out and delete their accounts, through the real producer
// (REST, outbox, relay, Kafka). Every record the producer ever published is then delivered again,
// byte for byte, to a fresh consumer: in a random order across topics (each partition's order
// kept, as Kafka keeps it), in a few deliveries each projected before the next, with ranges of
// records delivered twice (a consumer that crashed before its commit). Whatever the order, the
// read models must hold exactly what the producer's tables say (@herald/convergence). The
// producer keeps running meanwhile: a consumer may ask it for what the events do not carry.

const SEED = process.env.HERALD_PROPERTY_SEED ? Number(process.env.HERALD_PROPERTY_SEED) : Date.now() ^ (Math.random() * 0x100000000);
const RUNS = 5;
const SLOTS = 4;
const PASSWORD = 'convergence horse battery';

type Step =
  | { kind: 'sign-up'; slot: number }
  | { kind: 'update'; slot: number; rename: boolean; firstName: string | null }
  | { kind: 'follow' | 'unfollow'; slot: number; other: number }
  | { kind: 'post'; slot: number }
  | { kind: 'delete-post'; slot: number; pick: number }
  | { kind: 'logout'; slot: number }
  | { kind: 'delete-account'; slot: number };

const slot = fc.nat({ max: SLOTS - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('sign-up' as const), slot }),
  fc.record({ kind: fc.constant('update' as const), slot, rename: fc.boolean(), firstName: fc.option(fc.constantFrom('Ada', 'Grace', 'Edsger')) }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('follow' as const, 'unfollow' as const), slot, other: slot }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('post' as const), slot }) },
  fc.record({ kind: fc.constant('delete-post' as const), slot, pick: fc.nat() }),
  fc.record({ kind: fc.constant('logout' as const), slot }),
  fc.record({ kind: fc.constant('delete-account' as const), slot }),
);

/** How the records are delivered again: choices for the interleaving, the replays and the cuts between deliveries. */
const delivery = fc.record({ choices: fc.array(fc.nat({ max: 999 }), { minLength: 50, maxLength: 50 }), deliveries: fc.integer({ min: 1, max: 3 }) });

interface Member {
  id: string;
  username: string;
  accessToken?: string;
  posts: string[];
}

/** Plays a history against the producer's REST API; a step the producer refuses (a 4xx) is a step that did nothing. */
async function play(producerUrl: string, steps: Step[], tag: string): Promise<void> {
  const members: Array<Member | undefined> = [];
  let names = 0;
  const call = async (method: string, path: string, body: unknown, member?: Member) => {
    const answer = await request(producerUrl, method, path, body, member?.accessToken ? { authorization: `Bearer ${member.accessToken}` } : {});
    if (answer.status >= 500) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer;
  };
  const signedIn = async (member: Member) => {
    if (!member.accessToken) member.accessToken = (await call('POST', '/auth/login', { username: member.username, password: PASSWORD })).body.accessToken;
    return member;
  };
  for (const s of [...Array.from({ length: SLOTS - 1 }, (_, i): Step => ({ kind: 'sign-up', slot: i })), ...steps]) {
    const member = members[s.slot];
    if (s.kind === 'sign-up') {
      if (member) continue;
      const username = `${tag}n${(names += 1)}`;
      const answer = await call('POST', '/users', { username, email: `${username}@example.com`, password: PASSWORD });
      if (answer.status === 201) members[s.slot] = { id: answer.body.id, username, posts: [] };
      continue;
    }
    if (!member) continue;
    await signedIn(member);
    if (s.kind === 'update') {
      const username = s.rename ? `${tag}n${(names += 1)}` : undefined;
      const answer = await call('PATCH', '/users/me', { firstName: s.firstName, ...(username ? { username } : {}) }, member);
      if (answer.status === 200 && username) member.username = username;
    } else if (s.kind === 'follow' || s.kind === 'unfollow') {
      const other = members[s.other];
      if (!other || other === member) continue;
      if (s.kind === 'follow') await call('POST', '/follows', { followeeId: other.id }, member);
      else await call('DELETE', `/follows/${other.id}`, undefined, member);
    } else if (s.kind === 'post') {
      const answer = await call('POST', '/posts', { title: 'A post', body: `Post of ${member.username}.` }, member);
      if (answer.status === 201) member.posts.push(answer.body.id);
    } else if (s.kind === 'delete-post') {
      if (member.posts.length === 0) continue;
      const [postId] = member.posts.splice(s.pick % member.posts.length, 1);
      await call('DELETE', `/posts/${postId}`, undefined, member);
    } else if (s.kind === 'logout') {
      await call('POST', '/auth/logout', undefined, member);
      member.accessToken = undefined;
    } else {
      const answer = await call('DELETE', '/users/me', { currentPassword: PASSWORD }, member);
      if (answer.status === 204) members[s.slot] = undefined;
    }
  }
}

/**
 * The records of every partition interleaved at random, each partition's in its order, and now
 * and then the last few records of a partition delivered again (a consumer that crashed before
 * committing them); cut into `deliveries` parts.
 */
function interleave(partitions: RawRecord[][], { choices, deliveries }: { choices: number[]; deliveries: number }): RawRecord[][] {
  let n = 0;
  const choose = (below: number) => choices[n++ % choices.length]! % below;
  const queues = partitions.map((records) => ({ records, next: 0 }));
  const order: RawRecord[] = [];
  for (let open = queues.filter((q) => q.next < q.records.length); open.length > 0; open = queues.filter((q) => q.next < q.records.length)) {
    const queue = open[choose(open.length)]!;
    order.push(queue.records[queue.next]!);
    queue.next += 1;
    if (choose(5) === 0) order.push(...queue.records.slice(Math.max(0, queue.next - 1 - choose(3)), queue.next));
  }
  const cuts = Array.from({ length: deliveries - 1 }, () => choose(order.length + 1)).sort((x, y) => x - y);
  return [0, ...cuts].map((from, i) => order.slice(from, [...cuts, order.length][i]));
}

const PROJECTION_GROUPS = (topics: ReturnType<typeof topicNames>) =>
  [
    ['users', topics.newUserCreated],
    ['user-updates', topics.userUpdated],
    ['user-deletions', topics.userDeleted],
    ['tokens', topics.issuedToken],
    ['posts', topics.postCreated],
    ['post-deletions', topics.postDeleted],
    ['follows', topics.userFollowed],
    ['unfollows', topics.userUnfollowed],
    ['sessions', topics.sessionEnded],
    ['retry', topics.retry],
  ] as const;

describe('convergence on random histories (fast-check; real producer, Kafka and PostgreSQL)', () => {
  let system: TestSystem;
  let recorder: Awaited<ReturnType<typeof startTopicRecorder>>;
  let admin: Admin;
  const kafka = testKafka();
  const liveTopics = () => topicNames(system.topicPrefix);

  beforeAll(async () => {
    // Limits raised and refusals not held back: the histories sign up and act faster than a person.
    system = await startSystem({ producerEnv: { SIGNUP_LIMIT_PER_IP: '1000', SIGNUP_LIMIT_PER_ACCOUNT: '1000', LOGIN_LIMIT_PER_IP: '1000', RATE_LIMIT_DELAY_MS: '0' } });
    recorder = await startTopicRecorder(kafka, sourceTopics(liveTopics()));
    admin = kafka.admin();
    await admin.connect();
  }, 120_000);
  afterAll(async () => {
    await admin?.disconnect();
    await recorder?.stop();
    await system?.stop();
  });

  it('every history, delivered again in any order across topics with redeliveries, ends with 0 differences; so does the live consumer', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 16 }), delivery, async (steps, plan) => {
        await play(system.producerUrl, steps, uniqueName('cv').slice(-8) + (run += 1));
        await eventually(async () => (await queryNumber(system.producerDatabaseUrl, 'SELECT count(*) FROM outbox_events WHERE sent_at IS NULL')) === 0, { what: 'the outbox published' });

        const replay = await startInProcessConsumer({ env: { PRODUCER_URL: system.producerUrl, USER_KEYS_URL: system.producerUrl, USER_KEYS_TOKEN: system.userKeysToken } });
        const target = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
        await target.connect();
        try {
          const live = liveTopics();
          const renamed = new Map(sourceTopics(live).map((topic) => [topic, topic.replace(system.topicPrefix, replay.topicPrefix)]));
          for (const part of interleave(await recorder.upToNow(), plan)) {
            for (const { topic, partition, message } of part) {
              const copy: Message = { key: message.key, value: message.value, headers: message.headers, partition };
              await target.send({ topic: renamed.get(topic)!, acks: -1, messages: [copy] });
            }
            await groupsCaughtUp(replay, PROJECTION_GROUPS(replay.topics));
          }
          expect(await findDifferences({ producerDatabaseUrl: system.producerDatabaseUrl, consumerDatabaseUrl: replay.databaseUrl })).toEqual([]);
        } finally {
          await target.disconnect();
          await replay.stop();
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // The system's own consumer read the same records once each, as they came.
    await eventually(async () => (await Promise.all(PROJECTION_GROUPS(liveTopics()).map(([group, topic]) => uncommitted(admin, `${system.groupPrefix}.${group}`, topic)))).every((lag) => lag === 0), { what: 'the live consumer caught up' });
    expect(await findDifferences({ producerDatabaseUrl: system.producerDatabaseUrl, consumerDatabaseUrl: system.consumerDatabaseUrl })).toEqual([]);
  }, 240_000);
});
