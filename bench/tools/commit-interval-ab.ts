// A/B of CONSUMER_COMMIT_INTERVAL_MS: OffsetCommit requests and CPU per event of one projection
// group (tokens, manual commits; --users=1 for the users group, auto commits) at a fixed rate.
// It starts a broker and an embedded PostgreSQL of its own on free ports (the CPU it counts is
// theirs and the consumer's alone), then runs the arms interleaved, each with a fresh consumer
// process, database and topics:
//   node scripts/bootstrap.mjs bench/tools/commit-interval-ab.ts --events=2000 --rate=200 --rounds=3
import { sealForTest, startTestUserKeysServer } from '@herald/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildEvent, HEADERS, keyOf, topicNames } from '@herald/events';
import { createScratchDatabase, freePort, startInfra, startService, STATE_DIR, waitForHttp } from '@herald/local-infra';
import { uncommitted } from '@herald/kafka';
import { Kafka, logLevel, Partitioners, type Message } from 'kafkajs';
import { numericOptions } from '../lib/cli-options';
import { startCpuAccounting } from '../lib/cpu-accounting';
import { fixed } from '../lib/stats';
import { runAtRate } from '../lib/worker-pool';

const options = numericOptions({ events: 2000, rate: 200, rounds: 3, intervalA: 0, intervalB: 100, users: 0 });
const group = options.users ? 'users' : 'tokens';

interface ArmResult {
  intervalMs: number;
  commitsPerEvent: number;
  msPerEvent: Record<'consumer' | 'kafka' | 'postgres' | 'sum', number>;
  machineBusy: number;
}

function recordOf(topics: ReturnType<typeof topicNames>): { topic: string; message: Message } {
  const userId = randomUUID();
  const now = Date.now();
  const event = options.users
    ? buildEvent('new-user-created', { userId, profile: sealForTest({ username: `u_${userId.slice(0, 8)}`, email: `${userId.slice(0, 8)}@example.com`, firstName: null, lastName: null }, userId), createdAt: new Date(now).toISOString() })
    : buildEvent('issued-token', { jti: randomUUID(), userId, reason: 'refresh', issuedAt: new Date(now).toISOString(), expiresAt: new Date(now + 900_000).toISOString() });
  return {
    topic: options.users ? topics.newUserCreated : topics.issuedToken,
    message: { key: keyOf(event), value: JSON.stringify(event), headers: { [HEADERS.eventType]: event.type, [HEADERS.eventId]: event.eventId } },
  };
}

async function commitsOf(url: string, token: string, groupId: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers: { 'x-operator-token': token } })).text();
  const line = text.split('\n').find((row) => row.startsWith(`herald_consumer_offset_commits_total{group="${groupId}"}`));
  return Number(line?.split(' ').at(-1) ?? 0);
}

/** One record per produce request, at `rate` per second (the relay's shape at low rates). */
async function sendAtRate(kafka: Kafka, records: Array<{ topic: string; message: Message }>, rate: number): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await runAtRate({ ratePerSecond: rate, count: records.length, maxInFlight: Number.POSITIVE_INFINITY }, async (i) => {
      await producer.send({ topic: records[i]!.topic, acks: -1, messages: [records[i]!.message] });
    });
  } finally {
    await producer.disconnect();
  }
}

async function runArm(infra: { kafkaBrokers: string; adminDatabaseUrl: string }, ports: { kafka: number; postgres: number }, intervalMs: number, dataDir: string): Promise<ArmResult> {
  const kafka = new Kafka({ clientId: 'herald-commit-ab', brokers: infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const database = await createScratchDatabase(infra.adminDatabaseUrl, 'herald_commit_ab');
  const topicPrefix = `ab-${randomBytes(4).toString('hex')}.`;
  const topics = topicNames(topicPrefix);
  const groupId = `herald-ab-${randomBytes(4).toString('hex')}.${group}`;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const token = randomBytes(24).toString('hex');
  // The users' keys of the made-up users (sealed with @herald/testing's test keys).
  const userKeys = await startTestUserKeysServer();
  const consumer = startService({
    name: 'consumer',
    logFile: join(dataDir, `consumer-${topicPrefix}log`),
    env: {
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      KAFKA_BROKERS: infra.kafkaBrokers,
      KAFKA_TOPIC_PREFIX: topicPrefix,
      DATABASE_URL: database.url,
      PRODUCER_URL: 'http://127.0.0.1:9',
      CONSUMER_GROUP_PREFIX: groupId.slice(0, -group.length - 1),
      OPERATOR_TOKEN: token,
      USER_KEYS_URL: userKeys.url,
      USER_KEYS_TOKEN: userKeys.token,
      LOG_LEVEL: 'warn',
      CONSUMER_COMMIT_INTERVAL_MS: String(intervalMs),
    },
  });
  try {
    await waitForHttp(`${url}/ready`, consumer, 60_000);
    const caughtUp = async () => {
      while ((await uncommitted(admin, groupId, recordOf(topics).topic)) > 0) await sleep(50);
    };
    // Warm-up (JIT, connections, the first join), not counted.
    await sendAtRate(kafka, Array.from({ length: Math.min(400, options.events) }, () => recordOf(topics)), options.rate);
    await caughtUp();

    const before = await commitsOf(url, token, groupId);
    const cpu = startCpuAccounting({ ports: [port, ports.kafka, ports.postgres] });
    await sendAtRate(kafka, Array.from({ length: options.events }, () => recordOf(topics)), options.rate);
    await caughtUp();
    const share = cpu.stop();
    const commits = (await commitsOf(url, token, groupId)) - before;
    const ms = (name: string) => ((share?.byGroup[name] ?? 0) / options.events) * 1000;
    const msPerEvent = { consumer: ms('consumer'), kafka: ms('kafka'), postgres: ms('postgres'), sum: ms('consumer') + ms('kafka') + ms('postgres') };
    return { intervalMs, commitsPerEvent: commits / options.events, msPerEvent, machineBusy: share?.machineBusy ?? Number.NaN };
  } finally {
    await consumer.stop();
    await database.drop().catch(() => {});
    await admin.disconnect();
  }
}

const line = (r: ArmResult) =>
  `interval ${String(r.intervalMs).padStart(4)} ms: ${fixed(r.commitsPerEvent, 3)} commits/event · ms/event consumer ${fixed(r.msPerEvent.consumer, 3)} · kafka ${fixed(r.msPerEvent.kafka, 3)} · postgres ${fixed(r.msPerEvent.postgres, 3)} · sum ${fixed(r.msPerEvent.sum, 3)} (machine ${fixed(r.machineBusy * 100, 0)}% busy)`;

const spread = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `${fixed(sorted[0]!, 3)} / ${fixed(sorted[Math.floor((sorted.length - 1) / 2)]!, 3)} / ${fixed(sorted.at(-1)!, 3)}`;
};

async function main() {
  const dataDir = join(STATE_DIR, 'bench', `commit-ab-${process.pid}`);
  const ports = { kafka: await freePort(), controller: await freePort(), postgres: await freePort() };
  const infra = await startInfra({ kafkaPort: ports.kafka, kafkaControllerPort: ports.controller, kafkaHeapMb: 512, postgresPort: ports.postgres, dataDir, databases: [] });
  const results: ArmResult[] = [];
  try {
    console.log(`${options.events} ${group} events at ${options.rate}/s per arm, ${options.rounds} rounds, arms interleaved`);
    // A fresh broker's JVM is still compiling its hot paths: the first arm of a run paid up to 2× in Kafka CPU for it.
    for (const intervalMs of [options.intervalA, options.intervalB]) console.log(`warm-up, not counted: ${line(await runArm(infra, ports, intervalMs, dataDir))}`);
    for (let round = 0; round < options.rounds; round += 1) {
      for (const intervalMs of [options.intervalA, options.intervalB]) {
        const result = await runArm(infra, ports, intervalMs, dataDir);
        results.push(result);
        console.log(`round ${round + 1} ${line(result)}`);
      }
    }
    console.log('min / median / max:');
    for (const intervalMs of [options.intervalA, options.intervalB]) {
      const arm = results.filter((r) => r.intervalMs === intervalMs);
      console.log(
        `interval ${String(intervalMs).padStart(4)} ms: commits/event ${spread(arm.map((r) => r.commitsPerEvent))} · consumer ms/event ${spread(arm.map((r) => r.msPerEvent.consumer))} · kafka ${spread(arm.map((r) => r.msPerEvent.kafka))} · postgres ${spread(arm.map((r) => r.msPerEvent.postgres))} · sum ${spread(arm.map((r) => r.msPerEvent.sum))}`,
      );
    }
  } finally {
    await infra.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
